/* Accepted-papers listing: filter by topic and presentation type, in the URL.
 *
 * Progressive enhancement: the form ships hidden and every paper is listed;
 * this script shows the form, applies ?topic=...&presentation=... from the
 * address, and keeps the address in step so a filtered view can be shared.
 */
(function () {
  "use strict";

  function apply(form) {
    var topic = form.elements.topic.value;
    var presentation = form.elements.presentation.value;
    var items = document.querySelectorAll("li.proceedings-paper-item");
    var shown = 0;
    items.forEach(function (item) {
      var topics = (item.dataset.topics || "").split(" ");
      var match = (!topic || topics.indexOf(topic) !== -1) &&
        (!presentation || item.dataset.presentation === presentation);
      item.hidden = !match;
      if (match) shown += 1;
    });
    document.querySelectorAll(".proceedings-paper-list").forEach(function (list) {
      var section = list.closest("section");
      if (!section) return;
      var visible = section.querySelectorAll("li.proceedings-paper-item:not([hidden])").length;
      section.hidden = visible === 0;
    });
    var status = form.querySelector(".proceedings-filter-status");
    if (status) {
      status.textContent = (topic || presentation)
        ? "Showing " + shown + " of " + items.length + " papers"
        : items.length + " papers";
    }
  }

  function updateAddress(form) {
    var url = new URL(window.location.href);
    ["topic", "presentation"].forEach(function (name) {
      var value = form.elements[name].value;
      if (value) url.searchParams.set(name, value);
      else url.searchParams.delete(name);
    });
    window.history.replaceState(null, "", url.toString());
  }

  function choose(select, value) {
    for (var i = 0; i < select.options.length; i += 1) {
      if (select.options[i].value === value) {
        select.value = value;
        return;
      }
    }
  }

  function init() {
    var form = document.querySelector("form.proceedings-filter");
    if (!form) return;
    var params = new URLSearchParams(window.location.search);
    choose(form.elements.topic, params.get("topic") || "");
    choose(form.elements.presentation, params.get("presentation") || "");
    form.hidden = false;
    form.addEventListener("change", function () {
      apply(form);
      updateAddress(form);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    apply(form);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
