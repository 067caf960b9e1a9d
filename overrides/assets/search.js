/* The search page: Pagefind's UI over the newest year's index, with every other year and the
   rest of the site merged in (one index per year, so publishing a meeting re-indexes its
   year only). A query in the address (?q=...), from the header's search box, runs at once. */
(function () {
  var root = document.getElementById("cp-search");
  if (!root || typeof PagefindUI === "undefined") return;
  // Relative to this page, made absolute: Pagefind resolves them from its own script.
  var bundles = JSON.parse(root.getAttribute("data-bundles")).map(function (path) {
    return new URL(path, document.baseURI).pathname;
  });
  var ui = new PagefindUI({
    element: "#cp-search",
    bundlePath: bundles[0],
    mergeIndex: bundles.slice(1).map(function (path) { return { bundlePath: path }; }),
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    autofocus: false,
    // Pagefind waits 300 ms after each key press by default; a reader waits for that too.
    debounceTimeoutMs: 100
  });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) ui.triggerSearch(query);
})();
