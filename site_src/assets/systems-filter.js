/* Glasshouse: filter the systems catalogue in place (progressive enhancement).
   Without this script the catalogue page lists every tool and links to one page per team,
   lifecycle and function; with it, three menus narrow the list without leaving the page. */
(function () {
  "use strict";

  var FILTERS = [
    ["team", "Team"],
    ["lifecycle", "Lifecycle"],
    ["function", "Function"],
  ];

  function optionsFor(cards, key) {
    var seen = {};
    var list = [];
    cards.forEach(function (card) {
      var value = card.getAttribute("data-" + key);
      if (value && !seen[value]) {
        seen[value] = true;
        list.push([value, card.getAttribute("data-" + key + "-label") || value]);
      }
    });
    return list.sort(function (a, b) { return a[1].localeCompare(b[1]); });
  }

  function enhance(container) {
    var cards = Array.prototype.slice.call(container.querySelectorAll(".gh-card"));
    if (!cards.length) return;
    var form = document.createElement("form");
    form.className = "gh-filter";
    form.setAttribute("aria-label", "Filter the tools");
    var selects = {};
    FILTERS.forEach(function (pair) {
      var key = pair[0];
      var id = "gh-filter-" + key;
      var wrap = document.createElement("div");
      var label = document.createElement("label");
      label.setAttribute("for", id);
      label.textContent = pair[1];
      var select = document.createElement("select");
      select.id = id;
      select.name = key;
      var any = document.createElement("option");
      any.value = "";
      any.textContent = "Any";
      select.appendChild(any);
      optionsFor(cards, key).forEach(function (option) {
        var el = document.createElement("option");
        el.value = option[0];
        el.textContent = option[1];
        select.appendChild(el);
      });
      selects[key] = select;
      wrap.appendChild(label);
      wrap.appendChild(select);
      form.appendChild(wrap);
    });
    var count = document.createElement("p");
    count.className = "gh-filter__count";
    count.setAttribute("aria-live", "polite");

    function apply() {
      var shown = 0;
      cards.forEach(function (card) {
        var match = FILTERS.every(function (pair) {
          var wanted = selects[pair[0]].value;
          return !wanted || card.getAttribute("data-" + pair[0]) === wanted;
        });
        card.hidden = !match;
        if (match) shown += 1;
      });
      count.textContent = "Showing " + shown + " of " + cards.length + " tools.";
    }

    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    container.parentNode.insertBefore(form, container);
    container.parentNode.insertBefore(count, container);
    apply();
  }

  function start() {
    document.querySelectorAll("[data-gh-filter]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
