/* Offline support for Glasshouse: registers the service worker and, when a page is shown
   without a connection, says so and how old the saved copy is. Progressive enhancement:
   without JavaScript, or in a browser without service workers, nothing changes. */
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) {
    return;
  }
  var script = document.currentScript;
  var base = new URL("../", script ? script.src : location.href);
  navigator.serviceWorker.register(new URL("sw.js", base).href, { scope: base.pathname }).catch(function () {});

  function banner(savedAt) {
    if (document.getElementById("gh-offline")) {
      return;
    }
    var box = document.createElement("div");
    box.id = "gh-offline";
    box.className = "gh-offline";
    box.setAttribute("role", "status");
    var when = savedAt ? new Date(savedAt) : null;
    var text = "You are offline. This is the copy saved on this device";
    if (when && !isNaN(when)) {
      text += " on " + when.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
    }
    box.textContent = text + ": the figures may have changed since.";
    var main = document.querySelector("main") || document.body;
    main.insertBefore(box, main.firstChild);
  }

  function check() {
    if (navigator.onLine || !("caches" in window)) {
      return;
    }
    caches.match(location.href, { ignoreSearch: true }).then(function (response) {
      banner(response ? response.headers.get("x-glasshouse-saved") : null);
    }).catch(function () { banner(null); });
  }
  window.addEventListener("offline", check);
  check();
})();
