// The admin's export page (django-import-export): the "select all" toggle, bound here because
// the Content-Security-Policy refuses inline handlers. onSelectToggleChange comes from
// import_export/export_selectable_fields.js, loaded by the page's form media.
(function () {
  "use strict";
  document.querySelectorAll("input.select-toggle").forEach(function (toggle) {
    toggle.addEventListener("change", function (event) {
      if (typeof window.onSelectToggleChange === "function") { window.onSelectToggleChange(event); }
    });
  });
})();
