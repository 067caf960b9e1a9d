/* On paper a link cannot be followed, so a printed page writes each link's address after
   it (print.css). Addresses to other pages of the site are relative in the HTML ("../../"),
   which means nothing on paper: this script gives each such link its full address, as the
   browser resolves it (a.href), in data-print-href for print.css to show. Links within the
   page (#...) are left alone. Without the script, only http(s) links show their address. */
(function () {
  "use strict";

  var links = document.querySelectorAll(".md-content .md-typeset a[href]");
  links.forEach(function (link) {
    var written = link.getAttribute("href");
    if (/^(https?:|mailto:|tel:|#)/i.test(written)) return;
    if (!/^https?:$/.test(link.protocol)) return;
    link.setAttribute("data-print-href", link.href);
  });
})();
