// Keyboard use of the navigation drawer (below 1220px wide): the menu button (a label, see
// partials/header.html) answers Space as well as Enter, as a button does (material's own
// key handler clicks a focused label on Enter only); Escape closes the drawer and returns
// to the button; and moving focus out of the drawer closes it, so focus never lands on
// the page behind it. A file, not an inline script: the Content-Security-Policy forbids those.
(function () {
  var drawer = document.getElementById("__drawer");
  var menu = document.querySelector(".md-header label[for='__drawer']");
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key === " " && target instanceof HTMLLabelElement && target.getAttribute("role") === "button") {
      event.preventDefault();
      target.click();
    } else if (event.key === "Escape" && drawer && drawer.checked) {
      drawer.click();
      if (menu) menu.focus();
    }
  });
  document.addEventListener("focusin", function (event) {
    if (drawer && drawer.checked && !event.target.closest(".md-sidebar--primary, .md-header")) {
      drawer.click();
    }
  });
})();
