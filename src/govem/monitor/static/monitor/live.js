// Govem live monitoring: polls the change feed every ~2 s while the tab is visible.
// No broker and no server state: the cursor travels with each request, so any server
// process can answer. Punches already shown are recognised by id (the feed looks back).
(function () {
  "use strict";
  const root = document.querySelector("[data-feed-url]");
  if (!root) return;
  const url = root.dataset.feedUrl;
  const interval = Number(root.dataset.interval || 2000);
  const list = document.getElementById("feed");
  const seen = new Set();
  let cursor = root.dataset.cursor || "";
  let timer = null;
  let busy = false;

  document.querySelectorAll("#feed [data-punch-id]").forEach(function (item) {
    seen.add(Number(item.dataset.punchId));
  });

  function text(tag, className, value) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    node.textContent = value;
    return node;
  }

  function render(punch) {
    const item = document.createElement("li");
    item.dataset.punchId = punch.id;
    item.className = "feed-item verdict-" + punch.verdict + (punch.source === "manual" ? " source-manual" : "");
    item.appendChild(text("span", "feed-time", punch.time));
    const link = document.createElement("a");
    link.href = punch.day_url;
    link.textContent = punch.employee.name;
    item.appendChild(link);
    item.appendChild(text("span", "feed-kind", punch.kind_label));
    item.appendChild(text("span", "feed-text", punch.text));
    item.appendChild(text("span", "feed-unit", punch.employee.unit));
    return item;
  }

  function apply(body) {
    cursor = body.cursor;
    root.dataset.cursor = cursor;
    const fresh = body.punches.filter(function (p) { return !seen.has(p.id); });
    fresh.forEach(function (punch) {
      seen.add(punch.id);
      if (list) list.insertBefore(render(punch), list.firstChild);
    });
    if (list) {
      while (list.children.length > 100) list.removeChild(list.lastChild);
      const empty = document.getElementById("feed-empty");
      if (empty && list.children.length) empty.hidden = true;
    }
    Object.keys(body.tiles || {}).forEach(function (key) {
      document.querySelectorAll('[data-tile="' + key + '"]').forEach(function (node) {
        node.textContent = body.tiles[key];
      });
    });
    const stamp = document.getElementById("feed-updated");
    if (stamp) stamp.textContent = body.server_time.substring(11, 19);
    if (fresh.length) document.dispatchEvent(new CustomEvent("govem:punches", { detail: fresh }));
  }

  function poll() {
    if (busy || document.visibilityState !== "visible") return;
    busy = true;
    const params = new URLSearchParams({ after: cursor, date: root.dataset.date || "" });
    if (root.dataset.unit) params.set("unit", root.dataset.unit);
    fetch(url + "?" + params.toString(), { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) { if (body) apply(body); })
      .catch(function () { /* offline for a moment: the next poll catches up */ })
      .finally(function () { busy = false; });
  }

  function start() {
    if (timer === null) timer = window.setInterval(poll, interval);
  }
  function stop() {
    if (timer !== null) window.clearInterval(timer);
    timer = null;
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { poll(); start(); } else { stop(); }
  });
  if (document.visibilityState === "visible") start();
})();
