// Draws work locations (circles and polygons) and punches on a Leaflet map; new punches
// arrive from live.js through the "govem:punches" event.
(function () {
  "use strict";
  const node = document.querySelector("[data-map]");
  if (!node || typeof L === "undefined") return;
  const data = JSON.parse(document.getElementById(node.dataset.map).textContent);
  const map = L.map(node);
  L.tileLayer(data.tiles, { attribution: data.attribution, maxZoom: 19 }).addTo(map);
  const bounds = [];
  const colours = { accepted: "#1b7f3a", flagged: "#c77700", rejected: "#b00020" };
  data.locations.forEach(function (loc) {
    if (loc.polygon && loc.polygon.length >= 3) {
      L.polygon(loc.polygon, { color: "#1a4d8f" }).addTo(map).bindTooltip(loc.name);
    } else {
      L.circle([loc.latitude, loc.longitude], { radius: loc.radius_m, color: "#1a4d8f" })
        .addTo(map).bindTooltip(loc.name + " (" + loc.radius_m + " m)");
    }
    bounds.push([loc.latitude, loc.longitude]);
  });
  function addPunch(p) {
    if (p.latitude === null || p.longitude === null) return;
    L.circleMarker([p.latitude, p.longitude], {
      radius: 6, color: colours[p.verdict] || "#333", fillOpacity: 0.8,
    }).addTo(map).bindPopup(p.time + " — " + p.employee.name + " (" + p.kind_label + "): " + p.text);
    bounds.push([p.latitude, p.longitude]);
  }
  data.punches.forEach(addPunch);
  if (bounds.length) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 17 });
  else map.setView([-2.94, 115.16], 12);
  document.addEventListener("govem:punches", function (event) { event.detail.forEach(addPunch); });
})();
