/* The call's opening and closing dates: the sentence below each box ("Closes in 10 days, on
   Sunday 13 December 2026 at 17:00, Paris time") follows what is typed. The server reads the
   text exactly as saving will, so this script never parses a date and never changes the box. */
(function () {
  "use strict";

  var DEBOUNCE_MS = 300;

  function connect(input) {
    var echo = document.getElementById(input.dataset.echoId || "");
    var url = input.dataset.echoUrl;
    if (!echo || !url) { return; }
    var timer = null;
    var asked = input.value;

    function show(data, value) {
      // An answer to an older value arrives late: the box has moved on, keep the newer one.
      if (!data || input.value !== value) { return; }
      echo.textContent = data.text;
      echo.classList.toggle("essor-date-echo--invalid", !data.valid);
    }

    function ask() {
      var value = input.value;
      if (value === asked) { return; }
      asked = value;
      var query = new URLSearchParams({ moment: input.dataset.parisDatetime, value: value });
      fetch(url + "?" + query.toString(), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { show(data, value); })
        .catch(function () { asked = null; });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DEBOUNCE_MS);
    });
    input.addEventListener("change", ask);
    input.addEventListener("blur", ask);
  }

  function start() {
    document.querySelectorAll("input[data-paris-datetime]").forEach(connect);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
