// TTĐN — narratives: show the recalibrated threshold and the narrative's counts after a decision
// (the server sends them in the HX-Trigger header), and add variant rows to the narrative form.
(function () {
  "use strict";
  document.addEventListener("ttdn:threshold", function (event) {
    var detail = event.detail || {};
    document.querySelectorAll("#match-threshold").forEach(function (el) { el.textContent = detail.value; });
    document.querySelectorAll("#match-decisions").forEach(function (el) { el.textContent = detail.decisions; });
    // the narrative's own counts (pending / confirmed / rejected), where the page shows them
    var counts = detail.counts || {};
    document.querySelectorAll("[data-narrative][data-count]").forEach(function (el) {
      if (String(el.dataset.narrative) === String(detail.narrative) && counts[el.dataset.count] !== undefined) {
        el.textContent = counts[el.dataset.count];
      }
    });
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("button.add-variant").forEach(function (button) {
      var body = document.getElementById(button.dataset.rows);
      if (!body || !body.rows.length) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        var row = body.rows[body.rows.length - 1].cloneNode(true);
        row.querySelectorAll("input, textarea").forEach(function (field) { field.value = ""; });
        body.appendChild(row);
        row.querySelector("input").focus();
      });
    });
  });
})();
