// TTĐN — let HTMX show the page's own error answers (bad query, form to correct, file too large)
// in place, as it does for successful ones; other errors keep HTMX's default (no swap).
(function () {
  "use strict";
  var shown = { 400: true, 404: true, 409: true, 413: true, 422: true };
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && shown[xhr.status]) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
