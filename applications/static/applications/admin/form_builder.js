/* The call's form builder: each question's display condition is picked from lists (an earlier
   yes/no or choice question by its label, a comparison, that question's answers by their labels)
   instead of typed ids. The three inputs Wagtail saves (show_if_question, show_if_operator,
   show_if_answers) stay the source of truth: the lists only write into them, and are redrawn
   from the stream whenever a block is added, moved, renamed or deleted. */
(function () {
  "use strict";

  if (window.essorFormBuilder) { return; }
  window.essorFormBuilder = true;

  var QUESTION_FIELD = "-value-show_if_question";
  /* {kind name: its fixed answers as [key, label] pairs, or null when the block's choices are
     its answers}: the kinds a condition may test, as the server's question kinds declare. */
  var sourceKinds = {};
  var OPERATORS = [["is", "is"], ["is_one_of", "isOneOf"], ["is_not", "isNot"]];
  var words = {};
  var pending = null;

  function readWords() {
    var script = document.querySelector("script[data-form-builder-words]");
    if (!script) { return {}; }
    try {
      return JSON.parse(script.getAttribute("data-form-builder-words")) || {};
    } catch (e) {
      return {};
    }
  }

  function word(name) { return words[name] || name; }

  function byName(name) { return document.querySelector('[name="' + name + '"]'); }

  function valueOf(name) {
    var input = byName(name);
    return input ? input.value : "";
  }

  /* ---- reading the stream ---------------------------------------------------------------- */

  /* The live blocks of the stream named `stream` ("form"), in their current order. */
  function blocksOf(stream) {
    var pattern = new RegExp("^" + stream + "-(\\d+)-type$");
    var blocks = [];
    document.querySelectorAll('input[name^="' + stream + '-"][name$="-type"]').forEach(function (input) {
      var match = input.name.match(pattern);
      if (!match) { return; }
      var prefix = stream + "-" + match[1];
      if (valueOf(prefix + "-deleted") === "1") { return; }
      blocks.push({
        prefix: prefix,
        order: parseInt(valueOf(prefix + "-order"), 10) || 0,
        id: valueOf(prefix + "-id"),
        type: input.value,
        label: valueOf(prefix + "-value-label").trim(),
      });
    });
    blocks.sort(function (a, b) { return a.order - b.order; });
    return blocks;
  }

  /* [{key, label}] of a block's answers: yes and no, or its choices (their item ids are keys). */
  function answersOf(block) {
    var fixed = sourceKinds[block.type];
    if (fixed) {
      return fixed.map(function (pair) { return { key: pair[0], label: pair[1] }; });
    }
    var items = [];
    var base = block.prefix + "-value-choices-";
    var pattern = new RegExp("^" + base.replace(/[-]/g, "\\-") + "(\\d+)-value$");
    document.querySelectorAll('[name^="' + base + '"][name$="-value"]').forEach(function (input) {
      var match = input.name.match(pattern);
      if (!match || valueOf(base + match[1] + "-deleted") === "1") { return; }
      var key = valueOf(base + match[1] + "-id");
      if (!key) { return; }
      items.push({
        key: key,
        label: input.value.trim() || word("untitled"),
        order: parseInt(valueOf(base + match[1] + "-order"), 10) || 0,
      });
    });
    items.sort(function (a, b) { return a.order - b.order; });
    return items;
  }

  /* ---- the lists of one question --------------------------------------------------------- */

  /* The struct child holding `input`: its label, help, input and errors. */
  function childOf(input) {
    return input.closest("[data-contentpath]") || input.closest("[data-field-wrapper]") || input.parentNode;
  }

  /* Hide the saved input with its label and help; an error the server found on it stays in
     view, under the lists. */
  function conceal(input) {
    var child = childOf(input);
    var hasError = Boolean(child.querySelector("[data-field-errors] .error-message"));
    var parts = child.querySelectorAll(":scope > label, [data-field-help], [data-field-input]");
    if (!hasError || !parts.length) {
      if (!child.hidden) { child.hidden = true; }
      return;
    }
    if (child.hidden) { child.hidden = false; }
    parts.forEach(function (part) { if (!part.hidden) { part.hidden = true; } });
  }

  function concealAll(prefix) {
    [QUESTION_FIELD, "-value-show_if_operator", "-value-show_if_answers"].forEach(function (suffix) {
      var input = byName(prefix + suffix);
      if (input) { conceal(input); }
    });
  }

  function element(tag, attrs, text) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { el.setAttribute(name, attrs[name]); });
    if (text !== undefined) { el.textContent = text; }
    return el;
  }

  function notify(input) {
    // Wagtail watches these events: unsaved changes, the live preview.
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function write(name, value) {
    var input = byName(name);
    if (input && input.value !== value) {
      input.value = value;
      notify(input);
    }
  }

  function build(prefix) {
    var source = byName(prefix + QUESTION_FIELD);
    var box = element("div", { "class": "fb-condition", "data-fb-condition": prefix });
    var sourceId = prefix + "-fb-source";
    var sourceRow = element("div", { "class": "fb-condition__row" });
    sourceRow.appendChild(element("label", { "for": sourceId, "class": "w-field__label" }, word("showIf")));
    var select = element("select", { id: sourceId, "data-fb-source": "" });
    sourceRow.appendChild(select);
    box.appendChild(sourceRow);

    var rule = element("div", { "class": "fb-condition__rule", "data-fb-rule": "" });
    var operatorId = prefix + "-fb-operator";
    var operatorRow = element("div", { "class": "fb-condition__row" });
    operatorRow.appendChild(element("label", { "for": operatorId, "class": "w-field__label" }, word("operator")));
    var operator = element("select", { id: operatorId, "data-fb-operator": "" });
    OPERATORS.forEach(function (pair) {
      operator.appendChild(element("option", { value: pair[0] }, word(pair[1])));
    });
    operatorRow.appendChild(operator);
    rule.appendChild(operatorRow);
    var answers = element("fieldset", { "class": "fb-condition__answers", "data-fb-answers": "" });
    answers.appendChild(element("legend", { "class": "w-field__label" }, word("answers")));
    answers.appendChild(element("div", { "data-fb-answer-list": "" }));
    rule.appendChild(answers);
    box.appendChild(rule);
    box.appendChild(element("p", { "class": "help fb-condition__note", "data-fb-note": "", "aria-live": "polite" }));

    var child = childOf(source);
    child.parentNode.insertBefore(box, child);

    select.addEventListener("change", function () {
      write(prefix + QUESTION_FIELD, select.value);
      // The answers picked belonged to the question picked before.
      write(prefix + "-value-show_if_answers", "");
      refresh();
    });
    operator.addEventListener("change", function () {
      write(prefix + "-value-show_if_operator", operator.value);
      if (operator.value === "is") {
        // "is" tests one answer: keep the first one picked.
        var first = selectedKeys(prefix)[0];
        write(prefix + "-value-show_if_answers", first || "");
      }
      refresh();
    });
    answers.addEventListener("change", function () {
      var keys = [];
      answers.querySelectorAll("input:checked").forEach(function (input) { keys.push(input.value); });
      write(prefix + "-value-show_if_answers", keys.join("\n"));
      refresh();
    });
    return box;
  }

  function selectedKeys(prefix) {
    return valueOf(prefix + "-value-show_if_answers").split(/\r?\n/).map(function (line) {
      return line.trim();
    }).filter(Boolean);
  }

  function fillSelect(select, options, current) {
    var signature = JSON.stringify([options, current]);
    if (select.dataset.signature === signature) { return; }
    select.dataset.signature = signature;
    select.textContent = "";
    options.forEach(function (option) {
      var el = element("option", { value: option.value }, option.label);
      if (option.value === current) { el.selected = true; }
      select.appendChild(el);
    });
    select.value = current;
  }

  function fillAnswers(list, prefix, answers, operator, chosen) {
    var type = operator === "is" ? "radio" : "checkbox";
    var signature = JSON.stringify([answers, type, chosen]);
    if (list.dataset.signature === signature) { return; }
    list.dataset.signature = signature;
    list.textContent = "";
    answers.forEach(function (answer, index) {
      var id = prefix + "-fb-answer-" + index;
      var row = element("div", { "class": "fb-condition__answer" });
      // Tied to no form (`form` names none): only the three saved inputs are posted.
      var input = element("input", {
        type: type, id: id, name: prefix + "-fb-answer", value: answer.key, form: "fb-not-posted",
      });
      input.checked = chosen.indexOf(answer.key) !== -1;
      row.appendChild(input);
      row.appendChild(element("label", { "for": id }, answer.label));
      list.appendChild(row);
    });
  }

  function update(prefix, earlier) {
    var box = document.querySelector('[data-fb-condition="' + prefix + '"]') || build(prefix);
    concealAll(prefix);
    var select = box.querySelector("[data-fb-source]");
    var current = valueOf(prefix + QUESTION_FIELD).trim();
    var sources = earlier.filter(function (block) {
      return block.id && Object.prototype.hasOwnProperty.call(sourceKinds, block.type);
    });
    var options = [{ value: "", label: word("always") }].concat(sources.map(function (block) {
      return { value: block.id, label: block.label || word("untitled") };
    }));
    var source = sources.filter(function (block) { return block.id === current; })[0];
    var note = "";
    if (current && !source) {
      // Kept as saved until someone picks again: the server says what is wrong with it.
      options.push({ value: current, label: word("missingOption") });
      note = word("missing");
    } else if (!sources.length && !current) {
      note = word("noSource");
    }
    fillSelect(select, options, current);

    var rule = box.querySelector("[data-fb-rule]");
    rule.hidden = !source;
    if (source) {
      var operator = valueOf(prefix + "-value-show_if_operator") || "is";
      box.querySelector("[data-fb-operator]").value = operator;
      var answers = answersOf(source);
      var chosen = selectedKeys(prefix);
      fillAnswers(box.querySelector("[data-fb-answer-list]"), prefix, answers, operator, chosen);
      var known = answers.filter(function (answer) { return chosen.indexOf(answer.key) !== -1; });
      if (!known.length) { note = word("pickAnswer"); }
    }
    var noteElement = box.querySelector("[data-fb-note]");
    if (noteElement.textContent !== note) { noteElement.textContent = note; }
    noteElement.hidden = !note;
  }

  /* ---- keeping up with the stream -------------------------------------------------------- */

  function refresh() {
    pending = null;
    var streams = {};
    document.querySelectorAll('[name$="' + QUESTION_FIELD + '"]').forEach(function (input) {
      var prefix = input.name.slice(0, -QUESTION_FIELD.length);
      streams[prefix.replace(/-\d+$/, "")] = true;
    });
    Object.keys(streams).forEach(function (stream) {
      var earlier = [];
      blocksOf(stream).forEach(function (block) {
        if (byName(block.prefix + QUESTION_FIELD)) { update(block.prefix, earlier); }
        earlier.push(block);
      });
    });
  }

  function schedule() {
    if (pending === null) { pending = window.setTimeout(refresh, 50); }
  }

  function ours(node) {
    return node.nodeType === 1 && node.closest && node.closest("[data-fb-condition]");
  }

  function outside(record) {
    if (ours(record.target)) { return false; }
    var nodes = Array.prototype.slice.call(record.addedNodes).concat(
      Array.prototype.slice.call(record.removedNodes));
    return !nodes.length || nodes.some(function (node) { return !(node.nodeType === 1 && node.matches("[data-fb-condition]")); });
  }

  function start() {
    // Read once the page is parsed: the script may run before the tag that carries the words.
    words = readWords();
    sourceKinds = words.sources || {};
    refresh();
    new MutationObserver(function (records) {
      if (records.some(outside)) { schedule(); }
    }).observe(document.body, {
      childList: true, subtree: true, attributes: true, attributeFilter: ["style", "aria-hidden"],
    });
    document.addEventListener("input", function (event) {
      var name = event.target && event.target.name;
      if (name && /-value-(label|choices-\d+-value)$/.test(name)) { schedule(); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
