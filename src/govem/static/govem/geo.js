// Distances for display on the employee page (the server's geodesic verdict is what counts).
const EARTH_RADIUS_M = 6371008.8;
const rad = (deg) => (deg * Math.PI) / 180;

export function haversine(lat1, lon1, lat2, lon2) {
  const dLat = rad(lat2 - lat1);
  const dLon = rad(lon2 - lon1);
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

function project(lat0, lat, lon) {
  // Local equirectangular metres around the point: fine for office-sized polygons.
  return [rad(lon) * EARTH_RADIUS_M * Math.cos(rad(lat0)), rad(lat) * EARTH_RADIUS_M];
}

function inside(point, ring) {
  let result = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if ((yi > point[1]) !== (yj > point[1]) && point[0] < ((xj - xi) * (point[1] - yi)) / (yj - yi) + xi) {
      result = !result;
    }
  }
  return result;
}

function segmentDistance(p, a, b) {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const length2 = dx * dx + dy * dy;
  const t = length2 ? Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2)) : 0;
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

export function distanceTo(location, lat, lon) {
  if (location.polygon && location.polygon.length >= 3) {
    const p = project(lat, lat, lon);
    const ring = location.polygon.map(([plat, plon]) => project(lat, plat, plon));
    if (inside(p, ring)) return { distance: 0, polygon: true };
    let best = Infinity;
    for (let i = 0; i < ring.length; i += 1) {
      best = Math.min(best, segmentDistance(p, ring[i], ring[(i + 1) % ring.length]));
    }
    return { distance: best, polygon: true };
  }
  return { distance: haversine(lat, lon, location.latitude, location.longitude), polygon: false };
}

// The location the point is closest to being inside of (distance beyond its radius).
export function nearest(locations, lat, lon) {
  let best = null;
  for (const location of locations) {
    const { distance, polygon } = distanceTo(location, lat, lon);
    const beyond = polygon ? distance : distance - location.radius_m;
    if (!best || beyond < best.beyond) best = { location, distance, polygon, beyond };
  }
  return best;
}
