// File inputs marked data-file-name-target show the chosen file's name in that element.
(function () {
  "use strict";
  var inputs = document.querySelectorAll("input[type=file][data-file-name-target]");
  Array.prototype.forEach.call(inputs, function (input) {
    input.addEventListener("change", function () {
      var target = document.getElementById(input.getAttribute("data-file-name-target"));
      if (target) {
        target.textContent = input.files.length ? input.files[0].name : input.getAttribute("data-none");
      }
    });
  });
})();
