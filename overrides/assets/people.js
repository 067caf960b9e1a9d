/* Sorting and filtering for tables marked data-cp-sortable (the people index).
   Without this script the table is a plain table and the filter form stays hidden.
   Sort buttons sit in the column headers and report their state with aria-sort; the
   filters are labelled selects, and a status line says how many rows are shown. */
(function () {
  "use strict";

  function cellText(row, index) {
    if (index === 0 && row.dataset.sortName) return row.dataset.sortName;
    var cell = row.children[index];
    return cell ? cell.textContent.trim().toLowerCase() : "";
  }

  function makeSortable(table) {
    var headers = table.querySelectorAll("thead th");
    var body = table.tBodies[0];
    headers.forEach(function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "cp-sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellText(a, index), y = cellText(b, index);
          return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  function makeFilterable(table, form) {
    var selects = form.querySelectorAll("select");
    var status = form.querySelector("[role=status]");
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var match = Array.prototype.every.call(selects, function (select) {
          if (!select.value) return true;
          return (row.dataset[select.name] || "").split("|").indexOf(select.value) !== -1;
        });
        row.hidden = !match;
        if (match) shown += 1;
      });
      if (status) status.textContent = "Showing " + shown + " of " + rows.length + ".";
    }
    selects.forEach(function (select) { select.addEventListener("change", apply); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply();
  }

  function init() {
    document.querySelectorAll("table[data-cp-sortable]").forEach(function (table) {
      makeSortable(table);
      var form = document.querySelector("form[data-cp-filters='" + table.id + "']");
      if (form) makeFilterable(table, form);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
