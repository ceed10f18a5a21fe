// The main navigation on a narrow screen: hidden behind the "菜单" button until it is pressed.
// Without this script the navigation simply stays open (the CSS only hides it under .js-nav).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector("button.nav-toggle");
    var nav = document.getElementById("mainnav");
    if (!button || !nav) {
      return;
    }
    nav.classList.add("js-nav");
    button.classList.add("js-nav");
    button.addEventListener("click", function () {
      var open = nav.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  });
})();
