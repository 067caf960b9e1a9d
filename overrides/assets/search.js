/* The search page: a small interface on Pagefind's JS API (pagefind.js), not Pagefind's UI.

   Why not pagefind-ui: it merges every index it is given when it starts and fetches every
   filter file to show counts, so a reader's first query cost grew with the archive (1.35 MB
   at ten years). Here the first query fetches the code, the newest papers' indexes and the
   chunks of its words; older papers' indexes are merged when the reader asks ("Search older
   papers too") or picks a year, and the filter values are in the page (written at build).

   The site has one index per period of papers (a month, `2026-11`, at a busy council's pace;
   a year, `2026`, for a quiet one), one for each year's listing pages (`2026-lists`), and
   `people` and `site` for the pages of no period (searchindex.py). Each scope (the newest
   papers, all years, one year) is one Pagefind instance: the first index of the scope is its
   primary (it loads the wasm), the others are merged into it (Pagefind's mergeIndex).
   `people` and `site` are searched with the newest papers and with all years. Text from the index is
   put in the page as text, never as HTML: only Pagefind's <mark> around matched words is
   turned into elements. */
(function () {
  "use strict";

  var form = document.getElementById("cp-search");
  if (!form || !window.URL) return;

  var root = new URL(form.getAttribute("data-pagefind"), document.baseURI).pathname;
  // Result links start from the site's root, wherever the site is served from.
  var options = { baseUrl: root.replace(/pagefind\/$/, "") || "/" };
  var years = JSON.parse(form.getAttribute("data-years"));
  var yearGroups = JSON.parse(form.getAttribute("data-year-groups"));
  var recent = JSON.parse(form.getAttribute("data-recent"));
  var undated = JSON.parse(form.getAttribute("data-undated"));
  var recentLabel = form.getAttribute("data-recent-label");
  var dated = [];
  years.forEach(function (y) { dated = dated.concat(yearGroups[y]); });
  var older = dated.filter(function (g) { return recent.indexOf(g) < 0; });
  var box = document.getElementById("cp-search-q");
  var yearSelect = document.getElementById("cp-search-year");
  var filterSelects = form.querySelectorAll("select[data-filter]");
  var heading = document.getElementById("cp-search-heading");
  var status = document.getElementById("cp-search-status");
  var list = document.getElementById("cp-search-results");
  var more = document.getElementById("cp-search-more");
  var olderNote = document.getElementById("cp-search-older-note");
  var olderButton = document.getElementById("cp-search-older");

  var PAGE = 10;
  var KINDS = {
    agenda: "Agenda", report: "Report", appendix: "Appendix", minutes: "Minutes",
    decision: "Decision"
  };
  var PURPOSES = { decision: "for decision", information: "for information",
    discussion: "for discussion" };

  var pagefind = null;            // the module, loaded once
  var instances = {};             // scope key -> Promise of a Pagefind instance
  var searchCount = 0;            // the newest search; older answers are dropped
  var shown = [];                 // results of the current search, and how many are drawn
  var drawn = 0;
  var timer = null;

  function loadModule() {
    if (!pagefind) pagefind = import(root + "site/pagefind.js");
    return pagefind;
  }

  /* The periods a search covers and the indexes that hold them. */
  function scope() {
    var year = yearSelect.value;
    if (year === "all") return { key: "all", groups: dated.concat(undated), label: "all years" };
    if (year) return { key: year, groups: yearGroups[year], label: year };
    return { key: "recent", groups: recent.concat(undated), label: recentLabel };
  }

  function instanceFor(s) {
    if (instances[s.key]) return instances[s.key];
    var start;
    if (s.key === "all" && instances.recent) {
      // The newest papers are loaded: merge only the older ones into the same instance.
      start = instances.recent.then(function (inst) {
        return Promise.all(older.map(function (y) {
          return inst.mergeIndex(root + y + "/", options);
        })).then(function () { return inst; });
      });
      delete instances.recent;
    } else {
      start = loadModule().then(function (module) {
        var inst = module.createInstance({ basePath: root + s.groups[0] + "/", noWorker: true,
          excerptLength: 24, baseUrl: options.baseUrl });
        return Promise.all(s.groups.slice(1).map(function (g) {
          return inst.mergeIndex(root + g + "/", options);
        })).then(function () { return inst.init(); }).then(function () { return inst; });
      });
    }
    instances[s.key] = start;
    return start;
  }

  function filters() {
    var chosen = {};
    for (var i = 0; i < filterSelects.length; i++) {
      if (filterSelects[i].value) chosen[filterSelects[i].name] = filterSelects[i].value;
    }
    return chosen;
  }

  function remember() {
    var params = new URLSearchParams();
    if (box.value.trim()) params.set("q", box.value.trim());
    if (yearSelect.value) params.set("year", yearSelect.value);
    var chosen = filters();
    Object.keys(chosen).forEach(function (k) { params.set(k, chosen[k]); });
    var query = params.toString();
    history.replaceState(null, "", query ? "?" + query : window.location.pathname);
  }

  /* Pagefind's excerpt is the page's text with < and > escaped and <mark> around matches. */
  function excerpt(node, text) {
    var parts = text.split(/<mark>|<\/mark>/);
    for (var i = 0; i < parts.length; i++) {
      var plain = parts[i].replace(/&lt;/g, "<").replace(/&gt;/g, ">");
      if (!plain) continue;
      if (i % 2) {
        var mark = document.createElement("mark");
        mark.textContent = plain;
        node.appendChild(mark);
      } else {
        node.appendChild(document.createTextNode(plain));
      }
    }
  }

  function about(data) {
    var f = data.filters || {};
    var parts = [];
    var kind = (f.kind || [])[0];
    parts.push(KINDS[kind] || "Page");
    if (f.body) parts.push(f.body[0]);
    if (f.year) parts.push(f.year[0]);
    if (f.purpose && PURPOSES[f.purpose[0]]) parts.push(PURPOSES[f.purpose[0]]);
    return parts.join(" · ");
  }

  function item(data) {
    var li = document.createElement("li");
    li.className = "cp-search__result";
    var title = document.createElement("h3");
    title.className = "cp-search__title";
    var link = document.createElement("a");
    link.href = data.url;
    link.textContent = (data.meta && data.meta.title) || data.url;
    title.appendChild(link);
    li.appendChild(title);
    var line = document.createElement("p");
    line.className = "cp-search__about";
    line.textContent = about(data);
    li.appendChild(line);
    var text = document.createElement("p");
    text.className = "cp-search__excerpt";
    excerpt(text, data.excerpt || "");
    li.appendChild(text);
    var sections = (data.sub_results || []).filter(function (sub) {
      return sub.url !== data.url && sub.url.indexOf("#") > 0;
    }).slice(0, 3);
    if (sections.length) {
      var ul = document.createElement("ul");
      ul.className = "cp-search__sections";
      ul.setAttribute("aria-label", "Matching sections");
      sections.forEach(function (sub) {
        var sli = document.createElement("li");
        var a = document.createElement("a");
        a.href = sub.url;
        a.textContent = sub.title;
        sli.appendChild(a);
        var p = document.createElement("span");
        p.className = "cp-search__excerpt";
        p.appendChild(document.createTextNode(": "));
        excerpt(p, sub.excerpt || "");
        sli.appendChild(p);
        ul.appendChild(sli);
      });
      li.appendChild(ul);
    }
    return li;
  }

  /* Marks for bench/search.py: when a search ran, found its results, drew the first. */
  function mark(name) {
    if (window.performance && performance.mark) performance.mark(name);
  }

  function say(text) {
    status.textContent = text;
  }

  function describe(count, term, s) {
    var what = count === 0 ? "No results" : count === 1 ? "1 result" : count + " results";
    var text = what + " for \u201c" + term + "\u201d in " + s.label;
    if (count > drawn) text += ", showing the first " + drawn;
    return text + ".";
  }

  /* The next page of results: their fragments are fetched at once and each is drawn, in
     order, as soon as it and those before it have arrived, so the first shows early. */
  function drawMore(count) {
    var mine = count;
    var next = shown.slice(drawn, drawn + PAGE).map(function (r) { return r.data(); });
    var chain = Promise.resolve(true);
    next.forEach(function (loading) {
      chain = chain.then(function (current) {
        if (!current) return false;
        return loading.then(function (data) {
          if (mine !== searchCount) return false;
          list.appendChild(item(data));
          if (!drawn) mark("cp-search-drawn");
          drawn += 1;
          return true;
        });
      });
    });
    return chain.then(function (current) {
      if (current) more.hidden = drawn >= shown.length;
      return current;
    });
  }

  function run() {
    var term = box.value.trim();
    var s = scope();
    var mine = ++searchCount;
    remember();
    if (!term) {
      heading.hidden = true;
      list.textContent = "";
      more.hidden = true;
      if (olderNote) olderNote.hidden = true;
      say("");
      return;
    }
    heading.hidden = false;
    say("Searching " + s.label + "\u2026");
    mark("cp-search-run");
    instanceFor(s).then(function (inst) {
      return inst.search(term, { filters: filters() });
    }).then(function (found) {
      if (mine !== searchCount || !found) return;
      mark("cp-search-found");
      shown = found.results;
      drawn = 0;
      list.textContent = "";
      list.setAttribute("data-query", term);
      more.hidden = true;
      return drawMore(mine).then(function (current) {
        if (!current) return;
        say(describe(shown.length, term, s));
        if (olderNote) olderNote.hidden = s.key !== "recent";
      });
    }).catch(function (error) {
      if (mine !== searchCount) return;
      say("The search could not be loaded. Every paper can also be found from the meetings " +
        "and committees pages.");
      if (window.console) console.error(error);
    });
  }

  /* While the reader types, the chunks of the words so far are fetched (Pagefind's
     preload), so the search that runs when typing pauses finds them loaded. */
  function soon() {
    var term = box.value.trim();
    if (term) {
      var s = scope();
      instanceFor(s).then(function (inst) { return inst.preload(term, { filters: filters() }); })
        .catch(function () {});
    }
    clearTimeout(timer);
    timer = setTimeout(run, 50);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    run();
  });
  box.addEventListener("input", soon);
  yearSelect.addEventListener("change", run);
  for (var i = 0; i < filterSelects.length; i++) filterSelects[i].addEventListener("change", run);
  more.addEventListener("click", function () {
    var first = list.children.length;
    drawMore(searchCount).then(function () {
      say(describe(shown.length, box.value.trim(), scope()));
      // Keyboard users go on from the first new result.
      var link = list.children[first] && list.children[first].querySelector("a");
      if (link) link.focus();
    });
  });
  if (olderButton) {
    olderButton.addEventListener("click", function () {
      yearSelect.value = "all";
      heading.focus();
      run();
    });
  }

  // A query in the address (from the header's box, or a shared link) runs at once; the
  // newest papers' indexes load now either way, so the first query waits only for its words.
  var params = new URLSearchParams(window.location.search);
  box.value = params.get("q") || "";
  if (params.get("year") && yearSelect.querySelector('option[value="' +
      CSS.escape(params.get("year")) + '"]')) yearSelect.value = params.get("year");
  for (var j = 0; j < filterSelects.length; j++) {
    var wanted = params.get(filterSelects[j].name);
    if (wanted && filterSelects[j].querySelector('option[value="' + CSS.escape(wanted) + '"]')) {
      filterSelects[j].value = wanted;
    }
  }
  instanceFor(scope()).then(function () { mark("cp-search-ready"); }, function () {});
  if (box.value.trim()) run();
})();
