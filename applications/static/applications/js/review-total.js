// The review's weighted total, updated as the juror scores. The arithmetic is the server's
// (applications/domain/review_total.py, itself the ranking's): Σ(weight × value) / Σ(weight)
// over the scored criteria, each value first placed on the grid's reference scale
// (value × factor + offset) when the criteria's scales differ.
(function () {
  "use strict";

  function start() {
    var box = document.querySelector("[data-review-total]");
    if (!box) return;
    var output = box.querySelector("[data-review-total-value]");
    var uniform = box.getAttribute("data-uniform") === "1";
    var criteria = Array.prototype.slice.call(document.querySelectorAll("[data-criterion]"));
    var lang = document.documentElement.lang || "en";
    var format = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

    function total() {
      var numerator = 0;
      var denominator = 0;
      criteria.forEach(function (fieldset) {
        var checked = fieldset.querySelector("input[type='radio']:checked");
        if (!checked || !/^\d+$/.test(checked.value)) return;
        var weight = parseFloat(fieldset.getAttribute("data-weight"));
        var value = parseInt(checked.value, 10);
        if (!uniform) {
          value = value * parseFloat(fieldset.getAttribute("data-factor")) + parseFloat(fieldset.getAttribute("data-offset"));
        }
        numerator += weight * value;
        denominator += weight;
      });
      return denominator === 0 ? null : numerator / denominator;
    }

    function show() {
      var value = total();
      output.textContent = value === null ? box.getAttribute("data-empty") : format.format(value);
    }

    criteria.forEach(function (fieldset) { fieldset.addEventListener("change", show); });
    show();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
