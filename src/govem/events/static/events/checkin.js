// Event check-in: position from the phone, time and verdict from the server (same as a punch).
const button = document.getElementById("event-checkin");
const result = document.getElementById("event-result");
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

function show(text, ok) {
  result.textContent = text;
  result.className = ok ? "msg msg-success" : "msg msg-error";
}

function position() {
  return new Promise((resolve, reject) => {
    if (!("geolocation" in navigator)) { reject(new Error(button.dataset.noGps)); return; }
    navigator.geolocation.getCurrentPosition(resolve, () => reject(new Error(button.dataset.noGps)), {
      enableHighAccuracy: true, timeout: 20000, maximumAge: 0,
    });
  });
}

if (button) {
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const fix = await position();
      pendingKey = pendingKey || newKey();
      const response = await fetch(button.dataset.url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify({
          latitude: fix.coords.latitude,
          longitude: fix.coords.longitude,
          accuracy_m: fix.coords.accuracy,
          client_time: new Date().toISOString(),
          idempotency_key: pendingKey,
        }),
      });
      const body = await response.json();
      pendingKey = null;
      if (response.status === 201) {
        show(`${button.dataset.done} ${body.local_time} — ${body.receipt}`, true);
        result.dataset.receipt = body.receipt;
        button.hidden = true;
        return;
      }
      show(body.error ? body.error.message : String(response.status), false);
    } catch (error) {
      show(error.message, false);
    }
    button.disabled = false;
  });
}
