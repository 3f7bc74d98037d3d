/* Schedule: show its times in the reader's own time zone, or in the event's.
 *
 * Progressive enhancement: the page is written in the event's time zone and
 * every time is a <time datetime="2024-05-11T08:15+02:00">, so without this
 * script it is already right.  The script adds two buttons (shown only when
 * the reader's zone differs from the event's) and remembers the choice.
 */
(function () {
  "use strict";

  var STORE = "proceedings-schedule-zone";
  var readerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  function remembered() {
    try { return window.localStorage.getItem(STORE) === "reader"; } catch (e) { return false; }
  }

  function remember(useReader) {
    try { window.localStorage.setItem(STORE, useReader ? "reader" : "event"); } catch (e) { /* private mode */ }
  }

  /* "UTC+2", "UTC-3:30", "UTC" for an instant in the reader's zone. */
  function offsetLabel(date) {
    var minutes = -date.getTimezoneOffset();
    if (minutes === 0) return "UTC";
    var sign = minutes > 0 ? "+" : "-";
    var hours = Math.floor(Math.abs(minutes) / 60);
    var rest = Math.abs(minutes) % 60;
    return "UTC" + sign + hours + (rest ? ":" + String(rest).padStart(2, "0") : "");
  }

  /* The zone's short name ("EDT") when it has one made of letters. */
  function abbreviation(date) {
    var part = new Intl.DateTimeFormat("en-US", { timeZoneName: "short" })
      .formatToParts(date).find(function (p) { return p.type === "timeZoneName"; });
    return part && /^[A-Z]{2,5}$/.test(part.value) ? part.value : "";
  }

  /* The offset written in a datetime attribute, in minutes (null without one). */
  function writtenOffset(text) {
    var match = /([+-])(\d\d):?(\d\d)$/.exec(text) || (/Z$/.test(text) ? ["", "+", "0", "0"] : null);
    if (!match) return null;
    var minutes = Number(match[2]) * 60 + Number(match[3]);
    return match[1] === "-" ? -minutes : minutes;
  }

  var clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  var dayFormat = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", month: "short" });

  function localDay(date) {
    return date.getFullYear() + "-" + String(date.getMonth() + 1).padStart(2, "0") + "-" +
      String(date.getDate()).padStart(2, "0");
  }

  function show(block, times, useReader) {
    var eventDay = times[0].getAttribute("datetime").slice(0, 10);
    times.forEach(function (time) {
      var note = time.querySelector(".proceedings-time-day");
      if (note) note.remove();
      if (!useReader) {
        time.textContent = time.dataset.eventText;
        return;
      }
      var date = new Date(time.getAttribute("datetime"));
      time.textContent = clock.format(date);
      if (localDay(date) !== eventDay) {
        var day = document.createElement("small");
        day.className = "proceedings-time-day";
        day.textContent = " (" + dayFormat.format(date) + ")";
        time.appendChild(day);
      }
    });
    var name = block.querySelector(".proceedings-zone-name");
    if (name) {
      var first = new Date(times[0].getAttribute("datetime"));
      var abbr = abbreviation(first);
      name.textContent = useReader
        ? "your time, " + readerZone.replace(/_/g, " ") + " (" + (abbr ? abbr + ", " : "") + offsetLabel(first) + ")"
        : name.dataset.eventText;
    }
    block.querySelectorAll(".proceedings-zone-switch button").forEach(function (button) {
      button.setAttribute("aria-pressed", String((button.value === "reader") === useReader));
    });
  }

  function button(label, value) {
    var b = document.createElement("button");
    b.type = "button";
    b.value = value;
    b.className = "btn btn-sm proceedings-zone-button";
    b.textContent = label;
    return b;
  }

  function setUp(block) {
    var times = Array.prototype.slice.call(block.querySelectorAll("time.proceedings-time[datetime]"));
    if (!times.length) return;
    // Nothing to switch when the event's offsets are the reader's (or are unknown).
    var differs = times.some(function (time) {
      var offset = writtenOffset(time.getAttribute("datetime"));
      return offset !== null && offset !== -new Date(time.getAttribute("datetime")).getTimezoneOffset();
    });
    if (!differs) return;
    times.forEach(function (time) { time.dataset.eventText = time.textContent; });
    var name = block.querySelector(".proceedings-zone-name");
    if (name) name.dataset.eventText = name.textContent;
    var group = document.createElement("span");
    group.className = "proceedings-zone-switch";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Show times in");
    group.appendChild(button("Event time", "event"));
    group.appendChild(button("My time zone", "reader"));
    group.addEventListener("click", function (event) {
      var target = event.target.closest("button");
      if (!target) return;
      var useReader = target.value === "reader";
      remember(useReader);
      show(block, times, useReader);
    });
    var where = block.querySelector(".proceedings-schedule-zone") || block;
    where.appendChild(document.createTextNode(" "));
    where.appendChild(group);
    show(block, times, remembered());
  }

  function start() {
    document.querySelectorAll(".proceedings-schedule-block").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
