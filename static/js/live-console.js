// meetcoord chair's console (templates/live/console.html): runs the meeting over /live.
// Lists are redrawn from the room's state; forms keep what the user typed. Needs
// live-client.js (window.MeetcoordLive) and the vendored Socket.IO client.
(function () {
  "use strict";
  var L = window.MeetcoordLive;
  if (!L) return;
  var el = L.el, text = L.text, fill = L.fill, fmt = L.fmt, find = L.find;

  L.onReady(function () {
    var root = document.getElementById("live");
    if (!root || typeof window.io !== "function") return;
    var T = L.data(root, "strings") || {};
    var sites = L.data(root, "sites") || [];
    var canRun = root.getAttribute("data-can-run") === "1";
    var locale = root.getAttribute("data-locale");
    var state = null;
    var lastPresence = null;

    function siteName(id) {
      var s = id === null || id === undefined ? null : find(sites, id);
      return s ? s.name : T.online;
    }

    function note(id, message, isError) {
      var n = text(id, message || "");
      if (n) n.setAttribute("data-error", isError ? "1" : "0");
    }

    // Every command goes through here: the answer's message is shown where it belongs.
    function run(name, data, noteId) {
      if (noteId) note(noteId, "");
      return client.send(name, data || {}).then(function (ack) {
        if (!ack.ok) {
          var message = fmt(T.failed, { message: ack.error && ack.error.message });
          if (noteId) note(noteId, message, true);
          else showError(message);
        } else if (!noteId) {
          showError("");
        }
        return ack;
      });
    }

    function showError(message) {
      var box = text("live-error", message);
      if (box) box.hidden = !message;
    }

    // --- drawing ----------------------------------------------------------------------

    function currentItem() {
      return state && state.room.current_item_id ? find(state.agenda, state.room.current_item_id) : null;
    }

    function drawRun() {
      var st = state ? state.room.state : "waiting";
      var badge = text("live-state", T["state_" + st]);
      if (badge) badge.setAttribute("data-state", st);
      Array.prototype.forEach.call(root.querySelectorAll("#live-run [data-when]"), function (b) {
        b.hidden = b.getAttribute("data-when").split(" ").indexOf(st) < 0;
      });
    }

    function drawAgenda() {
      var current = state.room.current_item_id;
      var n = state.agenda.length;
      fill("live-agenda", state.agenda.map(function (item, i) {
        var isCurrent = item.id === current;
        var tools = canRun ? el("span", { class: "live-tools" }, [
          isCurrent ? null : el("button", { type: "button", class: "button button-small", "data-act": "activate", "data-id": item.id, text: T.activate }),
          el("button", { type: "button", class: "button button-small button-quiet", "data-act": "up", "data-id": item.id, disabled: i === 0, "aria-label": fmt(T.up, { title: item.title }), text: "↑" }),
          el("button", { type: "button", class: "button button-small button-quiet", "data-act": "down", "data-id": item.id, disabled: i === n - 1, "aria-label": fmt(T.down, { title: item.title }), text: "↓" })
        ]) : null;
        return el("li", { class: "live-agenda-item", "data-id": item.id, "aria-current": isCurrent ? "step" : null }, [
          el("span", { class: "live-agenda-title" }, [
            el("strong", { text: item.title }), " ",
            el("span", { class: "muted", text: fmt(T.minutes, { n: item.planned_minutes }) + (item.presenter ? " · " + item.presenter : "") }),
            isCurrent ? el("span", { class: "badge live-now", text: T.current }) : null
          ]),
          tools
        ]);
      }));
    }

    function tallyTable(d) {
      if (d.kind !== "vote" || !d.tallies.length) return null;
      var head = el("tr", {}, ["", T["for"], T.against, T.abstain].map(function (h) { return el("th", { scope: "col", text: h }); }));
      var rows = d.tallies.map(function (t) {
        return el("tr", {}, [el("th", { scope: "row", text: siteName(t.site_id) }), el("td", { text: t["for"] }), el("td", { text: t.against }), el("td", { text: t.abstain })]);
      });
      rows.push(el("tr", { class: "live-total" }, [el("th", { scope: "row", text: T.total }), el("td", { text: d.totals["for"] }), el("td", { text: d.totals.against }), el("td", { text: d.totals.abstain })]));
      return el("table", { class: "live-tally-table" }, [el("thead", {}, [head]), el("tbody", {}, rows)]);
    }

    // Withdrawn: still shown, struck through, with who withdrew it and why.
    function withdrawnNote(w) {
      return w ? el("p", { class: "live-withdrawn-note", text: fmt(T.withdrawn_by, { name: w.by }) + ": " + w.reason }) : null;
    }

    function actionItem(a, withTools) {
      var bits = [a.organization, a.person, a.locus, a.due_on ? fmt(T.action_due, { date: a.due_on }) : null].filter(Boolean);
      return el("li", { class: a.withdrawn ? "live-withdrawn" : null, "data-action-id": a.id }, [
        el("span", { class: "live-struck" }, [el("strong", { text: a.title }), " — " + bits.join(" · ")]),
        withdrawnNote(a.withdrawn),
        withTools && !a.withdrawn ? el("span", { class: "button-row" }, [
          el("button", { type: "button", class: "button button-small button-quiet", "data-act": "edit-action", "data-id": a.id, text: T.amend }),
          el("button", { type: "button", class: "button button-small button-quiet", "data-act": "withdraw-action", "data-id": a.id, text: T.withdraw_record })
        ]) : null
      ]);
    }

    function decisionItem(d, withTools) {
      var actions = state.actions.filter(function (a) { return a.decision_id === d.id; });
      var closed = state.room.state === "closed";
      var history = d.history && d.history.length ? el("details", { class: "live-history" }, [
        el("summary", { text: T.history })
      ].concat(d.history.map(function (h) {
        return el("p", { text: fmt(T.was, { n: h.version, text: h.text }) + " (" + T["kind_" + h.kind] + ")" });
      }))) : null;
      return el("li", { class: "live-decision" + (d.withdrawn ? " live-withdrawn" : ""), "data-id": d.id }, [
        el("p", { class: "live-decision-head" }, [
          el("strong", { text: fmt(T.decision_n, { n: d.number }) }), " ",
          el("span", { class: "badge", text: d.withdrawn ? T.withdrawn : T["kind_" + d.kind] }),
          d.version > 1 ? el("span", { class: "muted", text: " " + fmt(T.version, { n: d.version }) + " · " + T.amended }) : null
        ]),
        el("p", { class: "live-decision-text live-struck", text: d.text }),
        withdrawnNote(d.withdrawn),
        tallyTable(d),
        history,
        actions.length ? el("ul", { class: "live-actions" }, actions.map(function (a) { return actionItem(a, withTools); })) : null,
        withTools && !d.withdrawn ? el("span", { class: "button-row" }, [
          el("button", { type: "button", class: "button button-small button-quiet", "data-act": "amend", "data-id": d.id, text: T.amend }),
          closed ? null : el("button", { type: "button", class: "button button-small button-quiet", "data-act": "action", "data-id": d.id, text: T.add_action }),
          el("button", { type: "button", class: "button button-small button-quiet", "data-act": "withdraw-decision", "data-id": d.id, text: T.withdraw_record })
        ]) : null
      ]);
    }

    function drawDecisions() {
      var item = currentItem();
      var mine = state.decisions.filter(function (d) { return item && d.item_id === item.id; });
      fill("live-item-decisions", mine.length ? mine.map(function (d) { return decisionItem(d, false); }) : [el("li", { class: "muted", text: T.no_decisions })]);
      fill("live-decisions", state.decisions.length ? state.decisions.map(function (d) { return decisionItem(d, true); }) : [el("li", { class: "muted", text: T.no_decisions })]);
      var select = document.getElementById("action-decision");
      var chosen = select.value;
      var standing = state.decisions.filter(function (d) { return !d.withdrawn; });
      fill(select, [el("option", { value: "", text: T.pick_decision })].concat(standing.map(function (d) {
        return el("option", { value: d.id, text: fmt(T.decision_n, { n: d.number }) + ": " + d.text.slice(0, 80) });
      })));
      select.value = chosen;
    }

    function drawCurrent() {
      var item = currentItem();
      text("live-current-item", item ? item.title : T.no_item);
      L.setTimer(document.getElementById("live-item-timer"), item ? state.room.item_timer : null);
      drawNotes(item);
    }

    function drawSpeakers() {
      var speaking = state.speakers.filter(function (s) { return s.status === "speaking"; })[0];
      text("live-speaker-name", speaking ? speaking.name + " — " + (speaking.site || T.online) : T.nobody_speaking);
      L.setTimer(document.getElementById("live-speaker-timer"), speaking ? speaking.timer : null);
      var end = document.getElementById("floor-end");
      if (end) end.hidden = !speaking;
      var waiting = state.speakers.filter(function (s) { return s.status === "waiting"; });
      fill("live-queue", waiting.length ? waiting.map(function (s) {
        return el("li", { class: "live-queue-item", "data-id": s.id }, [
          el("span", { class: "badge live-site", text: s.site || T.online }), " ",
          el("strong", { class: "live-queue-name", text: s.name }),
          s.organization ? el("span", { class: "muted", text: " · " + s.organization }) : null,
          s.raised_by && s.raised_by !== s.name ? el("span", { class: "muted", text: " · " + fmt(T.raised_by, { name: s.raised_by }) }) : null,
          canRun ? el("span", { class: "button-row" }, [
            el("button", { type: "button", class: "button button-small", "data-act": "floor", "data-id": s.id, text: T.give_floor }),
            el("button", { type: "button", class: "button button-small button-quiet", "data-act": "withdraw", "data-id": s.id, text: T.withdraw })
          ]) : null
        ]);
      }) : [el("li", { class: "muted", text: T.queue_empty })]);
    }

    function drawPresence() {
      if (!lastPresence) return;
      sites.forEach(function (site) {
        var row = root.querySelector('#live-sites li[data-site-id="' + site.id + '"]');
        if (!row) return;
        var p = lastPresence.sites[String(site.id)];
        var link = row.querySelector("[data-link]");
        if (p && p.connected) {
          link.textContent = [fmt(T.screens, { n: p.screens }), fmt(T.coordinators, { n: p.coordinators }), fmt(T.connections, { n: p.connected })].join(" · ");
          link.setAttribute("data-on", p.screens || p.coordinators ? "1" : "0");
        } else {
          link.textContent = T.no_link;
          link.setAttribute("data-on", "0");
        }
        text(row.querySelector("[data-heard]"), p && p.last_heard_at ? fmt(T.last_heard, { time: L.timeIn(p.last_heard_at, site.zone, site.zone_label, locale) }) : "");
      });
    }

    // Attendance and quorum: the counts the server sends this page's /live socket (the
    // staff room) whenever someone checks in or out. Until the first, each site shows "—".
    function drawCounts(c) {
      (c.sites || []).forEach(function (s) {
        if (s.site_id === null) return;
        var node = root.querySelector('#live-sites li[data-site-id="' + s.site_id + '"] [data-count]');
        text(node, s.present + "/" + s.invited + " " + T.present);
      });
      var q = document.getElementById("live-quorum");
      if (q && c.quorum) {
        q.hidden = false;
        var line = L.quorum(c, T);
        q.setAttribute("data-met", line.state);
        q.textContent = line.text;
      }
    }

    function draw() {
      if (!state) return;
      drawRun();
      drawAgenda();
      drawCurrent();
      drawDecisions();
      drawSpeakers();
      L.tickTimers(client, root);
    }

    // --- notes: a stale save is refused by the server; the user's text stays -----------

    var notes = document.getElementById("notes-text");
    var notesItem = null, notesDirty = false, notesSaving = false;
    notes.addEventListener("input", function () { notesDirty = true; });

    function drawNotes(item) {
      var form = document.getElementById("notes-form");
      form.hidden = !item;
      if (!item) return;
      var saved = find(state.notes, item.id, "item_id") || { text: "", version: 0 };
      text("notes-version", saved.version ? fmt(T.notes_version, { n: saved.version }) : "");
      if (notesItem !== item.id) {
        notesItem = item.id;
        notesDirty = false;
        note("notes-note", "");
      }
      if (!notesDirty && !notesSaving) {
        notes.value = saved.text;
        notes.setAttribute("data-base-version", saved.version);
      } else if (!notesSaving && saved.version > Number(notes.getAttribute("data-base-version"))) {
        note("notes-note", T.notes_changed, true);
      }
    }

    document.getElementById("notes-form").addEventListener("submit", function (e) {
      e.preventDefault();
      if (!notesItem) return;
      notesSaving = true;
      run("notes.save", { item_id: notesItem, text: notes.value, base_version: Number(notes.getAttribute("data-base-version")) }, "notes-note").then(function (ack) {
        notesSaving = false;
        if (ack.ok) {
          notesDirty = false;
          if (ack.id) notes.setAttribute("data-base-version", ack.id);
          note("notes-note", T.saved);
          draw();
        }
      });
    });

    // --- decisions, votes, amendments, follow-up actions --------------------------------

    // A vote's tallies: one row per site plus online, totals summed as the user types.
    function tallyRows(box) {
      return Array.prototype.map.call(box.querySelectorAll("tbody tr"), function (row) {
        var out = { site_id: row.getAttribute("data-site-id"), any: false };
        Array.prototype.forEach.call(row.querySelectorAll("input"), function (input) {
          out[input.getAttribute("data-key")] = Number(input.value || 0);
          if (input.value !== "") out.any = true;
        });
        return out;
      });
    }
    function sumTallies(box) {
      var rows = tallyRows(box);
      ["for", "against", "abstain"].forEach(function (k) {
        text(box.querySelector('[data-total="' + k + '"]'), rows.reduce(function (n, r) { return n + (r[k] || 0); }, 0));
      });
    }
    function tallyBody(r) {
      return { site_id: r.site_id, "for": r["for"], against: r.against, abstain: r.abstain };
    }
    function voteForm(kindSelect, box) {
      kindSelect.addEventListener("change", function () { box.hidden = kindSelect.value !== "vote"; });
      box.addEventListener("input", function () { sumTallies(box); });
    }

    var kind = document.getElementById("decision-kind");
    var tallies = document.getElementById("decision-tallies");
    voteForm(kind, tallies);

    document.getElementById("decision-form").addEventListener("submit", function (e) {
      e.preventDefault();
      var form = e.target;
      var body = { text: form.elements.text.value, kind: kind.value };
      if (kind.value === "vote") {
        body.tallies = tallyRows(tallies).filter(function (r) { return r.any; }).map(tallyBody);
      }
      run("decision.record", body, "decision-note").then(function (ack) {
        if (!ack.ok) return;
        form.reset();
        tallies.hidden = true;
        sumTallies(tallies);
        note("decision-note", T.recorded);
      });
    });

    // Amending: new wording (the old one is kept by the server) and, for a vote, the
    // tallies per site, each changed row sent on its own (decision.tally).
    var amend = document.getElementById("amend-form");
    var amendKind = document.getElementById("amend-kind");
    var amendTallies = document.getElementById("amend-tallies");
    voteForm(amendKind, amendTallies);

    function startAmend(id) {
      var d = find(state.decisions, id);
      if (!d) return;
      amend.hidden = false;
      document.getElementById("amend-id").value = d.id;
      document.getElementById("amend-version").value = d.version;
      document.getElementById("amend-text").value = d.text;
      amendKind.value = d.kind;
      amendTallies.hidden = d.kind !== "vote";
      Array.prototype.forEach.call(amendTallies.querySelectorAll("tbody tr"), function (row) {
        var key = row.getAttribute("data-site-id");
        var t = d.tallies.filter(function (x) { return String(x.site_id === null ? "online" : x.site_id) === key; })[0];
        Array.prototype.forEach.call(row.querySelectorAll("input"), function (input) {
          input.value = t ? t[input.getAttribute("data-key")] : "";
        });
      });
      sumTallies(amendTallies);
      text("amend-title", T.amend + ": " + fmt(T.decision_n, { n: d.number }));
      note("amend-note", "");
      document.getElementById("amend-text").focus();
    }
    document.getElementById("amend-cancel").addEventListener("click", function () { amend.hidden = true; });

    function tallyChanged(d, r) {
      var t = d.tallies.filter(function (x) { return String(x.site_id === null ? "online" : x.site_id) === r.site_id; })[0];
      if (!t) return r.any;
      return t["for"] !== r["for"] || t.against !== r.against || t.abstain !== r.abstain;
    }

    amend.addEventListener("submit", function (e) {
      e.preventDefault();
      var id = Number(amend.elements.decision_id.value);
      var d = find(state.decisions, id);
      var body = {
        decision_id: id,
        base_version: Number(amend.elements.base_version.value),
        text: amend.elements.text.value,
        kind: amendKind.value
      };
      var reworded = !d || body.text !== d.text || body.kind !== d.kind || body.base_version !== d.version;
      var first = reworded ? run("decision.amend", body, "amend-note") : Promise.resolve({ ok: true });
      first.then(function (ack) {
        if (!ack.ok) return ack;
        if (body.kind !== "vote") return ack;
        var rows = tallyRows(amendTallies).filter(function (r) { return d && tallyChanged(d, r); });
        return rows.reduce(function (chain, r) {
          return chain.then(function (prev) {
            if (!prev.ok) return prev;
            var data = tallyBody(r);
            data.decision_id = id;
            return run("decision.tally", data, "amend-note");
          });
        }, Promise.resolve(ack));
      }).then(function (ack) {
        if (ack.ok) amend.hidden = true;
      });
    });

    // One form records a new action or, once "Ubah" filled it in, corrects one.
    var actionForm = document.getElementById("action-form");
    var actionHeading = document.getElementById("action-heading");
    var actionCancel = document.getElementById("action-cancel");
    var actionSubmit = actionForm.querySelector('button[type="submit"]');
    var createLabels = { heading: actionHeading.textContent, submit: actionSubmit.textContent };

    function actionMode(a) {
      var f = actionForm.elements;
      f.action_id.value = a ? a.id : "";
      f.base_version.value = a ? a.version : "";
      actionHeading.textContent = a ? T.action_edit : createLabels.heading;
      actionSubmit.textContent = a ? T.save_changes : createLabels.submit;
      actionCancel.hidden = !a;
      if (!a) return;
      f.decision_id.value = String(a.decision_id);
      f.title.value = a.title;
      f.organization_id.value = String(a.organization_id);
      f.person_id.value = a.person_id === null ? "" : String(a.person_id);
      f.locus.value = a.locus || "";
      f.due_on.value = a.due_on || "";
      note("action-note", "");
      f.title.focus();
    }
    actionCancel.addEventListener("click", function () { actionMode(null); });

    actionForm.addEventListener("submit", function (e) {
      e.preventDefault();
      var f = actionForm.elements;
      var body = {
        decision_id: f.decision_id.value,
        title: f.title.value,
        organization_id: f.organization_id.value,
        person_id: f.person_id.value,
        locus: f.locus.value,
        due_on: f.due_on.value
      };
      var editing = f.action_id.value !== "";
      if (editing) {
        body.action_id = Number(f.action_id.value);
        body.base_version = Number(f.base_version.value);
      }
      run(editing ? "action.update" : "action.create", body, "action-note").then(function (ack) {
        if (!ack.ok) return;
        f.title.value = f.locus.value = f.due_on.value = "";
        actionMode(null);
        note("action-note", T.action_saved);
      });
    });

    // Withdrawing asks why: the reason stays on record, in the log and in the minutes.
    function withdraw(name, key, id, prompt) {
      var reason = window.prompt(prompt);
      if (reason === null) return;
      var body = { reason: reason };
      body[key] = id;
      run(name, body);
    }

    var agendaForm = document.getElementById("agenda-form");
    if (agendaForm) {
      agendaForm.addEventListener("submit", function (e) {
        e.preventDefault();
        run("agenda.add", { title: agendaForm.elements.title.value, planned_minutes: Number(agendaForm.elements.planned_minutes.value) }, "agenda-note").then(function (ack) {
          if (!ack.ok) return;
          agendaForm.elements.title.value = "";
          note("agenda-note", T.saved);
        });
      });
    }

    // --- buttons: one listener for every button the lists draw ---------------------------

    function move(id, by) {
      var ids = state.agenda.map(function (i) { return i.id; });
      var at = ids.indexOf(id);
      var to = at + by;
      if (at < 0 || to < 0 || to >= ids.length) return;
      ids.splice(at, 1);
      ids.splice(to, 0, id);
      run("agenda.reorder", { item_ids: ids });
    }

    root.addEventListener("click", function (e) {
      var b = e.target.closest("button[data-cmd], button[data-act]");
      if (!b || !state) return;
      var cmd = b.getAttribute("data-cmd");
      if (cmd) {
        if (cmd === "close" && !window.confirm(T.confirm_close)) return;
        run(cmd, {});
        return;
      }
      var id = Number(b.getAttribute("data-id"));
      switch (b.getAttribute("data-act")) {
        case "activate": run("item.activate", { item_id: id }); break;
        case "up": move(id, -1); break;
        case "down": move(id, 1); break;
        case "floor":
          var minutes = Number((document.getElementById("floor-minutes") || {}).value) || 3;
          run("floor.give", { request_id: id, seconds: Math.round(minutes * 60) });
          break;
        case "withdraw": run("speaker.withdraw", { request_id: id }); break;
        case "amend": startAmend(id); break;
        case "withdraw-decision": withdraw("decision.withdraw", "decision_id", id, fmt(T.withdraw_decision_prompt, { n: (find(state.decisions, id) || {}).number })); break;
        case "edit-action": actionMode(find(state.actions, id)); break;
        case "withdraw-action": withdraw("action.withdraw", "action_id", id, T.withdraw_action_prompt); break;
        case "action":
          document.getElementById("action-decision").value = String(id);
          document.getElementById("action-title").focus();
          break;
      }
    });

    // --- the connections ----------------------------------------------------------------

    var conn = document.getElementById("live-conn");
    var client = L.connect({
      namespace: root.getAttribute("data-namespace"),
      auth: L.data(root, "auth"),
      key: root.getAttribute("data-key"),
      onChange: function (s) { state = s; draw(); },
      onStatus: function (on) {
        conn.textContent = on ? T.connected : T.disconnected;
        conn.setAttribute("data-on", on ? "1" : "0");
      },
      onPresence: function (p) { lastPresence = p; drawPresence(); },
      onCounts: drawCounts,
      tooLarge: T.too_large
    });
    window.setInterval(function () { L.tickTimers(client, root); }, 1000);
  });
})();
