// Registers the service worker (served from the root scope at /sw.js) so Govem installs on
// a phone's home screen and the shell opens on a bad network.
if ("serviceWorker" in navigator && window.isSecureContext) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
  });
}
