/* Make sideways-scrolling tables reachable by keyboard: progressive enhancement only.
 *
 * The theme puts each table in a box (.md-typeset__scrollwrap) that scrolls sideways when the
 * table is wider than the screen. A box with nothing focusable inside cannot be scrolled from
 * the keyboard in every browser (WCAG 2.1.1), so each box that really overflows becomes a
 * named, focusable region; a box that fits is left alone, so it adds no extra Tab stop.
 * Without JavaScript the theme adds no box, and browsers scroll the table itself.
 */
(function () {
  "use strict";

  function update() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (box) {
      var overflows = box.scrollWidth > box.clientWidth + 1;
      if (overflows && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", "Table: scroll sideways to see all of it");
      } else if (!overflows && box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }

  // The theme wraps tables as the page loads; check once everything is in place, again when
  // the window changes size (a phone turned sideways may no longer need scrolling), and when a
  // collapsed block opens (a table in a hidden solution has no width until then).
  if (document.readyState === "complete") update();
  else window.addEventListener("load", update);
  window.addEventListener("resize", update);
  document.addEventListener("toggle", update, true);
})();
