// The job page: polls the job's status until it has finished, moving the progress bar, then
// reloads once so the page shows the download link (or the reason of a failure).
(function () {
  "use strict";
  var box = document.getElementById("job-state");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  var delay = 700;

  function field(name) { return box.querySelector('[data-job-field="' + name + '"]'); }

  function show(state) {
    var bar = field("percent");
    if (bar) { bar.value = state.percent; bar.textContent = state.percent + "%"; }
    var label = field("status_label");
    if (label) { label.textContent = state.status_label; }
    var counts = field("counts");
    if (counts) { counts.textContent = state.total ? state.done + " / " + state.total : ""; }
    var step = field("step");
    if (step) { step.textContent = state.step || ""; }
    var waiting = field("waiting_for_queue");
    if (waiting) { waiting.classList.toggle("hidden", !state.waiting_for_queue); }
    box.setAttribute("data-status", state.status);
  }

  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (state) {
        show(state);
        if (state.finished) { window.location.reload(); return; }
        delay = Math.min(delay * 1.2, 3000);
        window.setTimeout(poll, delay);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }

  if (box.getAttribute("data-status") === "queued" || box.getAttribute("data-status") === "running") {
    window.setTimeout(poll, delay);
  }
})();
