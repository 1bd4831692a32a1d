// Small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  // Close the user menu when clicking elsewhere.
  document.addEventListener("click", function (ev) {
    document.querySelectorAll("details.usermenu[open]").forEach(function (d) {
      if (!d.contains(ev.target)) d.removeAttribute("open");
    });
  });
  // Select the freshly created token for copying.
  document.addEventListener("DOMContentLoaded", function () {
    var t = document.querySelector(".token-value");
    if (t) { t.focus(); t.select(); }
  });
})();
