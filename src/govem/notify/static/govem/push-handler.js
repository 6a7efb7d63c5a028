// Service worker part of Govem's Web Push: importScripts("/static/govem/push-handler.js")
// from the app's service worker. The payload is {title, body, url, tag} (notify/channels/webpush.py).
self.addEventListener("push", (event) => {
  let data = { title: "Govem", body: "", url: "/", tag: "govem" };
  try {
    data = Object.assign(data, event.data ? event.data.json() : {});
  } catch (error) {
    data.body = event.data ? event.data.text() : "";
  }
  event.waitUntil(
    self.registration.showNotification(data.title, {
      body: data.body,
      tag: data.tag,
      data: { url: data.url },
    })
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = (event.notification.data && event.notification.data.url) || "/";
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      for (const client of windows) {
        if (new URL(client.url).pathname === url && "focus" in client) return client.focus();
      }
      return self.clients.openWindow(url);
    })
  );
});
