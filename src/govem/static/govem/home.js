// The employee home page: server clock, position and distance (for display only; the
// server decides), the map, and the Masuk/Pulang button with its receipt.
import { nearest } from "./geo.js";

const page = JSON.parse(document.getElementById("govem-page").textContent);
const T = page.labels.text;
const $ = (id) => document.getElementById(id);

function fill(template, values) {
  return template.replace(/%\((\w+)\)s/g, (_, key) => String(values[key] ?? ""));
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

/* ---------- server clock ---------- */
let offsetMs = 0;
let synced = false;
// Dates in the page's language (the server's clock, the employee's zone).
const LOCALE = document.documentElement.lang === "en" ? "en-GB" : "id-ID";
const timeFormat = new Intl.DateTimeFormat(LOCALE, {
  timeZone: page.time_zone, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
});
const dateFormat = new Intl.DateTimeFormat(LOCALE, {
  timeZone: page.time_zone, weekday: "long", day: "numeric", month: "long", year: "numeric",
});

function serverNow() {
  return new Date(Date.now() + offsetMs);
}

function tick() {
  const now = serverNow();
  const parts = Object.fromEntries(timeFormat.formatToParts(now).map((p) => [p.type, p.value]));
  $("clock").textContent = `${parts.hour}:${parts.minute}:${parts.second}`;
  $("date-label").textContent = dateFormat.format(now);
}

async function syncClock() {
  try {
    const started = Date.now();
    const response = await fetch(page.time_url, { cache: "no-store", credentials: "same-origin" });
    const ended = Date.now();
    const body = await response.json();
    // The server read its clock about halfway through the round trip.
    offsetMs = body.epoch_ms - (started + ended) / 2;
    synced = true;
    $("clock-note").textContent = T.clock_server;
  } catch (error) {
    if (!synced) $("clock-note").textContent = T.clock_device;
  }
  tick();
}

/* ---------- map (loaded only when the employee opens it: no tiles, no Leaflet on 3G) ---------- */
let map = null;
let officeBounds = null;
let youMarker = null;
let youCircle = null;
let leafletLoading = null;

function loadLeaflet() {
  if (typeof L !== "undefined") return Promise.resolve();
  if (leafletLoading) return leafletLoading;
  leafletLoading = new Promise((resolve, reject) => {
    const css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = page.leaflet_css;
    document.head.append(css);
    const script = document.createElement("script");
    script.src = page.leaflet_js;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error("leaflet"));
    document.head.append(script);
  });
  return leafletLoading;
}

function setupMap() {
  const node = $("map");
  if (typeof L === "undefined") {
    node.hidden = true;
    return;
  }
  // The map is a picture: its controls stay out of the keyboard's way to the button.
  map = L.map(node, { zoomControl: true, attributionControl: true, keyboard: false });
  if (page.tiles) {
    // Without network the tiles fail quietly and the circles stay on a plain background.
    L.tileLayer(page.tiles, { attribution: page.attribution, maxZoom: 19 }).addTo(map);
  }
  const bounds = [];
  for (const loc of page.locations) {
    if (loc.polygon && loc.polygon.length >= 3) {
      L.polygon(loc.polygon, { color: "#0b5d3b", weight: 2 }).addTo(map).bindTooltip(loc.name);
      loc.polygon.forEach((p) => bounds.push(p));
    } else {
      L.circle([loc.latitude, loc.longitude], {
        radius: loc.radius_m, color: "#0b5d3b", weight: 2, fillOpacity: 0.15,
      }).addTo(map).bindTooltip(`${loc.name} (${loc.radius_m} m)`);
      const box = L.latLng(loc.latitude, loc.longitude).toBounds(loc.radius_m * 2);
      bounds.push(box.getNorthWest(), box.getSouthEast());
    }
  }
  if (bounds.length) {
    officeBounds = L.latLngBounds(bounds);
    map.fitBounds(officeBounds, { padding: [16, 16], maxZoom: 18 });
  }
  else map.setView([-2.94, 115.16], 12);
  if (lastFix) showOnMap(lastFix.coords.latitude, lastFix.coords.longitude, lastFix.coords.accuracy);
}

$("map-box").addEventListener("toggle", () => {
  if (!$("map-box").open) return;
  if (map) {
    map.invalidateSize();
    return;
  }
  loadLeaflet().then(() => safely(setupMap), () => { $("map").hidden = true; });
});

function showOnMap(lat, lon, accuracy) {
  if (!map) return;
  if (!youMarker) {
    youCircle = L.circle([lat, lon], { radius: accuracy, color: "#1d4f91", weight: 1, fillOpacity: 0.12 }).addTo(map);
    youMarker = L.circleMarker([lat, lon], {
      radius: 7, color: "#fff", weight: 2, fillColor: "#1d4f91", fillOpacity: 1,
    }).addTo(map).bindTooltip(T.you);
    const bounds = L.latLngBounds([[lat, lon]]);
    if (officeBounds) bounds.extend(officeBounds);
    map.fitBounds(bounds, { padding: [20, 20], maxZoom: 18 });
  } else {
    youMarker.setLatLng([lat, lon]);
    youCircle.setLatLng([lat, lon]).setRadius(accuracy);
  }
}

/* ---------- position ---------- */
const GEO_OPTIONS = { enableHighAccuracy: true, maximumAge: 0, timeout: 20000 };
let lastFix = null;
let watchId = null;

function advise(text) {
  const box = $("geo-advice");
  box.textContent = text || "";
  box.hidden = !text;
}

function errorAdvice(error) {
  if (!error || error.code === undefined) return T.unsupported;
  if (error.code === 1) return window.isSecureContext === false ? T.insecure : T.denied;
  if (error.code === 2) return T.unavailable;
  if (error.code === 3) return T.timeout;
  return T.unavailable;
}

function showPosition(position) {
  const { latitude, longitude, accuracy } = position.coords;
  lastFix = position;
  $("pos-coords").textContent = `${latitude.toFixed(6)}, ${longitude.toFixed(6)}`;
  $("pos-accuracy").textContent = `±${Math.round(accuracy)} m`;
  const best = nearest(page.locations, latitude, longitude);
  if (!best) {
    $("pos-distance").textContent = T.no_location;
  } else {
    const { location, distance, polygon } = best;
    const values = { d: Math.round(distance), name: location.name, r: location.radius_m };
    const inside = polygon ? distance <= 0 : distance <= location.radius_m;
    let text;
    if (polygon) text = fill(inside ? T.inside_polygon : T.outside_polygon, values);
    else text = fill(inside ? T.inside : T.outside, values);
    $("pos-distance").textContent = text;
    $("pos-distance").className = inside ? "ok" : "far";
  }
  if (accuracy > page.accuracy_max_m) {
    advise(fill(T.poor, { a: Math.round(accuracy), max: Math.round(page.accuracy_max_m) }));
  } else {
    advise("");
  }
  safely(() => showOnMap(latitude, longitude, accuracy));
}

function watchPosition() {
  if (!("geolocation" in navigator)) {
    advise(T.unsupported);
    $("pos-distance").textContent = "–";
    return;
  }
  watchId = navigator.geolocation.watchPosition(showPosition, (error) => {
    advise(errorAdvice(error));
    if (!lastFix) $("pos-distance").textContent = "–";
  }, GEO_OPTIONS);
}

// A new fix for the tap itself (never a cached one). The display's watch is paused meanwhile:
// some browsers hold a second request until the watch's next update, which may never come
// while the phone is still.
function freshFix() {
  return new Promise((resolve, reject) => {
    if (!("geolocation" in navigator)) {
      reject({ code: undefined });
      return;
    }
    if (watchId !== null) navigator.geolocation.clearWatch(watchId);
    watchId = null;
    const restart = () => setTimeout(watchPosition, 0);
    navigator.geolocation.getCurrentPosition(
      (position) => { restart(); resolve(position); },
      (error) => { restart(); reject(error); },
      GEO_OPTIONS,
    );
  });
}

/* ---------- punch ---------- */
const button = $("punch-button");
const result = $("result");
let pendingKey = null; // reused until the server has answered this tap

function newKey() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

function setKind(kind) {
  button.dataset.kind = kind;
  button.classList.toggle("out", kind === "out");
  button.textContent = kind === "out" ? button.dataset.labelOut : button.dataset.labelIn;
}

function row(label, value, cls) {
  return [el("dt", {}, label), el("dd", cls ? { class: cls } : {}, value)];
}

function timingText(body) {
  if (body.late_minutes !== undefined && body.late_minutes !== null) {
    return body.late_minutes > 0 ? fill(T.late, { n: body.late_minutes }) : T.on_time;
  }
  if (body.early_minutes !== undefined && body.early_minutes !== null) {
    return body.early_minutes > 0 ? fill(T.early, { n: body.early_minutes }) : T.on_time;
  }
  return null;
}

function renderReceipt(body) {
  const kind = page.labels.kinds[body.kind] || body.kind;
  const verdict = page.labels.verdicts[body.verdict] || body.verdict;
  const flags = (body.flags || []).map((f) => page.labels.flags[f] || f);
  const where = body.location ? body.location.name : "–";
  const distance = body.distance_m !== null && body.distance_m !== undefined ? ` · ${Math.round(body.distance_m)} m` : "";
  const list = el("dl", {},
    ...row(T.time, `${body.local_time} ${page.zone_label}`),
    ...row(T.location, `${where}${distance}`),
    ...row(T.status, [flags.length ? `${verdict}: ${flags.join(", ")}` : verdict, timingText(body)]
      .filter(Boolean).join(" · ")),
    ...row(T.receipt, body.receipt, "code"),
  );
  return el("article", {
    class: `card receipt ${body.verdict}`, "data-receipt": body.receipt, id: "receipt", tabindex: "-1",
  },
    el("h2", {}, fill(T.receipt_title, { kind }), " ",
      el("span", { class: `badge badge-${body.verdict}` }, verdict)),
    list);
}

function renderRefusal(kind, message, extra) {
  const label = page.labels.kinds[kind] || kind;
  return el("article", { class: "card receipt rejected", role: "alert", id: "receipt", tabindex: "-1" },
    el("h2", {}, fill(T.refused_title, { kind: label })),
    el("p", { class: "refusal-message" }, message),
    extra || null);
}

// The answer takes the place under the button, gets the focus (screen readers read it) and
// stays in view.
function show(node) {
  result.replaceChildren(node);
  node.focus({ preventScroll: true });
  node.scrollIntoView({ behavior: "instant", block: "nearest" });
}

/* ---------- today's state and list, kept current without a reload ---------- */
let lastOut = page.last_out;

function updateToday(body) {
  const hm = body.local_time.slice(0, 5);
  const state = $("day-state");
  if (body.kind === "out") {
    lastOut = hm;
    state.dataset.state = "out";
    state.textContent = fill(T.state_out, { time: hm });
  } else if (state.dataset.state === "none") {
    state.dataset.state = "in";
    const timing = timingText(body);
    state.textContent = fill(T.state_in, { time: hm }) + (timing && body.late_minutes > 0 ? ` · ${timing}` : "");
  }
  const kind = page.labels.kinds[body.kind] || body.kind;
  const verdict = page.labels.verdicts[body.verdict] || body.verdict;
  const item = el("li", {}, el("strong", {}, body.local_time), ` ${kind} · `,
    el("span", { class: `badge badge-${body.verdict}` }, verdict),
    body.location ? ` · ${body.location.name}` : "");
  $("today-list").prepend(item);
  $("today-card").hidden = false;
}

// Leaving before the end of the day, or a second check-out: the employee says yes first.
async function confirmCheckOut() {
  if (!window.govemConfirm) return true;
  if (lastOut) {
    return window.govemConfirm(fill(T.confirm_again, { time: lastOut }), T.confirm_yes);
  }
  if (page.end) {
    const end = new Date(page.end);
    const minutes = Math.ceil((end.getTime() - serverNow().getTime()) / 60000);
    if (minutes > 0) {
      const endLabel = page.end.slice(11, 16);
      return window.govemConfirm(fill(T.confirm_early, { end: endLabel, n: minutes }), T.confirm_yes);
    }
  }
  return true;
}

async function send(payload) {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 15000);
    try {
      const response = await fetch(page.punch_url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify(payload),
        signal: controller.signal,
      });
      if (response.status < 500 || attempt === 2) return response;
    } catch (error) {
      if (attempt === 2) throw error;
    } finally {
      clearTimeout(timer);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000 * (attempt + 1)));
  }
  throw new Error("unreachable");
}

async function onTap() {
  const kind = button.dataset.kind;
  if (kind === "out" && !(await confirmCheckOut())) {
    button.focus();
    return;
  }
  button.disabled = true;
  button.textContent = T.locating;
  try {
    let fix;
    try {
      fix = await freshFix();
      showPosition(fix);
    } catch (error) {
      const advice = errorAdvice(error);
      advise(advice);
      show(renderRefusal(kind, advice));
      return;
    }
    button.textContent = T.sending;
    pendingKey = pendingKey || newKey();
    const payload = {
      kind,
      latitude: fix.coords.latitude,
      longitude: fix.coords.longitude,
      accuracy_m: fix.coords.accuracy,
      client_time: new Date().toISOString(),
      idempotency_key: pendingKey,
    };
    let response;
    try {
      response = await send(payload);
    } catch (error) {
      show(renderRefusal(kind, T.network));
      return; // the key is kept: the next tap retries the same attempt
    }
    let body = null;
    try {
      body = await response.json();
    } catch (error) {
      body = null;
    }
    if (response.status === 201 && body) {
      pendingKey = null;
      show(renderReceipt(body));
      updateToday(body);
      if (body.kind === "in") setKind("out");
      return;
    }
    if (response.status === 401 || (response.status === 403 && !body)) {
      pendingKey = null;
      const link = el("a", { href: `${page.login_url}?next=${encodeURIComponent(location.pathname)}`, class: "btn" }, T.login);
      show(renderRefusal(kind, T.session, el("p", {}, link)));
      return;
    }
    if (body && body.error) {
      pendingKey = null;
      show(renderRefusal(kind, body.error.message));
      if (body.error.code === "already_checked_in") setKind("out");
      return;
    }
    show(renderRefusal(kind, fill(T.server_error, { status: response.status })));
  } finally {
    button.disabled = false;
    if (button.textContent === T.locating || button.textContent === T.sending) {
      setKind(button.dataset.kind);
    }
  }
}

// The map is a help, never a requirement: if it fails, the clock and the button still work.
function safely(action) {
  try {
    action();
  } catch (error) {
    console.warn("Govem map:", error);
  }
}

tick();
setInterval(tick, 1000);
syncClock();
setInterval(syncClock, 5 * 60 * 1000);
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") syncClock();
});
watchPosition();
button.addEventListener("click", onTap);
