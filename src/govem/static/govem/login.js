// A stable id for this browser, generated once and kept in localStorage; the server binds
// an employee's account to it (without JavaScript the server's cookie stands in for it).
(function () {
  "use strict";
  const KEY = "govem-device-id";
  function randomId() {
    if (window.crypto && crypto.randomUUID) return "web-" + crypto.randomUUID();
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return "web-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }
  let id = null;
  try {
    id = localStorage.getItem(KEY);
    if (!id || !/^[A-Za-z0-9_\-:.]{8,128}$/.test(id)) {
      id = randomId();
      localStorage.setItem(KEY, id);
    }
  } catch (error) {
    id = null; // storage blocked: the server's device cookie is used instead
  }
  const field = document.getElementById("device-id");
  if (field && id) field.value = id;
  // Pages of the previous user must not stay in this browser's offline cache.
  if (window.caches) {
    caches.keys().then((keys) => keys.filter((k) => k.startsWith("govem-pages")).forEach((k) => caches.delete(k)));
  }
})();
