/* Glasshouse training progress: progressive enhancement only.
 *
 * Without this script every training page is complete, just without ticks. With it:
 * - a module page ([data-gh-progress-toggle]) gets a "Mark this module done" checkbox;
 * - course, catalogue and learning path pages ([data-gh-progress-summary], a space-separated
 *   list of module ids) say how many of those modules are done, and each module listed on a
 *   course page ([data-gh-progress-item]) says when it is done;
 * - [data-gh-progress-tools] gets buttons to save progress to a small JSON file and load it
 *   back (to move to another browser or device, or to keep a copy).
 * Progress lives in this browser's localStorage only; nothing is sent anywhere. Printing
 * opens every collapsed block (solutions, answers, trainer notes) and closes them after.
 */
(function () {
  "use strict";

  var KEY = "glasshouse.training.progress";
  var FORMAT = "glasshouse-training-progress";
  var VERSION = 1;
  var ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
  var DAY = /^\d{4}-\d{2}-\d{2}$/;

  function openStorage() {
    try {
      var s = window.localStorage;
      s.setItem(KEY + ".probe", "1");
      s.removeItem(KEY + ".probe");
      return s;
    } catch (e) {
      return null; // Blocked or full: the pages stay as they are, without ticks.
    }
  }

  // Keep only well-formed entries: module id -> the day it was marked done (YYYY-MM-DD).
  function clean(done) {
    var out = {};
    if (!done || typeof done !== "object" || Array.isArray(done)) return out;
    Object.keys(done).forEach(function (id) {
      if (ID.test(id) && typeof done[id] === "string" && DAY.test(done[id])) out[id] = done[id];
    });
    return out;
  }

  function today() {
    return new Date().toISOString().slice(0, 10);
  }

  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      node.setAttribute(name, attrs[name]);
    });
    if (text) node.textContent = text;
    return node;
  }

  function setup() {
    var store = openStorage();
    if (!store) return;

    function load() {
      try {
        return clean((JSON.parse(store.getItem(KEY) || "{}") || {}).done);
      } catch (e) {
        return {};
      }
    }

    function save(done) {
      store.setItem(KEY, JSON.stringify({ format: FORMAT, version: VERSION, done: done }));
    }

    function render() {
      var done = load();
      document.querySelectorAll("[data-gh-progress-toggle]").forEach(function (slot) {
        var box = slot.querySelector("input[type=checkbox]");
        if (box) box.checked = Boolean(done[slot.getAttribute("data-gh-progress-toggle")]);
      });
      document.querySelectorAll("[data-gh-progress-item]").forEach(function (item) {
        var id = item.getAttribute("data-gh-progress-item");
        var badge = item.querySelector(".gh-done");
        if (done[id] && !badge) {
          var heading = item.querySelector("h2, h3, h4") || item;
          heading.appendChild(el("span", { class: "gh-done" }, "Done"));
        } else if (!done[id] && badge) {
          badge.remove();
        }
      });
      document.querySelectorAll("[data-gh-progress-summary]").forEach(function (box) {
        var ids = box.getAttribute("data-gh-progress-summary").split(/\s+/).filter(Boolean);
        var count = ids.filter(function (id) {
          return done[id];
        }).length;
        var line = box.querySelector(".gh-progress-count");
        // On a catalogue card, say nothing until a course is started; elsewhere always say.
        var quiet = box.classList.contains("gh-course") && count === 0;
        if (quiet) {
          if (line) line.remove();
          return;
        }
        if (!line) {
          line = el("p", { class: "gh-progress-count" });
          box.appendChild(line);
        }
        line.textContent =
          count === ids.length
            ? "All " + plural(ids.length, "module") + " done"
            : count + " of " + plural(ids.length, "module") + " done";
      });
    }

    function announce(region, message) {
      region.textContent = message;
    }

    document.querySelectorAll("[data-gh-progress-toggle]").forEach(function (slot) {
      var id = slot.getAttribute("data-gh-progress-toggle");
      var boxId = "gh-done-" + id;
      var wrap = el("p", { class: "gh-progress-toggle__control" });
      var box = el("input", { type: "checkbox", id: boxId });
      var label = el("label", { for: boxId }, "Mark this module done");
      var status = el("span", { class: "gh-progress-status", role: "status" });
      wrap.append(box, " ", label, " ", status);
      slot.appendChild(wrap);
      box.addEventListener("change", function () {
        var done = load();
        if (box.checked) done[id] = today();
        else delete done[id];
        save(done);
        render();
        announce(
          status,
          box.checked ? "Saved in this browser." : "No longer marked done.",
        );
      });
    });

    document.querySelectorAll("[data-gh-progress-tools]").forEach(function (slot, n) {
      var fileId = "gh-progress-file-" + n;
      var intro = el(
        "p",
        {},
        "Mark each module done at the end of its page. Your progress is kept in this browser " +
          "only: to carry it to another device or browser, save it to a file and load it there.",
      );
      var saveButton = el("button", { type: "button", class: "md-button" }, "Save progress to a file");
      var loadButton = el("button", { type: "button", class: "md-button" }, "Load progress from a file");
      var input = el("input", {
        type: "file",
        id: fileId,
        accept: ".json,application/json",
        hidden: "",
      });
      var status = el("p", { class: "gh-progress-status", role: "status" });
      var buttons = el("p", { class: "gh-progress-tools__buttons" });
      buttons.append(saveButton, " ", loadButton, input);
      slot.classList.add("gh-progress-tools--ready");
      slot.append(intro, buttons, status);

      saveButton.addEventListener("click", function () {
        var done = load();
        var text = JSON.stringify(
          { format: FORMAT, version: VERSION, saved: today(), done: done },
          null,
          2,
        );
        var url = URL.createObjectURL(new Blob([text + "\n"], { type: "application/json" }));
        var link = el("a", { href: url, download: "glasshouse-training-progress.json" });
        document.body.appendChild(link);
        link.click();
        link.remove();
        window.setTimeout(function () {
          URL.revokeObjectURL(url);
        }, 10000);
        announce(status, "Saved " + plural(Object.keys(done).length, "finished module") + ".");
      });

      loadButton.addEventListener("click", function () {
        input.click();
      });

      input.addEventListener("change", function () {
        var file = input.files && input.files[0];
        if (!file) return;
        file
          .text()
          .then(function (text) {
            var data = JSON.parse(text);
            if (!data || data.format !== FORMAT) throw new Error("format");
            var incoming = clean(data.done);
            // Merge rather than replace, so loading a file never loses a tick made here.
            var done = load();
            Object.keys(incoming).forEach(function (id) {
              if (!done[id] || incoming[id] < done[id]) done[id] = incoming[id];
            });
            save(done);
            render();
            announce(
              status,
              "Loaded " + plural(Object.keys(incoming).length, "finished module") + " from the file.",
            );
          })
          .catch(function () {
            announce(
              status,
              "That file is not a Glasshouse progress file, so nothing was changed.",
            );
          })
          .then(function () {
            input.value = "";
          });
      });
    });

    // Another tab changed progress: show it here too.
    window.addEventListener("storage", function (event) {
      if (event.key === KEY) render();
    });
    render();
  }

  // Print every collapsed block open (solutions, answers, trainer notes), then restore.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(document.querySelectorAll("details"), function (d) {
      return !d.open;
    });
    opened.forEach(function (d) {
      d.open = true;
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) {
      d.open = false;
    });
    opened = [];
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
