/* Every tab of an editor shows how many errors it holds. Wagtail counts a tab's errors once,
   when its tab bar starts; the errors of a StreamField (a refused question of the application
   form) are drawn afterwards by the field's own script, so that tab kept no badge. Count again
   once every panel has started, and whenever a panel starts later. */
(function () {
  "use strict";

  var RECOUNT = "essor:recount-errors";

  function listen() {
    document.querySelectorAll('.w-tabs__errors[data-controller~="w-count"]').forEach(function (badge) {
      var actions = (badge.getAttribute("data-action") || "").split(/\s+/).filter(Boolean);
      [RECOUNT + "@document->w-count#count", "wagtail:panel-init@document->w-count#count"]
        .forEach(function (action) {
          if (actions.indexOf(action) === -1) { actions.push(action); }
        });
      badge.setAttribute("data-action", actions.join(" "));
    });
  }

  function recount() {
    document.dispatchEvent(new CustomEvent(RECOUNT));
  }

  function start() {
    listen();
    // Stimulus reads the new actions on its next turn; the StreamField draws on connecting.
    window.setTimeout(recount, 0);
    window.addEventListener("load", function () { window.setTimeout(recount, 0); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
