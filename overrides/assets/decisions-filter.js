// Filters for the decisions register (/decisions/). Without this script the page is a plain
// table of every decision; with it, the labelled selects above the table hide the rows that
// do not match. Each row carries its body, year, type and key status as data attributes.
(function () {
  "use strict";

  function setUp() {
    var form = document.getElementById("decision-filters");
    var table = document.getElementById("decision-register");
    if (!form || !table || form.dataset.ready) {
      return;
    }
    form.dataset.ready = "1";
    var selects = form.querySelectorAll("select[data-filter]");
    var rows = table.tBodies[0].rows;
    var count = document.getElementById("decision-count");

    function apply() {
      var shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var row = rows[i];
        var match = true;
        for (var j = 0; j < selects.length; j++) {
          var wanted = selects[j].value;
          if (wanted && row.getAttribute("data-" + selects[j].dataset.filter) !== wanted) {
            match = false;
          }
        }
        row.hidden = !match;
        shown += match ? 1 : 0;
      }
      count.textContent = shown + " of " + rows.length + " decisions shown";
    }

    for (var k = 0; k < selects.length; k++) {
      selects[k].addEventListener("change", apply);
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    form.hidden = false;
    apply();
  }

  // material's instant navigation swaps pages without a load event: listen for both.
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(setUp);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
