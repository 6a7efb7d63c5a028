// The shell of every page: the menu on phones, tables that scroll inside their own box,
// the app's own (Indonesian or English) validation messages instead of the browser's, and
// confirmation dialogs for forms marked data-confirm. No framework, no build step.
(function () {
  "use strict";
  const source = document.getElementById("govem-shell");
  const T = source ? JSON.parse(source.textContent) : {};

  /* ---------- menu ---------- */
  const toggle = document.getElementById("menu-toggle");
  const menu = document.getElementById("app-menu");
  function setMenu(open) {
    if (!toggle || !menu) return;
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("is-open", open);
  }
  if (toggle && menu) {
    toggle.addEventListener("click", () => {
      const open = toggle.getAttribute("aria-expanded") !== "true";
      setMenu(open);
      if (open) {
        const first = menu.querySelector("a, button");
        if (first) first.focus();
      }
    });
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        setMenu(false);
        toggle.focus();
      }
    });
  }

  /* ---------- "Kembali" on error pages (a javascript: link would need unsafe-inline) ---------- */
  document.querySelectorAll("a[data-history-back]").forEach((link) => {
    link.addEventListener("click", (event) => {
      if (window.history.length < 2) return; // opened directly: the link's own address
      event.preventDefault();
      window.history.back();
    });
  });

  document.querySelectorAll("button[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });

  /* ---------- wide tables scroll in their own box, never the page ---------- */
  document.querySelectorAll("main table").forEach((table) => {
    if (table.closest(".table-responsive, .table-scroll, .scroll")) return;
    const box = document.createElement("div");
    box.className = "table-responsive";
    table.parentNode.insertBefore(box, table);
    box.appendChild(table);
  });
  document.querySelectorAll("main table").forEach((table) => {
    if (!table.classList.contains("table")) table.classList.add("table", "table-sm");
  });
  // A box that scrolls sideways must be reachable by keyboard, and named (uniquely: not the
  // same name as the section around it) for screen readers.
  const names = new Set();
  document.querySelectorAll(".table-responsive, .table-scroll, .scroll").forEach((box) => {
    if (!box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
    if (box.hasAttribute("aria-label")) return;
    const table = box.querySelector("table");
    const caption = table && table.querySelector("caption");
    const section = box.closest("section");
    const heading = caption || (section && section.querySelector("h2, h3"));
    let name = `${T.table || "Tabel"}${heading ? `: ${heading.textContent.trim()}` : ""}`;
    for (let n = 2; names.has(name); n += 1) name = `${T.table || "Tabel"} ${n}${heading ? `: ${heading.textContent.trim()}` : ""}`;
    names.add(name);
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", name);
  });

  /* ---------- validation messages in the page's language ---------- */
  function message(field) {
    const v = field.validity;
    if (v.valueMissing) return field.type === "file" ? T.file_required : T.required;
    if (v.typeMismatch) return T.type_mismatch;
    if (v.patternMismatch) return field.dataset.patternMessage || T.pattern;
    if (v.tooShort) return T.too_short;
    if (v.tooLong) return T.too_long;
    if (v.rangeUnderflow) return T.range_underflow;
    if (v.rangeOverflow) return T.range_overflow;
    if (v.badInput || v.stepMismatch) return T.bad_input;
    return "";
  }
  function feedbackFor(field) {
    const id = `${field.id || field.name || "field"}-feedback`;
    let node = document.getElementById(id);
    if (!node) {
      node = document.createElement("div");
      node.id = id;
      node.className = "invalid-feedback d-block field-error";
      const anchor = field.closest("label") || field;
      anchor.insertAdjacentElement("afterend", node);
      const described = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (!described.includes(id)) field.setAttribute("aria-describedby", [...described, id].join(" "));
    }
    return node;
  }
  document.addEventListener("invalid", (event) => {
    const field = event.target;
    if (!(field instanceof HTMLElement) || !field.validity) return;
    field.setCustomValidity("");
    const text = message(field);
    if (!text) return;
    field.setCustomValidity(text);
    field.classList.add("is-invalid");
    field.setAttribute("aria-invalid", "true");
    feedbackFor(field).textContent = text;
  }, true);
  function clear(event) {
    const field = event.target;
    if (!field || !field.classList || !field.classList.contains("is-invalid")) return;
    field.setCustomValidity("");
    if (field.checkValidity()) {
      field.classList.remove("is-invalid");
      field.removeAttribute("aria-invalid");
      const node = document.getElementById(`${field.id || field.name || "field"}-feedback`);
      if (node) node.textContent = "";
    }
  }
  document.addEventListener("input", clear, true);
  document.addEventListener("change", clear, true);

  /* ---------- confirmation before a form does something large ---------- */
  function confirmDialog(text, confirmLabel) {
    return new Promise((resolve) => {
      const dialog = document.createElement("dialog");
      dialog.className = "confirm-dialog";
      dialog.setAttribute("aria-labelledby", "confirm-text");
      const p = document.createElement("p");
      p.id = "confirm-text";
      p.textContent = text;
      const actions = document.createElement("div");
      actions.className = "confirm-actions";
      const cancel = document.createElement("button");
      cancel.type = "button";
      cancel.className = "btn btn-outline-secondary";
      cancel.textContent = T.cancel || "Batal";
      const ok = document.createElement("button");
      ok.type = "button";
      ok.className = "btn btn-primary";
      ok.id = "confirm-yes";
      ok.textContent = confirmLabel || T.confirm || "OK";
      actions.append(cancel, ok);
      dialog.append(p, actions);
      document.body.append(dialog);
      const done = (answer) => {
        dialog.close();
        dialog.remove();
        resolve(answer);
      };
      cancel.addEventListener("click", () => done(false));
      ok.addEventListener("click", () => done(true));
      dialog.addEventListener("cancel", (event) => { event.preventDefault(); done(false); });
      dialog.showModal();
      ok.focus();
    });
  }
  window.govemConfirm = confirmDialog;
  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) return;
    if (form.dataset.confirmed === "yes") return;
    event.preventDefault();
    const submitter = event.submitter || null;
    if (await confirmDialog(form.dataset.confirm, form.dataset.confirmYes)) {
      form.dataset.confirmed = "yes";
      if (form.requestSubmit) form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
      else form.submit();
    }
  }, true);
})();
