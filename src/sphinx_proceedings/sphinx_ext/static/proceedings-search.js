/* The search page: Pagefind's UI over the papers and pages, or why there is none.
 *
 * The query and the ticked filters live in the address, both ways:
 * ?search=words&topic=Graph+networks&presentation=Poster opens that search, and
 * typing or ticking updates the address (so a search can be shared or bookmarked).
 * Not ?q=, which Sphinx's own search script claims.
 */
(function () {
  "use strict";
  var FILTERS = ["topic", "presentation", "author"];

  function fromAddress() {
    var params = new URLSearchParams(window.location.search);
    var filters = {};
    FILTERS.forEach(function (name) {
      var values = params.getAll(name).filter(Boolean);
      if (values.length) filters[name] = values;
    });
    return { term: params.get("search") || "", filters: filters };
  }

  function toAddress(element) {
    var url = new URL(window.location.href);
    var input = element.querySelector(".pagefind-ui__search-input");
    var term = input ? input.value.trim() : "";
    if (term) url.searchParams.set("search", term);
    else url.searchParams.delete("search");
    FILTERS.forEach(function (name) { url.searchParams.delete(name); });
    element.querySelectorAll("input.pagefind-ui__filter-checkbox:checked").forEach(function (box) {
      if (FILTERS.indexOf(box.name) !== -1) url.searchParams.append(box.name, box.value);
    });
    if (url.toString() !== window.location.href) window.history.replaceState(null, "", url.toString());
  }

  function init() {
    var element = document.getElementById("proceedings-search");
    if (!element) return;
    if (typeof window.PagefindUI === "undefined") {
      var fallback = document.querySelector(".proceedings-search-fallback");
      if (fallback) fallback.hidden = false;
      return;
    }
    var start = fromAddress();
    var ui = new window.PagefindUI({
      element: "#proceedings-search",
      bundlePath: element.dataset.bundle,
      showImages: false,
      showSubResults: false,
      resetStyles: false,
      autofocus: true,
      openFilters: FILTERS
    });
    // Name the search box by the page heading, a visible label.
    var input = element.querySelector("input");
    if (input) input.setAttribute("aria-labelledby", "proceedings-search-title");
    var timer = null;
    element.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { toAddress(element); }, 300);
    });
    element.addEventListener("change", function () { toAddress(element); });
    if (Object.keys(start.filters).length) ui.triggerFilters(start.filters);
    if (start.term) ui.triggerSearch(start.term);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
