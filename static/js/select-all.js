// A header checkbox marked data-select-all="<name>" ticks or clears every checkbox of that name
// in its form; it shows itself half-ticked when only some are. (No inline script: the CSP
// forbids it.)
(function () {
  "use strict";
  var toggles = document.querySelectorAll("input[type=checkbox][data-select-all]");
  Array.prototype.forEach.call(toggles, function (toggle) {
    var scope = toggle.form || document;
    var name = toggle.getAttribute("data-select-all");
    function boxes() {
      return Array.prototype.filter.call(
        scope.querySelectorAll("input[type=checkbox]"),
        function (box) { return box.name === name && box !== toggle && !box.disabled; }
      );
    }
    function reflect() {
      var all = boxes();
      var ticked = all.filter(function (box) { return box.checked; }).length;
      toggle.checked = all.length > 0 && ticked === all.length;
      toggle.indeterminate = ticked > 0 && ticked < all.length;
    }
    toggle.hidden = false;
    toggle.addEventListener("change", function () {
      boxes().forEach(function (box) { box.checked = toggle.checked; });
      toggle.indeterminate = false;
    });
    scope.addEventListener("change", function (event) {
      if (event.target !== toggle && event.target.name === name) { reflect(); }
    });
    reflect();
  });
})();
