// The DSFR error pattern: after a refused submit the summary takes the focus, so that a screen
// reader reads it first and a keyboard user starts from its links; a link moves the focus to its
// field (the browser only scrolls to it).
(function () {
  "use strict";
  function start() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) return;
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target || target === summary) return;
      event.preventDefault();
      // A hidden answer (a condition not met) cannot take the focus: its block still shows where.
      target.scrollIntoView({ block: "center" });
      // A section (a form's own errors) is no control: let it take the focus all the same, so
      // that the keyboard carries on from there.
      if (!target.matches("a[href], button, input, select, textarea, [tabindex]")) {
        target.setAttribute("tabindex", "-1");
      }
      target.focus({ preventScroll: true });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
