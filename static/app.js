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
