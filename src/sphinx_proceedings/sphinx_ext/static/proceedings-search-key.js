/* Ctrl+K (Cmd+K on a Mac) and "/" open the site's search page; on that page
 * they move the focus to its search box instead. */
(function () {
  "use strict";
  var script = document.currentScript;
  var target = script && script.dataset.searchPage;

  function typing(element) {
    return element && (element.isContentEditable ||
      /^(input|textarea|select)$/i.test(element.tagName));
  }

  window.addEventListener("keydown", function (event) {
    var mac = /^(Mac|iPhone|iPad)/.test(navigator.platform || "");
    var chord = !event.shiftKey && !event.altKey && /^k$/i.test(event.key) &&
      (mac ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey);
    var slash = event.key === "/" && !event.ctrlKey && !event.metaKey && !typing(document.activeElement);
    if (!chord && !slash) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    var box = document.querySelector("#proceedings-search input");
    if (box) box.focus();
    else if (target) window.location.href = target;
  }, true);
})();
