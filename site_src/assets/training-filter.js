/* Glasshouse training catalogue filter: progressive enhancement only.
 *
 * Without this script the catalogue's filter links ([data-gh-filter-links]) lead to a page per
 * audience and per length. With it, two drop-downs above them filter the course list in
 * place; the choices come from those same links, and each course card carries its own
 * data-gh-audience (role ids) and data-gh-length (a length band id).
 */
(function () {
  "use strict";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      node.setAttribute(name, attrs[name]);
    });
    if (text) node.textContent = text;
    return node;
  }

  function select(id, label, anyText, links, attr) {
    var wrap = el("div", { class: "gh-filter-form__field" });
    var box = el("select", { id: id });
    box.appendChild(el("option", { value: "" }, anyText));
    links.forEach(function (link) {
      box.appendChild(el("option", { value: link.getAttribute(attr) }, link.textContent.trim()));
    });
    wrap.append(el("label", { for: id }, label), box);
    return { wrap: wrap, box: box };
  }

  function setup() {
    var nav = document.querySelector("[data-gh-filter-links]");
    var cards = Array.prototype.slice.call(document.querySelectorAll(".gh-course"));
    if (!nav || !cards.length) return;
    var audience = select(
      "gh-filter-audience",
      "Who it is for",
      "Anyone",
      Array.prototype.slice.call(nav.querySelectorAll("a[data-gh-audience]")),
      "data-gh-audience",
    );
    var length = select(
      "gh-filter-length",
      "How long it takes",
      "Any length",
      Array.prototype.slice.call(nav.querySelectorAll("a[data-gh-length]")),
      "data-gh-length",
    );
    var lead = el("p", { class: "gh-filter-form__lead" }, "Or filter the list on this page:");
    var status = el("p", { class: "gh-filter-form__count", role: "status" });
    var form = el("form", { class: "gh-filter-form", "aria-label": "Filter the courses on this page" });
    form.append(lead, audience.wrap, length.wrap, status);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    nav.parentNode.insertBefore(form, nav);

    function apply() {
      var role = audience.box.value;
      var band = length.box.value;
      var shown = 0;
      cards.forEach(function (card) {
        var roles = (card.getAttribute("data-gh-audience") || "").split(/\s+/);
        var match =
          (!role || roles.indexOf(role) !== -1) &&
          (!band || card.getAttribute("data-gh-length") === band);
        card.hidden = !match;
        if (match) shown += 1;
      });
      status.textContent = "Showing " + shown + " of " + cards.length + " courses.";
    }
    audience.box.addEventListener("change", apply);
    length.box.addEventListener("change", apply);
    apply();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
