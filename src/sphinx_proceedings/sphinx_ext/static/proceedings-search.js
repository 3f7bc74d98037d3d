/* The search page: Pagefind's index over the papers and pages, shown our way.
 *
 * Pagefind's own script (pagefind.js, an ES module in the index's folder) does
 * the searching; this one draws the form, the filters and the results.  A paper
 * is shown as the same card every list uses: its page carries the card, made
 * for this page, as Pagefind metadata (cards.py); other pages as title and
 * excerpt.  Filters combine as "any of the ticked values" within one filter and
 * "all filters" across them.
 *
 * The query and the ticked filters live in the address, both ways:
 * ?search=words&topic=Graph+networks&presentation=Poster opens that search, and
 * typing or ticking updates the address (so a search can be shared or bookmarked).
 * Not ?q=, which Sphinx's own search script claims.
 */
(function () {
  "use strict";
  var FILTERS = [["topic", "Topic", true], ["presentation", "Presentation", true],
    ["author", "Author", false]];
  var PAGE = 10;

  function element(tag, className, text) {
    var made = document.createElement(tag);
    if (className) made.className = className;
    if (text !== undefined) made.textContent = text;
    return made;
  }

  function fromAddress() {
    var params = new URLSearchParams(window.location.search);
    var ticked = {};
    FILTERS.forEach(function (filter) {
      var values = params.getAll(filter[0]).filter(Boolean);
      if (values.length) ticked[filter[0]] = values;
    });
    return { term: params.get("search") || "", ticked: ticked };
  }

  function Search(form, pagefind) {
    this.form = form;
    this.pagefind = pagefind;
    this.input = form.querySelector("input[name=search]");
    this.facets = form.querySelector(".proceedings-search-facets");
    this.summary = document.querySelector(".proceedings-search-summary");
    this.list = document.querySelector(".proceedings-search-results");
    this.more = document.querySelector(".proceedings-search-more");
    this.root = form.dataset.bundle.replace(/pagefind\/$/, "");
    this.boxes = {};
    this.run = 0;
    this.results = [];
    this.shown = 0;
  }

  Search.prototype.drawFilters = function (available, ticked) {
    var self = this;
    FILTERS.forEach(function (filter) {
      var name = filter[0];
      var values = Object.keys(available[name] || {}).sort(function (a, b) { return a.localeCompare(b); });
      if (!values.length) return;
      var details = element("details", "proceedings-facet");
      details.open = filter[2] || Boolean(ticked[name]);
      details.appendChild(element("summary", "", filter[1]));
      var group = element("div", "proceedings-facet-values");
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", filter[1]);
      self.boxes[name] = {};
      values.forEach(function (value) {
        var label = element("label");
        var box = element("input");
        box.type = "checkbox";
        box.name = name;
        box.value = value;
        box.checked = (ticked[name] || []).indexOf(value) !== -1;
        var count = element("span", "proceedings-facet-count");
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + value + " "));
        label.appendChild(count);
        group.appendChild(label);
        self.boxes[name][value] = count;
      });
      details.appendChild(group);
      self.facets.appendChild(details);
    });
    this.counts(available);
  };

  Search.prototype.counts = function (counts) {
    var boxes = this.boxes;
    Object.keys(boxes).forEach(function (name) {
      Object.keys(boxes[name]).forEach(function (value) {
        var n = (counts[name] || {})[value] || 0;
        boxes[name][value].textContent = "(" + n + ")";
      });
    });
  };

  Search.prototype.state = function () {
    var ticked = {};
    this.form.querySelectorAll(".proceedings-facet input:checked").forEach(function (box) {
      (ticked[box.name] = ticked[box.name] || []).push(box.value);
    });
    return { term: this.input.value.trim(), ticked: ticked };
  };

  Search.prototype.toAddress = function (state) {
    var url = new URL(window.location.href);
    url.searchParams.delete("search");
    FILTERS.forEach(function (filter) { url.searchParams.delete(filter[0]); });
    if (state.term) url.searchParams.set("search", state.term);
    Object.keys(state.ticked).forEach(function (name) {
      state.ticked[name].forEach(function (value) { url.searchParams.append(name, value); });
    });
    if (url.toString() !== window.location.href) window.history.replaceState(null, "", url.toString());
  };

  Search.prototype.search = async function () {
    var state = this.state();
    this.toAddress(state);
    var run = ++this.run;
    var filters = {};
    Object.keys(state.ticked).forEach(function (name) { filters[name] = { any: state.ticked[name] }; });
    if (!state.term && !Object.keys(filters).length) {
      this.results = [];
      this.list.replaceChildren();
      this.more.hidden = true;
      this.summary.textContent = "";
      this.counts(await this.pagefind.filters());
      return;
    }
    var found = await this.pagefind.search(state.term || null, { filters: filters });
    if (run !== this.run || !found) return;
    this.results = found.results;
    this.counts(found.filters || {});
    var n = this.results.length;
    this.summary.textContent = n ? n + " result" + (n === 1 ? "" : "s") : "No result";
    if (state.term) this.summary.textContent += " for \u201c" + state.term + "\u201d";
    this.list.replaceChildren();
    this.shown = 0;
    await this.showMore(run);
  };

  Search.prototype.showMore = async function (run) {
    var batch = this.results.slice(this.shown, this.shown + PAGE);
    this.shown += batch.length;
    this.more.hidden = this.shown >= this.results.length;
    var data = await Promise.all(batch.map(function (result) { return result.data(); }));
    if (run !== this.run) return;
    var self = this;
    data.forEach(function (page) { self.list.appendChild(self.item(page)); });
  };

  Search.prototype.item = function (page) {
    var item = element("li", "proceedings-search-result");
    var excerpt = element("p", "proceedings-card-excerpt");
    excerpt.innerHTML = page.excerpt || "";  // Pagefind escapes the text, adding <mark>
    if (page.meta && page.meta.card) {
      item.innerHTML = page.meta.card;  // made by this site's build (cards.py)
      var card = item.querySelector(".proceedings-card") || item;
      card.appendChild(excerpt);
      return item;
    }
    var box = element("div", "proceedings-card proceedings-page-result");
    var title = element("p", "proceedings-card-title");
    var link = element("a", "", (page.meta && page.meta.title) || page.url);
    link.href = this.root + page.url.replace(/^\//, "");
    title.appendChild(link);
    box.appendChild(title);
    box.appendChild(excerpt);
    item.appendChild(box);
    return item;
  };

  async function start(form) {
    var fallback = document.querySelector(".proceedings-search-fallback");
    var pagefind;
    try {
      pagefind = await import(new URL(form.dataset.bundle + "pagefind.js", document.baseURI).href);
      await pagefind.init();
    } catch (error) {
      if (fallback) fallback.hidden = false;
      return;
    }
    var search = new Search(form, pagefind);
    var wanted = fromAddress();
    search.input.value = wanted.term;
    search.drawFilters(await pagefind.filters(), wanted.ticked);
    form.hidden = false;
    search.input.focus();
    var timer = null;
    form.addEventListener("input", function (event) {
      if (event.target !== search.input) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { search.search(); }, 250);
    });
    form.addEventListener("change", function (event) {
      if (event.target !== search.input) search.search();
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      search.search();
    });
    search.more.addEventListener("click", function () { search.showMore(search.run); });
    await search.search();
  }

  function init() {
    var form = document.getElementById("proceedings-search");
    if (form) start(form);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
