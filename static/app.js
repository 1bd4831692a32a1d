// Small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.remove("no-js");
  document.documentElement.classList.add("js");

  // Close the user menu when clicking elsewhere.
  document.addEventListener("click", function (ev) {
    document.querySelectorAll("details.usermenu[open]").forEach(function (d) {
      if (!d.contains(ev.target)) d.removeAttribute("open");
    });
  });

  // Ask before destructive form posts (buttons with data-confirm).
  document.addEventListener("click", function (ev) {
    var b = ev.target.closest && ev.target.closest("[data-confirm]");
    if (b && !window.confirm(b.getAttribute("data-confirm"))) ev.preventDefault();
  });

  // Permission checkboxes: a child is greyed and unticked while its parent is off.
  function childrenOf(form, key) {
    return form.querySelectorAll('input[name="permissions"][data-parent="' + key + '"]');
  }
  function sync(form, box) {
    childrenOf(form, box.value).forEach(function (c) {
      c.disabled = !box.checked;
      if (!box.checked) c.checked = false;
      var label = c.closest("label");
      if (label) label.classList.toggle("is-disabled", c.disabled);
      sync(form, c);
    });
  }
  document.addEventListener("change", function (ev) {
    var box = ev.target;
    if (box.name !== "permissions" || box.hasAttribute("hx-post")) return;
    var form = box.closest("form");
    if (form) sync(form, box);
  });
  // "Select all / none" per group when not saving in place (new or cloned profile).
  document.addEventListener("click", function (ev) {
    var b = ev.target.closest && ev.target.closest("[data-group-select]");
    if (!b || b.hasAttribute("hx-post")) return;
    var fs = b.closest("fieldset");
    var form = b.closest("form");
    var on = b.getAttribute("data-group-select") === "all";
    fs.querySelectorAll('input[name="permissions"]').forEach(function (c) {
      var parent = c.getAttribute("data-parent");
      var p = parent ? form.querySelector('input[name="permissions"][value="' + parent + '"]') : null;
      if (on && p && !p.checked) return;
      c.disabled = false;
      c.checked = on;
    });
    fs.querySelectorAll('input[name="permissions"]').forEach(function (c) { sync(form, c); });
  });

  // Select the freshly created token or invitation link for copying.
  document.addEventListener("DOMContentLoaded", function () {
    var t = document.querySelector(".token-value");
    if (t) { t.focus(); t.select(); }
  });
})();

// Exports: download with a progress indicator (rows received so far, and a percentage when
// the page knows how many rows to expect). Without JavaScript the link downloads directly.
(function () {
  "use strict";
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest && ev.target.closest("a[data-export]");
    if (!a || !window.fetch || !window.ReadableStream || ev.ctrlKey || ev.metaKey) return;
    ev.preventDefault();
    if (a.getAttribute("aria-busy") === "true") return;
    var expected = parseInt(a.getAttribute("data-rows-estimate") || "0", 10);
    var box = document.getElementById("export-progress");
    if (!box) {
      box = document.createElement("div");
      box.id = "export-progress";
      box.className = "export-progress";
      box.setAttribute("role", "status");
      box.innerHTML = '<progress max="100"></progress> <span></span>';
      a.parentNode.insertBefore(box, a.nextSibling);
    }
    var bar = box.querySelector("progress");
    var label = box.querySelector("span");
    if (!expected) bar.removeAttribute("value");
    a.setAttribute("aria-busy", "true");
    var rows = -1, chunks = [];
    fetch(a.href, { credentials: "same-origin" }).then(function (res) {
      if (!res.ok) throw new Error(res.status + " " + res.statusText);
      var name = "export.csv";
      var cd = res.headers.get("Content-Disposition") || "";
      var m = cd.match(/filename="([^"]+)"/);
      if (m) name = m[1];
      var reader = res.body.getReader();
      function pump() {
        return reader.read().then(function (r) {
          if (r.done) return name;
          chunks.push(r.value);
          for (var i = 0; i < r.value.length; i++) if (r.value[i] === 10) rows++;
          label.textContent = rows.toLocaleString() + (expected ? " / " + expected.toLocaleString() : "") + " rows";
          if (expected) bar.value = Math.min(100, Math.round((rows * 100) / expected));
          return pump();
        });
      }
      return pump();
    }).then(function (name) {
      var url = URL.createObjectURL(new Blob(chunks, { type: "text/csv" }));
      var link = document.createElement("a");
      link.href = url;
      link.download = name;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
      bar.value = 100;
      label.textContent = Math.max(rows, 0).toLocaleString() + " rows — done";
    }).catch(function (e) {
      label.textContent = "Export failed: " + e.message;
    }).finally(function () {
      a.removeAttribute("aria-busy");
    });
  });
})();
