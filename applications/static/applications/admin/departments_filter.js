/* The eligible départements, one fieldset per région: a filter box shows those whose name,
   number or région contains what is typed, accents and case aside. Ticked boxes stay ticked. */
(function () {
  "use strict";

  function plain(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function connect(root) {
    var box = root.querySelector("[data-departments-filter]");
    var none = root.querySelector("[data-departments-none]");
    if (!box) { return; }
    var regions = Array.prototype.map.call(
      root.querySelectorAll("[data-departments-region]"),
      function (fieldset) {
        var legend = fieldset.querySelector("legend");
        return {
          element: fieldset,
          name: plain(legend ? legend.textContent : ""),
          items: Array.prototype.map.call(
            fieldset.querySelectorAll("[data-departments-item]"),
            function (item) { return { element: item, name: plain(item.textContent) }; }
          ),
        };
      }
    );

    function filter() {
      var wanted = plain(box.value);
      var shown = 0;
      regions.forEach(function (region) {
        var wholeRegion = !wanted || region.name.indexOf(wanted) !== -1;
        var inRegion = 0;
        region.items.forEach(function (item) {
          var match = wholeRegion || item.name.indexOf(wanted) !== -1;
          item.element.hidden = !match;
          if (match) { inRegion += 1; }
        });
        region.element.hidden = inRegion === 0;
        shown += inRegion;
      });
      if (none) { none.hidden = shown !== 0; }
    }

    box.addEventListener("input", filter);
    // Enter in the filter box must not submit the page's form.
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }
    });
  }

  function start() {
    document.querySelectorAll("[data-departments]").forEach(connect);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
