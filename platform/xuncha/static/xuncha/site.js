// Loaded by every page; no inline script anywhere (the Content-Security-Policy forbids it).
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target.matches && target.matches("select[data-submit-on-change]")) {
    target.form.submit();
  }
});
