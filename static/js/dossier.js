/* The dossier form: conditional questions, counters, the partners table, autosave and a copy in
   this browser, so that nothing typed is lost when the tab closes or the session expires. */
(function () {
  "use strict";

  var form = document.getElementById("dossier-form");
  if (!form) { return; }

  // Staff's preview of a call's form: conditions, counters and partners work, nothing is saved.
  var preview = "preview" in form.dataset;
  var status = document.getElementById("save-status");
  var storageKey = "essor-dossier-" + form.dataset.dossier;
  var DEBOUNCE_MS = 1500;
  var RETRY_MS = 15000;

  var state = {
    revision: parseInt(form.dataset.revision, 10),
    timer: null,
    saving: false,
    again: false,
    blocked: false, // a colleague saved a newer version: stop until the page is reloaded
  };

  function text(name, values) {
    var value = form.dataset[name] || "";
    Object.keys(values || {}).forEach(function (key) {
      value = value.replace("%(" + key + ")s", values[key]);
    });
    return value;
  }

  /* The status line is a polite live region that speaks once per save, never per keystroke:
     "Saving…" is shown with the region off (`quiet`), the outcome is spoken. */
  function showStatus(message, isError, quiet) {
    if (!status) { return; }
    status.setAttribute("aria-live", quiet ? "off" : "polite");
    status.textContent = message;
    status.classList.toggle("save-status--error", Boolean(isError));
  }

  /* ---- reading and writing the form as {name: [values]} -------------------------------- */

  function serialise() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.type === "file" || el.type === "submit" ||
          el.type === "button" || el.name === "csrfmiddlewaretoken" || el.name === "revision") {
        return;
      }
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) { return; }
      (data[el.name] = data[el.name] || []).push(el.value);
    });
    return data;
  }

  function fill(data) {
    document.querySelectorAll("[data-partners]").forEach(function (table) {
      var name = table.dataset.partners;
      var rows = Math.max(1, (data[name + ".name"] || []).length, (data[name + ".kind"] || []).length,
        (data[name + ".siret"] || []).length, (data[name + ".role"] || []).length);
      var body = table.querySelector("[data-partner-rows]");
      while (body.children.length < rows) { addPartnerRow(table); }
      while (body.children.length > rows) { body.removeChild(body.lastElementChild); }
    });
    var seen = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "file" || el.type === "submit" || el.type === "button" ||
          el.name === "csrfmiddlewaretoken" || el.name === "revision" || "present" in el.dataset) {
        return; // the markers of the questions shown belong to the page, not to what was typed
      }
      var values = data[el.name] || [];
      if (el.type === "radio" || el.type === "checkbox") {
        el.checked = values.indexOf(el.value) !== -1;
      } else {
        var index = seen[el.name] || 0;
        el.value = values[index] !== undefined ? values[index] : "";
        seen[el.name] = index + 1;
      }
    });
    refresh();
  }

  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

  /* ---- conditional questions -------------------------------------------------------------- */

  /* The answers (choice keys, or "yes"/"no") that show a question, sent by the server as JSON. */
  function expectedAnswers(box) {
    try {
      var answers = JSON.parse(box.dataset.showIfAnswers || "[]");
      return Array.isArray(answers) ? answers.map(String) : [];
    } catch (e) { return []; }
  }

  function answerOf(questionId) {
    return serialise()[questionId] || [];
  }

  /* The same rule as the server's (questions/base.py, selection_matches): an unanswered
     question passes no condition, "is not" included. */
  function passes(selected, operator, answers) {
    if (!selected.length) { return false; }
    var hit = selected.some(function (value) { return answers.indexOf(value) !== -1; });
    if (operator === "is_not") { return !hit; }
    if (operator === "is") { return answers.length > 0 && selected.indexOf(answers[0]) !== -1; }
    return hit;
  }

  function applyConditions() {
    // In form order: a question whose controller was just hidden is hidden in the same pass.
    form.querySelectorAll("[data-question]").forEach(function (box) {
      var controller = box.dataset.showIf;
      if (!controller) { return; }
      var controllerBox = document.getElementById("question-" + controller);
      var selected = answerOf(controller).filter(function (value) { return value !== ""; });
      var matches = passes(selected, box.dataset.showIfOperator || "is", expectedAnswers(box));
      box.hidden = !(matches && controllerBox && !controllerBox.hidden);
    });
  }

  /* ---- word and character counters -------------------------------------------------------- */

  function count(el) {
    var value = el.value || "";
    if (el.dataset.limitUnit === "words") {
      var words = value.trim().split(/\s+/).filter(Boolean);
      return words.length;
    }
    return value.replace(/\r\n/g, "\n").length;
  }

  function updateCounter(el) {
    var counter = form.querySelector('[data-counter-for="' + el.id + '"]');
    if (!counter || !el.dataset.limit) { return; }
    var limit = parseInt(el.dataset.limit, 10);
    var n = count(el);
    var unit = el.dataset.limitUnit === "words" ? text("textWords") : text("textCharacters");
    counter.textContent = n + " / " + limit + " " + unit;
    counter.classList.toggle("counter--over", n > limit);
  }

  function refresh() {
    applyConditions();
    form.querySelectorAll("[data-limit]").forEach(updateCounter);
  }

  /* ---- sizes checked before posting, so that nothing typed meets a bare refusal ------------ */

  function characters(value) {
    return Array.from((value || "").replace(/\r\n/g, "\n")).length;
  }

  function labelOf(el) {
    var box = el.closest("[data-question]");
    var label = box && box.querySelector("label, legend");
    return label ? label.textContent.replace("*", "").trim() : el.name;
  }

  function number(n) {
    return Number(n).toLocaleString(document.documentElement.lang || undefined);
  }

  /* The first reason this form may not be posted as it is, or "". */
  function sizeProblem(data) {
    var problem = "";
    form.querySelectorAll("[data-max-characters]").forEach(function (el) {
      var cap = parseInt(el.dataset.maxCharacters, 10);
      var n = characters(el.value);
      var over = n > cap;
      el.toggleAttribute("aria-invalid", over);
      if (over && !problem) {
        problem = text("textTooLong", { label: labelOf(el), count: number(n), cap: number(cap) });
      }
    });
    data = data || serialise();
    var fields = Object.keys(data).reduce(function (n, name) { return n + data[name].length; }, 3);
    var maxFields = parseInt(form.dataset.maxFields || "0", 10);
    if (!problem && maxFields && fields > maxFields) {
      problem = text("textTooMany", { count: number(fields), cap: number(maxFields) });
    }
    var total = JSON.stringify(data).length;
    var maxTotal = parseInt(form.dataset.maxTotal || "0", 10);
    if (!problem && maxTotal && total > maxTotal) {
      problem = text("textTooLarge", { size: number(total), cap: number(maxTotal) });
    }
    return problem;
  }

  /* The server's reasons for answers it did not store, next to their fields. */
  function showRefused(refused) {
    form.querySelectorAll("[data-refused]").forEach(function (el) { el.remove(); });
    Object.keys(refused || {}).forEach(function (questionId) {
      var box = document.getElementById("question-" + questionId);
      if (!box) { return; }
      var list = document.createElement("ul");
      list.className = "errorlist";
      list.dataset.refused = "";
      refused[questionId].forEach(function (message) {
        var li = document.createElement("li");
        li.textContent = message;
        list.appendChild(li);
      });
      var field = box.querySelector("input:not([type=hidden]), textarea, select");
      box.insertBefore(list, field && field.parentNode === box ? field : null);
    });
  }

  /* ---- partners table --------------------------------------------------------------------- */

  function addPartnerRow(table) {
    var template = table.querySelector("[data-partner-template]");
    var row = template.content.firstElementChild.cloneNode(true);
    row.querySelectorAll("[data-partner-remove]").forEach(function (b) { b.hidden = false; });
    table.querySelector("[data-partner-rows]").appendChild(row);
    return row;
  }

  document.querySelectorAll("[data-partners]").forEach(function (table) {
    table.querySelectorAll("[data-partner-remove], [data-partner-add]").forEach(function (b) {
      b.hidden = false;
    });
    table.addEventListener("click", function (event) {
      if (event.target.closest("[data-partner-add]")) {
        var row = addPartnerRow(table);
        row.querySelector("input").focus();
        return;
      }
      var remove = event.target.closest("[data-partner-remove]");
      if (remove) {
        var body = table.querySelector("[data-partner-rows]");
        var tr = remove.closest("tr");
        if (body.children.length > 1) {
          body.removeChild(tr);
        } else {
          tr.querySelectorAll("input, select").forEach(function (el) { el.value = ""; });
        }
        changed();
      }
    });
  });

  /* ---- the copy kept in this browser ------------------------------------------------------ */

  function readBackup() {
    try { return JSON.parse(window.localStorage.getItem(storageKey) || "null"); } catch (e) { return null; }
  }

  function writeBackup(extra) {
    try {
      var backup = Object.assign({ base: state.revision, data: serialise(), changedAt: Date.now(), dirty: true }, extra || {});
      window.localStorage.setItem(storageKey, JSON.stringify(backup));
    } catch (e) { /* private mode or full storage: autosave still works */ }
  }

  function markClean() { writeBackup({ dirty: false }); }

  function restoreIfNewer() {
    var backup = readBackup();
    if (!backup || !backup.dirty || !backup.data) { return; }
    var serverCopy = serialise();
    if (same(backup.data, serverCopy)) { markClean(); return; }
    if (backup.base === state.revision) {
      // Typed on top of the server copy but never saved: put it back and save it.
      fill(backup.data);
      showNotice(text("textRestoredNotice"));
      showStatus(text("textRestored"));
      schedule(0);
      return;
    }
    if (backup.pendingPost && backup.base + 1 === state.revision && form.dataset.savedByMe) {
      markClean(); // the server saved the draft posted with the button
      return;
    }
    // Based on an older version than a colleague's save: offer it, never impose it.
    offerRestore(backup);
  }

  /* A lasting notice above the form: the status line changes with the next save. */
  function showNotice(message) {
    var box = document.createElement("p");
    box.className = "message";
    box.setAttribute("role", "status");
    box.dataset.restoredNotice = "";
    box.textContent = message;
    form.parentNode.insertBefore(box, form);
  }

  function offerRestore(backup) {
    var box = document.createElement("div");
    box.className = "message message--warning";
    box.setAttribute("role", "alert");
    var p = document.createElement("p");
    p.textContent = text("textRestoreOlder");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button--small";
    button.textContent = text("textRestoreButton");
    button.addEventListener("click", function () {
      fill(backup.data);
      box.remove();
      schedule(0);
    });
    box.appendChild(p);
    box.appendChild(button);
    form.parentNode.insertBefore(box, form);
  }

  /* ---- autosave --------------------------------------------------------------------------- */

  function csrfToken() {
    // The cookie holds the current token, renewed when the person logs in again in another tab.
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) { return decodeURIComponent(match[1]); }
    var input = form.querySelector("[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function schedule(delay) {
    if (state.blocked) { return; }
    window.clearTimeout(state.timer);
    state.timer = window.setTimeout(save, delay === undefined ? DEBOUNCE_MS : delay);
  }

  function setRevision(revision) {
    state.revision = revision;
    form.dataset.revision = String(revision);
    var input = form.querySelector("[name=revision]");
    if (input) { input.value = String(revision); }
  }

  function updateCompleteness(measure) {
    if (!measure) { return; }
    var bar = document.querySelector("[data-completeness-bar]");
    var label = document.querySelector("[data-completeness-text]");
    var missing = document.querySelector("[data-completeness-missing]");
    if (bar) {
      bar.style.width = measure.percent + "%";
      bar.parentNode.setAttribute("aria-valuenow", String(measure.percent));
    }
    if (label) { label.textContent = text("textCount", { answered: measure.answered, required: measure.required }); }
    if (missing) {
      missing.textContent = "";
      var lists = [["textToFill", measure.missing_links || [], "completeness-to-fill"],
        ["textToCorrect", measure.to_correct_links || [], "completeness-to-correct"]];
      lists.forEach(function (entry) {
        if (!entry[1].length) { return; }
        var heading = document.createElement("p");
        heading.id = entry[2];
        heading.textContent = text(entry[0], { count: entry[1].length });
        var ul = document.createElement("ul");
        ul.setAttribute("aria-labelledby", entry[2]);
        entry[1].forEach(function (item) {
          // Each line links to its field, as the server draws it (_completeness.html).
          var li = document.createElement("li");
          var line = item && item.anchor ? document.createElement("a") : li;
          if (line !== li) { line.href = "#" + item.anchor; li.appendChild(line); }
          line.textContent = typeof item === "string" ? item : item.label;
          ul.appendChild(li);
        });
        missing.appendChild(heading);
        missing.appendChild(ul);
      });
      if (!missing.children.length) {
        var p = document.createElement("p");
        p.textContent = text("textComplete");
        missing.appendChild(p);
      }
    }
  }

  /* The warnings where an answer differs from the structure's profile, redrawn after a save. */
  function showWarnings(warnings) {
    if (!warnings) { return; }
    form.querySelectorAll("[data-profile-warning]").forEach(function (el) {
      var box = el.closest("[data-question]");
      var message = box ? warnings[box.dataset.question] : "";
      el.textContent = message || "";
      el.hidden = !message;
    });
  }

  /* A link to a field (the completeness list) gives the field the focus, not only the view. */
  function focusField(event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) { return; }
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target || !form.contains(target)) { return; }
    event.preventDefault();
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
  }

  var completenessBox = document.getElementById("completeness");
  if (completenessBox) { completenessBox.addEventListener("click", focusField); }
  function save() {
    if (state.blocked) { return; }
    if (state.saving) { state.again = true; return; }
    var sent = serialise();
    var problem = sizeProblem(sent);
    if (problem) {
      // Posting would be refused: keep the text here, say why, and wait for the next change.
      writeBackup();
      showStatus(problem, true);
      return;
    }
    state.saving = true;
    showStatus(text("textSaving"), false, true);
    fetch(form.dataset.autosaveUrl, {
      method: "POST",
      credentials: "same-origin",
      redirect: "error",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), "Accept": "application/json" },
      body: JSON.stringify({ revision: state.revision, data: sent }),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { status: response.status, body: body };
      });
    }).then(function (result) {
      var body = result.body || {};
      if (result.status === 200 && body.ok) {
        setRevision(body.revision);
        form.dataset.savedAt = body.saved_at;
        var refused = body.refused && Object.keys(body.refused).length;
        // Answers the server refused live only in this page: keep the browser's copy of them.
        if (same(sent, serialise()) && !refused) { markClean(); } else { writeBackup(); }
        showStatus([body.message || text("textSaved", { time: "" }), body.notice || ""].join(" ").trim(),
          Boolean(refused));
        showRefused(body.refused);
        updateCompleteness(body.completeness);
        showWarnings(body.warnings);
        return;
      }
      writeBackup();
      if (result.status === 409 && body.conflict) { state.blocked = true; }
      var message = body.message || text("textOffline");
      if (result.status === 401 || (result.status === 403 && !body.message)) {
        // An expired session, or a security token lost with it: the text stays in this browser.
        showLoginHint(body.message || text("textExpired"));
      } else {
        showStatus(message, true);
      }
    }).catch(function () {
      writeBackup();
      showStatus(text("textOffline"), true);
      window.setTimeout(function () { schedule(0); }, RETRY_MS);
    }).then(function () {
      state.saving = false;
      if (state.afterSave) {
        // A button was pressed while this save was on its way: post now, on the new revision.
        var post = state.afterSave;
        state.afterSave = null;
        state.again = false;
        post();
        return;
      }
      if (state.again) { state.again = false; schedule(0); }
    });
  }

  function showLoginHint(message) {
    showStatus(message, true);
    if (!status || status.querySelector("a")) { return; }
    var link = document.createElement("a");
    link.href = form.dataset.loginUrl;
    link.target = "_blank";
    link.rel = "noopener";
    link.textContent = " ↗";
    status.appendChild(link);
  }

  function changed(event) {
    if (event && event.target && event.target.type === "file") { return; }
    refresh();
    if (preview) { return; }
    writeBackup();
    schedule();
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function (event) {
    if (preview) { event.preventDefault(); return; }
    window.clearTimeout(state.timer);
    var problem = sizeProblem();
    if (problem) {
      // The server would answer with a bare error page: stay here, with the text and the reason.
      event.preventDefault();
      writeBackup();
      showStatus(problem, true);
      return;
    }
    if (state.saving) {
      // Posting now would carry the revision the autosave is replacing, and be refused.
      event.preventDefault();
      var submitter = event.submitter;
      state.afterSave = function () { form.requestSubmit(submitter); };
      return;
    }
    writeBackup({ pendingPost: true });
  });

  refresh();
  if (!preview) { restoreIfNewer(); }
})();
