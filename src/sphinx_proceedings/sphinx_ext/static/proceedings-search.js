/* The paper search page: start Pagefind's UI, or say why there is none.
 *
 * ?search=words in the address starts a search, so a search can be linked to
 * (not ?q=, which Sphinx's own search script claims on every page).
 */
(function () {
  "use strict";

  function init() {
    var element = document.getElementById("proceedings-search");
    if (!element) return;
    if (typeof window.PagefindUI === "undefined") {
      var fallback = document.querySelector(".proceedings-search-fallback");
      if (fallback) fallback.hidden = false;
      return;
    }
    var ui = new window.PagefindUI({
      element: "#proceedings-search",
      bundlePath: element.dataset.bundle,
      showImages: false,
      showSubResults: false,
      resetStyles: false,
      autofocus: true
    });
    // Name the search box by the page heading, a visible label.
    var input = element.querySelector("input");
    if (input) input.setAttribute("aria-labelledby", "proceedings-search-title");
    var query = new URLSearchParams(window.location.search).get("search");
    if (query) ui.triggerSearch(query);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
