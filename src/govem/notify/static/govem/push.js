// Web Push for Govem pages: subscribe this browser to reminders.
// Usage (a page with a service worker registered that imports push-handler.js):
//   <script type="module">
//     import { enablePush } from "{% static 'govem/push.js' %}";
//     document.querySelector("#aktifkan-notifikasi").onclick = () => enablePush();
//   </script>
// The session endpoint (/notifikasi/push/) needs the CSRF cookie; the phone app uses
// POST /api/v1/push/subscriptions with its bearer token instead.

const ENDPOINT = "/notifikasi/push/";

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

function keyBytes(base64url) {
  const padded = (base64url + "=".repeat((4 - (base64url.length % 4)) % 4))
    .replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

export function pushSupported() {
  return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
}

export async function enablePush() {
  if (!pushSupported()) throw new Error("Peramban ini tidak mendukung notifikasi.");
  const permission = await Notification.requestPermission();
  if (permission !== "granted") throw new Error("Izin notifikasi tidak diberikan.");
  const info = await (await fetch(ENDPOINT, { credentials: "same-origin" })).json();
  if (!info.public_key) throw new Error("Notifikasi belum disiapkan Tim IT (govem vapid).");
  const registration = await navigator.serviceWorker.ready;
  const subscription =
    (await registration.pushManager.getSubscription()) ||
    (await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: keyBytes(info.public_key),
    }));
  const response = await fetch(ENDPOINT, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
    body: JSON.stringify(subscription.toJSON()),
  });
  if (!response.ok) throw new Error("Langganan notifikasi gagal disimpan.");
  return subscription;
}

export async function disablePush() {
  const registration = await navigator.serviceWorker.ready;
  const subscription = await registration.pushManager.getSubscription();
  if (!subscription) return;
  await fetch(ENDPOINT, {
    method: "DELETE",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
    body: JSON.stringify({ endpoint: subscription.endpoint }),
  });
  await subscription.unsubscribe();
}
