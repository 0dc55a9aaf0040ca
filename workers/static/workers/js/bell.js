/* The bell in the header: a disclosure that shows the latest notifications, fetched when it
   opens. Without this script (or without fetch) the bell stays a link to the full list. */
(function () {
  "use strict";

  var bell = document.querySelector("[data-bell]");
  if (!bell || !window.fetch) { return; }
  var link = bell.querySelector("[data-bell-toggle]");
  var panel = bell.querySelector(".bell__panel");
  if (!link || !panel) { return; }
  var listUrl = link.href;

  // A real button, so that keyboards and screen readers meet a disclosure, not a link.
  var button = document.createElement("button");
  button.type = "button";
  button.className = link.className;
  button.setAttribute("aria-expanded", "false");
  button.setAttribute("aria-controls", panel.id);
  while (link.firstChild) { button.appendChild(link.firstChild); }
  link.parentNode.replaceChild(button, link);

  var request = 0;

  function close(giveFocusBack) {
    if (panel.hidden) { return; }
    panel.hidden = true;
    button.setAttribute("aria-expanded", "false");
    if (giveFocusBack) { button.focus(); }
  }

  function open() {
    var mine = ++request;
    button.setAttribute("aria-expanded", "true");
    panel.hidden = false;
    panel.textContent = bell.dataset.loading || "";
    fetch(bell.dataset.latest, {
      credentials: "same-origin",
      headers: { "X-Requested-With": "XMLHttpRequest" },
    })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(function (html) {
        // The server's own fragment, escaped there; a later opening wins over a slow one.
        if (mine === request) { panel.innerHTML = html; }
      })
      .catch(function () {
        // Signed out meanwhile, or offline: the full list (or the log-in page) says why.
        window.location.href = listUrl;
      });
  }

  button.addEventListener("click", function () {
    if (panel.hidden) { open(); } else { close(false); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !panel.hidden) { close(bell.contains(document.activeElement)); }
  });
  document.addEventListener("click", function (event) {
    if (!bell.contains(event.target)) { close(false); }
  });
})();
