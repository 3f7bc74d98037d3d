/* The papers page: filter by topic, presentation type and author, sort, all in the URL.
 *
 * Progressive enhancement: the form ships hidden and every paper is listed,
 * grouped by presentation type.  This script shows the form, applies
 * ?topic=...&presentation=...&author=...&sort=... from the address, keeps the
 * address in step (so a filtered view can be shared), and makes the group
 * headings, their entries under "On this page" and the status line count what
 * is shown.  A broad topic's items carry its narrower topics' slugs too
 * (data-topics), so choosing it shows them all.  Sorting by title or first
 * author lists every paper in one list instead of the groups.
 */
(function () {
  "use strict";
  var FIELDS = ["topic", "presentation", "author", "sort"];

  /* Lower case without accents: "Schönlieb" is found by "schonlieb". */
  function folded(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function value(form, name) {
    var field = form.elements[name];
    return field ? field.value : "";
  }

  function matches(item, topic, presentation, author) {
    var topics = (item.dataset.topics || "").split(" ");
    return (!topic || topics.indexOf(topic) !== -1) &&
      (!presentation || item.dataset.presentation === presentation) &&
      (!author || (item.dataset.authors || "").indexOf(author) !== -1);
  }

  /* The heading's count, and the same entry under "On this page". */
  function setCount(section, shown) {
    var targets = [section.querySelector("h2")];
    if (section.id) {
      document.querySelectorAll('a[href="#' + section.id + '"]').forEach(function (link) {
        targets.push(link);
        var entry = link.closest("li");
        if (entry && entry.closest("nav")) entry.hidden = shown === 0;
      });
    }
    targets.forEach(function (element) {
      if (!element) return;
      var count = element.querySelector(".proceedings-count");
      if (count) count.textContent = String(shown);
    });
  }

  function Listing(form) {
    this.form = form;
    this.items = Array.prototype.slice.call(document.querySelectorAll("li.proceedings-paper-item"));
    this.homes = this.items.map(function (item) { return item.parentNode; });
    this.sections = [];
    var seen = [];
    this.homes.forEach(function (list) {
      var section = list.closest("section");
      if (section && seen.indexOf(section) === -1) seen.push(section);
    });
    this.sections = seen;
    this.sorted = document.createElement("ul");
    this.sorted.className = "proceedings-cards proceedings-sorted";
    this.sorted.hidden = true;
    this.sorted.setAttribute("aria-label", "Papers, sorted");
    var first = this.sections[0] || (this.homes[0] && this.homes[0].closest(".proceedings-paper-list"));
    if (first) first.parentNode.insertBefore(this.sorted, first);
  }

  Listing.prototype.apply = function () {
    var form = this.form;
    var topic = value(form, "topic");
    var presentation = value(form, "presentation");
    var author = folded(value(form, "author"));
    var sort = value(form, "sort");
    var shown = 0;
    this.items.forEach(function (item) {
      var match = matches(item, topic, presentation, author);
      item.hidden = !match;
      if (match) shown += 1;
    });
    this.arrange(sort);
    this.sections.forEach(function (section) {
      var visible = section.querySelectorAll("li.proceedings-paper-item:not([hidden])").length;
      section.hidden = Boolean(sort) || visible === 0;
      setCount(section, sort ? 0 : visible);
    });
    var status = form.querySelector(".proceedings-filter-status");
    if (status) {
      var filtered = topic || presentation || author;
      status.textContent = (filtered ? "Showing " + shown + " of " + this.items.length : this.items.length) +
        " paper" + (this.items.length === 1 ? "" : "s");
    }
  };

  /* One list in the chosen order, or every item back in its group, in listing order. */
  Listing.prototype.arrange = function (sort) {
    var sorted = this.sorted;
    if (!sort) {
      if (sorted.hidden) return;
      var homes = this.homes;
      this.items.forEach(function (item, i) { homes[i].appendChild(item); });
      sorted.hidden = true;
      return;
    }
    var key = sort === "author" ? "firstAuthor" : "title";
    var order = this.items.slice().sort(function (a, b) {
      return (a.dataset[key] || "").localeCompare(b.dataset[key] || "") ||
        (a.dataset.title || "").localeCompare(b.dataset.title || "");
    });
    order.forEach(function (item) { sorted.appendChild(item); });
    sorted.hidden = false;
  };

  function updateAddress(form) {
    var url = new URL(window.location.href);
    FIELDS.forEach(function (name) {
      var current = value(form, name).trim();
      if (current) url.searchParams.set(name, current);
      else url.searchParams.delete(name);
    });
    if (url.toString() !== window.location.href) window.history.replaceState(null, "", url.toString());
  }

  function choose(field, wanted) {
    if (!field) return;
    if (field.tagName !== "SELECT") {
      field.value = wanted;
      return;
    }
    for (var i = 0; i < field.options.length; i += 1) {
      if (field.options[i].value === wanted) {
        field.value = wanted;
        return;
      }
    }
  }

  function init() {
    var form = document.querySelector("form.proceedings-filter");
    if (!form) return;
    var listing = new Listing(form);
    var params = new URLSearchParams(window.location.search);
    FIELDS.forEach(function (name) { choose(form.elements[name], params.get(name) || ""); });
    form.hidden = false;
    var timer = null;
    function update() {
      listing.apply();
      updateAddress(form);
    }
    form.addEventListener("change", update);
    form.addEventListener("input", function (event) {
      if (event.target.name !== "author") return;
      window.clearTimeout(timer);
      timer = window.setTimeout(update, 150);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      update();
    });
    listing.apply();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
