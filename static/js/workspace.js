// meetcoord meeting workspace: progressive enhancement only; every part works without it.
//  - the flash message after a step gets the focus, so it is seen and read out;
//  - the "Satu orang" invite select becomes a search box with a list of matches
//    (ARIA 1.2 combobox + listbox) fed by the meeting's people.json; the select stays
//    in the form, hidden, and carries the chosen id;
//  - "Tambah butir" adds the agenda item with fetch and inserts the row; any refusal
//    falls back to the ordinary form post, which shows the messages beside the fields;
//  - a running invitation send (a job) shows its progress from /api/v1/jobs/<id>, polled
//    every few seconds until it is done or failed (without it: the "Muat ulang" link).
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function fill(template, key, value) {
    return (template || "").replace("{" + key + "}", value);
  }

  function status(box, text) {
    var note = box.querySelector(".picker-status");
    if (note) note.textContent = text;
  }

  // --- flash -----------------------------------------------------------------------------
  function focusFlash() {
    var flash = document.querySelector(".flashes .alert");
    if (!flash) return;
    flash.setAttribute("tabindex", "-1");
    flash.focus({ preventScroll: false });
  }

  // --- person picker ---------------------------------------------------------------------
  function enablePicker(box) {
    var select = box.querySelector("select");
    if (!select || !window.fetch) return;
    var label = box.querySelector('label[for="' + select.id + '"]');
    var input = document.createElement("input");
    var list = document.createElement("ul");
    var note = document.createElement("p");
    var listId = select.id + "-list";
    var active = -1;
    var timer = null;
    var asked = 0;

    input.type = "text";
    input.id = select.id + "-search";
    input.className = "picker-input";
    input.autocomplete = "off";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("aria-describedby", select.id + "-hint");
    list.id = listId;
    list.className = "picker-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    note.className = "picker-status visually-hidden";
    note.setAttribute("role", "status");
    var hint = document.createElement("p");
    hint.id = select.id + "-hint";
    hint.className = "hint";
    hint.textContent = box.getAttribute("data-hint");
    if (label) {
      label.setAttribute("for", input.id);
      label.textContent = box.getAttribute("data-label");
    }
    select.hidden = true;
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    select.parentNode.insertBefore(input, select);
    select.parentNode.insertBefore(hint, select);
    select.parentNode.insertBefore(list, select);
    box.appendChild(note);

    function options() {
      return list.querySelectorAll('[role="option"]');
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var all = options();
      if (!all.length) return;
      active = (index + all.length) % all.length;
      all.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }

    function choose(option) {
      if (!option || option.getAttribute("aria-disabled") === "true") return;
      var id = option.getAttribute("data-id");
      var name = option.getAttribute("data-label");
      if (!select.querySelector('option[value="' + id + '"]')) {
        select.add(new Option(name, id));
      }
      select.value = id;
      input.value = name;
      close();
      status(box, fill(box.getAttribute("data-chosen"), "name", name));
    }

    function show(people) {
      list.textContent = "";
      people.forEach(function (person, i) {
        var item = document.createElement("li");
        item.id = listId + "-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.setAttribute("data-id", String(person.id));
        item.setAttribute("data-label", person.label);
        item.textContent = person.label + (person.position ? " · " + person.position : "");
        if (person.invited) item.setAttribute("aria-disabled", "true");
        item.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the input
          choose(item);
        });
        list.appendChild(item);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
      status(box, people.length
        ? fill(box.getAttribute("data-found"), "n", String(people.length))
        : box.getAttribute("data-none"));
    }

    function search() {
      var q = input.value.trim();
      if (!q) { close(); return; }
      var mine = ++asked;
      var url = box.getAttribute("data-search-url") + "?q=" + encodeURIComponent(q);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (data) { if (mine === asked) show(data.people || []); })
        .catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      select.value = "";
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); if (list.hidden) search(); else highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Enter" && !list.hidden && active >= 0) { event.preventDefault(); choose(options()[active]); }
      else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  // --- agenda without a reload -----------------------------------------------------------
  function enableAgendaAdd(form) {
    var list = document.getElementById("agenda-list");
    if (!list || !window.fetch || !window.FormData) return;
    var sending = false;
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-plain") === "1") return; // the fallback post
      event.preventDefault();
      if (sending) return;
      sending = true;
      fetch(form.action, {
        method: "POST",
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        body: new FormData(form)
      }).then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      }).then(function (result) {
        if (!result.ok || !result.data.ok) throw new Error("refused");
        var holder = document.createElement("ol");
        holder.innerHTML = result.data.html;
        var row = holder.firstElementChild;
        list.appendChild(row);
        var summary = document.getElementById("agenda-summary");
        holder.innerHTML = "";
        var wrap = document.createElement("div");
        wrap.innerHTML = result.data.summary;
        if (summary) summary.replaceWith(wrap.firstElementChild);
        else list.parentNode.insertBefore(wrap.firstElementChild, list.nextSibling);
        var empty = document.getElementById("agenda-empty");
        if (empty) empty.remove();
        list.querySelectorAll(".agenda-item").forEach(function (item, index, all) {
          var down = item.querySelector('button[value="down"]');
          var up = item.querySelector('button[value="up"]');
          if (down) down.disabled = index === all.length - 1;
          if (up) up.disabled = index === 0;
        });
        form.querySelector('[name="title"]').value = "";
        var presenter = form.querySelector('[name="presenter"]');
        if (presenter) presenter.value = "";
        var note = document.getElementById("agenda-added");
        if (!note) {
          note = document.createElement("p");
          note.id = "agenda-added";
          note.className = "alert alert-success";
          note.setAttribute("role", "status");
          note.setAttribute("tabindex", "-1");
          form.parentNode.insertBefore(note, form);
        }
        note.textContent = result.data.message;
        form.querySelector('[name="title"]').focus();
      }).catch(function () {
        form.setAttribute("data-plain", "1");
        form.submit(); // the server shows what was wrong beside the fields
      }).then(function () { sending = false; });
    });
  }

  // --- send progress ---------------------------------------------------------------------
  var POLL_MS = 3000;

  function followJob(box) {
    if (!window.fetch || box.getAttribute("data-running") !== "1") return;
    var bar = box.querySelector("progress");
    var text = box.querySelector(".send-progress-text");
    var failed = box.querySelector(".send-progress-failed");
    var state = box.querySelector(".send-progress-state");

    function show(job) {
      bar.max = job.total || 1;
      bar.value = job.total ? job.done : 1;
      bar.textContent = job.done + "/" + job.total;
      text.textContent = fill(fill(box.getAttribute("data-text"), "done", job.done), "total", job.total);
      failed.textContent = job.failed ? " · " + fill(box.getAttribute("data-failed"), "failed", job.failed) : "";
    }

    function poll() {
      fetch(box.getAttribute("data-job-url"), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      }).then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      }).then(function (job) {
        show(job);
        if (job.status === "done" || job.status === "failed") {
          state.textContent = box.getAttribute("data-finished");
        } else {
          window.setTimeout(poll, POLL_MS);
        }
      }).catch(function () { /* the "Muat ulang" link stays */ });
    }

    window.setTimeout(poll, POLL_MS);
  }

  onReady(function () {
    focusFlash();
    document.querySelectorAll(".send-progress[data-job-url]").forEach(followJob);
    document.querySelectorAll(".person-picker[data-search-url]").forEach(enablePicker);
    var add = document.getElementById("agenda-add");
    if (add) enableAgendaAdd(add);
  });
})();
