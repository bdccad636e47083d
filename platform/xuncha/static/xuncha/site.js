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
// Narrow screens: the navigation opens and closes behind the 菜单 button.
document.addEventListener("click", function (event) {
  var toggle = event.target.closest && event.target.closest("button.nav-toggle");
  if (toggle) {
    var open = document.body.classList.toggle("nav-open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }
});
// 打印: the whole page, or only the section the button belongs to (data-print="section").
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("button[data-print]");
  if (!button) return;
  var section = button.getAttribute("data-print") === "section" && button.closest(".print-section");
  if (section) {
    document.body.classList.add("print-one");
    section.classList.add("print-target");
  }
  window.print();
});
window.addEventListener("afterprint", function () {
  document.body.classList.remove("print-one");
  document.querySelectorAll(".print-target").forEach(function (el) { el.classList.remove("print-target"); });
});
// Narrow screens show each table row as a card: every cell gets its column's name from the header row
// (a first row of <th> only), which the stylesheet hides there and shows before each cell.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("table.grid").forEach(function (table) {
    var rows = table.rows;
    if (rows.length < 2) return;
    var head = rows[0], names = [];
    for (var i = 0; i < head.cells.length; i++) {
      if (head.cells[i].tagName !== "TH") return;  // a label/value table: its rows already read as pairs
      for (var span = 0; span < (head.cells[i].colSpan || 1); span++) names.push(head.cells[i].textContent.trim());
    }
    if (names.length < 2) return;
    head.classList.add("reflow-head");
    for (var r = 1; r < rows.length; r++) {
      var column = 0;
      for (var c = 0; c < rows[r].cells.length; c++) {
        var cell = rows[r].cells[c];
        if (cell.tagName === "TD" && names[column] && (cell.colSpan || 1) === 1) cell.setAttribute("data-label", names[column]);
        column += cell.colSpan || 1;
      }
    }
  });
});
