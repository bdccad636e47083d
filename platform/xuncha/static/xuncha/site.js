// Loaded by every page; no inline script anywhere (the Content-Security-Policy forbids it).
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target.matches && target.matches("select[data-submit-on-change]")) {
    target.form.submit();
  }
});
// A refused submit's page (403.html): back to the form in history, where the browser kept what was typed.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a[data-history-back]");
  if (link && window.history.length > 1) {
    event.preventDefault();
    window.history.back();
  }
});
