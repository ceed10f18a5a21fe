// The claim form: asks the server what the rules would credit while the form is filled in.
(function () {
  "use strict";
  var form = document.getElementById("claim-form");
  if (!form) { return; }
  var hours = document.getElementById("preview-hours");
  var note = document.getElementById("preview-note");
  var timer = null;
  function refresh() {
    var data = new FormData(form);
    data.delete("evidence");
    fetch(form.dataset.previewUrl, {method: "POST", body: data, credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (answer) {
        if (answer.errors) {
          hours.textContent = "—";
          note.textContent = answer.errors.join("；");
        } else if (answer.incomplete) {
          hours.textContent = "—";
          note.textContent = answer.note;
        } else {
          hours.textContent = answer.hours + "（" + answer.subject + "）";
          note.textContent = answer.note;
        }
      });
  }
  form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(refresh, 250); });
  form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(refresh, 50); });
  refresh();
})();
