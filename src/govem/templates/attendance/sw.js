// Govem service worker (served from /sw.js so its scope is the whole site).
// Pages: network first, the last copy when offline. Static shell: from the cache, refreshed
// in the background. The API, the punch endpoint and every non-GET request: never cached.
const VERSION = "{{ version }}";
const SHELL = "govem-shell-" + VERSION;
const PAGES = "govem-pages-" + VERSION;
const ASSETS = {{ assets_json|safe }};
const NEVER = ["/api/", "/presensi/", "/admin/", "/masuk/", "/keluar/", "/monitor/", "/notifikasi/"];

try {
  importScripts("{{ push_handler }}");
} catch (error) {
  // Push is optional; the shell works without it.
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL)
      .then((cache) => Promise.all(ASSETS.map((url) => cache.add(url).catch(() => null))))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(
        keys.filter((key) => key.startsWith("govem-") && key !== SHELL && key !== PAGES)
          .map((key) => caches.delete(key))
      ))
      .then(() => self.clients.claim())
  );
});

function offlinePage() {
  const html = "<!doctype html><html lang=\"{{ LANGUAGE_CODE }}\"><meta charset=\"utf-8\">" +
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
    "<title>Govem</title><body style=\"font-family:system-ui;padding:24px\">" +
    "<h1>{{ offline_title|escapejs }}</h1><p>{{ offline_text|escapejs }}</p></body></html>";
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

async function networkFirst(request) {
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected && response.type === "basic") {
      const copy = response.clone();
      caches.open(PAGES).then((cache) => cache.put(request, copy));
    }
    return response;
  } catch (error) {
    const cached = await caches.match(request, { cacheName: PAGES });
    return cached || offlinePage();
  }
}

async function staleWhileRevalidate(event) {
  const cache = await caches.open(SHELL);
  const cached = await cache.match(event.request);
  const refresh = fetch(event.request)
    .then((response) => {
      if (response.ok) cache.put(event.request, response.clone());
      return response;
    })
    .catch(() => cached);
  if (cached) {
    event.waitUntil(refresh.then(() => null));
    return cached;
  }
  return refresh;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (NEVER.some((prefix) => url.pathname.startsWith(prefix))) return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(staleWhileRevalidate(event));
  } else if (request.mode === "navigate") {
    event.respondWith(networkFirst(request));
  }
});
