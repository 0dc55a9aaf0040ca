// The review page on a phone: "Dossier" and "My review" as tabs (WAI-ARIA tabs pattern, arrows,
// Home and End move between them). On a desktop, and without this script, both panels show.
(function () {
  "use strict";
  var NARROW = "(max-width: 59.99em)";

  function start() {
    var list = document.querySelector("[data-review-tabs]");
    if (!list) return;
    var tabs = Array.prototype.slice.call(list.querySelectorAll("[role='tab']"));
    var panels = tabs.map(function (tab) { return document.getElementById(tab.getAttribute("aria-controls")); });
    var split = panels[0].parentElement;
    var current = list.getAttribute("data-start") === "review" ? 1 : 0;
    var media = window.matchMedia(NARROW);

    function select(index, focus) {
      current = index;
      tabs.forEach(function (tab, i) {
        var on = i === index;
        tab.setAttribute("aria-selected", on ? "true" : "false");
        tab.tabIndex = on ? 0 : -1;
        panels[i].hidden = !on;
      });
      if (focus) tabs[index].focus();
    }

    function layout() {
      if (media.matches) {
        list.hidden = false;
        split.classList.add("review-split--tabbed");
        panels.forEach(function (panel, i) {
          panel.setAttribute("role", "tabpanel");
          panel.setAttribute("aria-labelledby", tabs[i].id);
          panel.tabIndex = 0;
        });
        select(current, false);
      } else {
        list.hidden = true;
        split.classList.remove("review-split--tabbed");
        panels.forEach(function (panel) {
          panel.removeAttribute("role");
          panel.setAttribute("aria-labelledby", panel.id + "-title");
          panel.hidden = false;
        });
      }
    }

    tabs.forEach(function (tab, i) {
      tab.addEventListener("click", function () { select(i, true); });
      tab.addEventListener("keydown", function (event) {
        var next = null;
        if (event.key === "ArrowRight") next = (i + 1) % tabs.length;
        else if (event.key === "ArrowLeft") next = (i - 1 + tabs.length) % tabs.length;
        else if (event.key === "Home") next = 0;
        else if (event.key === "End") next = tabs.length - 1;
        if (next === null) return;
        event.preventDefault();
        select(next, true);
      });
    });
    // A link of the error summary (or any anchor) to a field in the hidden panel opens it.
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[href^='#']");
      if (!link || !media.matches) return;
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) return;
      panels.forEach(function (panel, i) { if (panel.contains(target) && i !== current) select(i, false); });
    }, true);
    if (media.addEventListener) media.addEventListener("change", layout);
    layout();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
