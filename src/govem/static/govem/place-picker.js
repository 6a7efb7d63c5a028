// Pengajuan: the duty-travel / WFH place is picked on a map (tap) or taken from the phone's
// position ("Pakai lokasi saya"); the coordinates fill the form's fields. Leaflet is loaded
// only on this page, from the package's static files.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("place-picker-data").textContent);
  const lat = document.getElementById("latitude");
  const lon = document.getElementById("longitude");
  const radius = document.getElementById("radius_m");
  const status = document.getElementById("place-status");
  const node = document.getElementById("place-map");
  let map = null;
  let marker = null;
  let circle = null;

  function place(latitude, longitude) {
    lat.value = latitude.toFixed(6);
    lon.value = longitude.toFixed(6);
    status.textContent = `${lat.value}, ${lon.value}`;
    if (!radius.value) radius.value = "100";
    if (!map) return;
    const r = Number(radius.value) || 100;
    if (!marker) {
      marker = L.marker([latitude, longitude], { keyboard: false }).addTo(map);
      circle = L.circle([latitude, longitude], { radius: r, color: "#0b5d3b", weight: 2 }).addTo(map);
    } else {
      marker.setLatLng([latitude, longitude]);
      circle.setLatLng([latitude, longitude]).setRadius(r);
    }
    map.setView([latitude, longitude], Math.max(map.getZoom(), 15));
  }

  function start() {
    map = L.map(node, { keyboard: false }).setView(data.center, 14);
    if (data.tiles) L.tileLayer(data.tiles, { attribution: data.attribution, maxZoom: 19 }).addTo(map);
    map.on("click", (event) => place(event.latlng.lat, event.latlng.lng));
    if (lat.value && lon.value) place(Number(lat.value), Number(lon.value));
  }

  const css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = data.leaflet_css;
  document.head.append(css);
  const script = document.createElement("script");
  script.src = data.leaflet_js;
  script.onload = start;
  script.onerror = () => { node.hidden = true; };
  document.head.append(script);

  document.getElementById("use-my-location").addEventListener("click", () => {
    if (!("geolocation" in navigator)) {
      status.textContent = data.denied;
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (position) => place(position.coords.latitude, position.coords.longitude),
      () => { status.textContent = data.denied; },
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 0 },
    );
  });
  document.getElementById("clear-place").addEventListener("click", () => {
    lat.value = "";
    lon.value = "";
    radius.value = "";
    status.textContent = "";
    if (marker) { marker.remove(); circle.remove(); marker = null; circle = null; }
  });
  radius.addEventListener("input", () => { if (circle) circle.setRadius(Number(radius.value) || 100); });
})();
