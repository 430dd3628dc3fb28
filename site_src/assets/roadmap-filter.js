/* Roadmap board: filter the cards in place by tool, team and status.
   Progressive enhancement only. Without this script the board links to a generated page for
   each tool, team and status, so nothing here is needed to use the roadmap. */
(function () {
  "use strict";

  var KINDS = [
    { kind: "system", label: "Tool", matches: function (card, key) {
      return (card.getAttribute("data-systems") || "").split(" ").indexOf(key) >= 0;
    } },
    { kind: "team", label: "Team", matches: function (card, key) {
      return card.getAttribute("data-team") === key;
    } },
    { kind: "status", label: "Status", matches: function (card, key) {
      return card.getAttribute("data-status") === key;
    } },
  ];

  function plural(n) { return n === 1 ? "item" : "items"; }

  function init() {
    var board = document.querySelector("[data-gh-board]");
    var nav = document.querySelector(".gh-filters");
    if (!board || !nav || board.hasAttribute("data-gh-enhanced")) return;
    board.setAttribute("data-gh-enhanced", "");
    var cards = Array.prototype.slice.call(board.querySelectorAll(".gh-card"));

    var form = document.createElement("form");
    form.className = "gh-filter-form";
    form.setAttribute("aria-label", "Filter the board on this page");
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    var heading = document.createElement("p");
    heading.className = "gh-filter-form__lead";
    heading.textContent = "Or filter the board on this page:";
    form.appendChild(heading);

    var selects = [];
    KINDS.forEach(function (spec) {
      var group = nav.querySelector('[data-gh-filter="' + spec.kind + '"]');
      if (!group) return;
      var id = "gh-filter-" + spec.kind;
      var field = document.createElement("div");
      field.className = "gh-filter-form__field";
      var label = document.createElement("label");
      label.htmlFor = id;
      label.textContent = spec.label;
      var select = document.createElement("select");
      select.id = id;
      select.add(new Option("All", ""));
      Array.prototype.forEach.call(group.querySelectorAll("a[data-gh-key]"), function (link) {
        select.add(new Option(link.textContent, link.getAttribute("data-gh-key")));
      });
      field.appendChild(label);
      field.appendChild(select);
      form.appendChild(field);
      selects.push({ spec: spec, select: select });
    });

    var count = document.createElement("p");
    count.className = "gh-filter-form__count";
    count.setAttribute("role", "status");
    form.appendChild(count);

    function apply() {
      var shown = 0;
      cards.forEach(function (card) {
        var ok = selects.every(function (s) {
          return !s.select.value || s.spec.matches(card, s.select.value);
        });
        card.hidden = !ok;
        if (ok) shown += 1;
      });
      Array.prototype.forEach.call(board.querySelectorAll(".gh-column"), function (column) {
        var all = column.querySelectorAll(".gh-card").length;
        var visible = column.querySelectorAll(".gh-card:not([hidden])").length;
        var counter = column.querySelector(".gh-column__count");
        if (counter) {
          counter.textContent = visible === all
            ? "(" + all + " " + plural(all) + ")"
            : "(" + visible + " of " + all + " " + plural(all) + ")";
        }
      });
      count.textContent = shown === cards.length
        ? "Showing all " + cards.length + " " + plural(cards.length) + "."
        : "Showing " + shown + " of " + cards.length + " " + plural(cards.length) + ".";
    }

    form.addEventListener("change", apply);
    nav.appendChild(form);
    apply();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
  // mkdocs-material's instant navigation, if ever turned on, swaps pages without a reload.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  }
})();
