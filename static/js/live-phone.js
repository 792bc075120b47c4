// meetcoord participant phone (templates/live/phone.html): agenda progress, who speaks,
// decisions, and asking for the floor. Small on purpose: weak connections.
(function () {
  "use strict";
  var L = window.MeetcoordLive;
  if (!L) return;
  var el = L.el, text = L.text, fill = L.fill, fmt = L.fmt, find = L.find;

  L.onReady(function () {
    var root = document.getElementById("live");
    if (!root || typeof window.io !== "function") return;
    var T = L.data(root, "strings") || {};
    var me = Number(root.getAttribute("data-invitation"));
    var request = document.getElementById("ph-request");
    var withdraw = document.getElementById("ph-withdraw");
    var state = null;
    var busy = false;

    function mine() {
      return state ? state.speakers.filter(function (s) { return s.invitation_id === me; })[0] : null;
    }

    function draw() {
      var st = state.room.state;
      text("live-state", T["state_" + st]).setAttribute("data-state", st);
      var item = state.room.current_item_id ? find(state.agenda, state.room.current_item_id) : null;
      var index = item ? state.agenda.indexOf(item) : -1;
      text("ph-item", item ? item.title : T.no_item);
      text("ph-progress", item ? fmt(T.item_of, { n: index + 1, total: state.agenda.length }) : "");
      var bar = document.getElementById("ph-bar");
      bar.max = Math.max(1, state.agenda.length);
      bar.value = index + 1;
      L.setTimer(document.getElementById("ph-item-timer"), item ? state.room.item_timer : null);

      var speaking = state.speakers.filter(function (s) { return s.status === "speaking"; })[0];
      text("ph-speaker", speaking ? speaking.name + " — " + (speaking.site || T.online) : T.nobody_speaking);
      L.setTimer(document.getElementById("ph-speaker-timer"), speaking ? speaking.timer : null);

      var own = mine();
      var waiting = state.speakers.filter(function (s) { return s.status === "waiting"; });
      text("ph-mine", !own ? "" : own.status === "speaking" ? T.you_speak : fmt(T.queue_position, { n: waiting.indexOf(own) + 1 }));
      var running = st === "open" || st === "paused";
      request.hidden = !!own;
      request.disabled = busy || !running;
      withdraw.hidden = !own || own.status !== "waiting";
      withdraw.disabled = busy;

      drawDecisions();

      fill("ph-agenda-list", state.agenda.map(function (a, i) {
        return el("li", { "aria-current": a === item ? "step" : null, "data-done": index > i ? "1" : null }, [
          a.title, " ", el("small", { text: fmt(T.minutes, { n: a.planned_minutes }) })
        ]);
      }));
      L.tickTimers(client, root);
    }

    // Decisions are updated in place, not redrawn: a coordinator typing their site's
    // tally keeps the focus and the numbers while other events arrive.
    var list = document.getElementById("ph-decision-list");
    var rows = {}; // decision id → {li, body, small, form}
    var tallySite = L.data(root, "tally-site"); // a coordinator's own site: {id, name}
    var KEYS = ["for", "against", "abstain"];

    function drawDecisions() {
      var ds = state.decisions;
      if (!ds.length) {
        rows = {};
        fill(list, [el("li", { class: "ph-muted", text: T.no_decisions })]);
        return;
      }
      var kept = {};
      ds.forEach(function (d, i) {
        var row = rows[d.id];
        if (!row) {
          row = { body: el("span"), small: el("small") };
          row.li = el("li", { "data-id": d.id }, [row.body, " ", row.small]);
        }
        kept[d.id] = row;
        row.li.value = d.number;
        text(row.body, d.text);
        row.li.setAttribute("data-withdrawn", d.withdrawn ? "1" : "0");
        text(row.small, d.withdrawn ? "(" + fmt(T.withdrawn_by, { name: d.withdrawn.by }) + ": " + d.withdrawn.reason + ")"
          : "(" + T["kind_" + d.kind] + (d.kind === "vote" && d.tallies.length ? ": " + d.totals["for"] + "/" + d.totals.against + "/" + d.totals.abstain : "") + ")");
        if (tallySite) tallyForm(row, d);
        if (list.children[i] !== row.li) list.insertBefore(row.li, list.children[i] || null);
      });
      rows = kept;
      while (list.children.length > ds.length) list.removeChild(list.lastChild);
    }

    // A vote's tally at the coordinator's own site, prefilled with the current numbers.
    function tallyForm(row, d) {
      var f = row.form;
      if (d.kind !== "vote" || d.withdrawn) {
        if (f) f.hidden = true;
        return;
      }
      if (!f) {
        f = row.form = el("form", { class: "ph-tally", "data-id": d.id, novalidate: true }, [
          el("p", { text: fmt(T.tally_title, { site: tallySite.name }) })
        ].concat(KEYS.map(function (k) {
          return el("label", {}, [T[k], el("input", { type: "number", name: k, min: 0, step: 1, inputmode: "numeric" })]);
        }), [
          el("button", { type: "submit", class: "ph-button ph-quiet", text: T.tally_save }),
          el("p", { class: "ph-error", role: "alert", hidden: true }),
          el("p", { class: "ph-mine", role: "status" })
        ]));
        row.li.appendChild(f);
      }
      f.hidden = false;
      if (f.dirty || f.busy || client.seq < (f.seq || 0)) return; // keep what was sent till it's back
      var mine = d.tallies.filter(function (t) { return t.site_id === tallySite.id; })[0];
      KEYS.forEach(function (k) { f.elements[k].value = mine ? mine[k] : ""; });
    }

    list.addEventListener("input", function (e) {
      if (e.target.form) e.target.form.dirty = true;
    });
    list.addEventListener("submit", function (e) {
      e.preventDefault();
      var f = e.target;
      var error = f.querySelector(".ph-error"), done = f.querySelector(".ph-mine"), button = f.querySelector("button");
      var body = { decision_id: Number(f.getAttribute("data-id")), site_id: tallySite.id };
      KEYS.forEach(function (k) { body[k] = f.elements[k].value.trim(); });
      f.busy = button.disabled = true;
      text(done, "");
      client.send("decision.tally", body).then(function (ack) {
        f.busy = button.disabled = false;
        text(error, ack.ok ? "" : fmt(T.failed, { message: ack.error && ack.error.message })).hidden = ack.ok;
        if (!ack.ok) return;
        f.dirty = false;
        f.seq = ack.seq;
        text(done, T.tally_saved);
        if (state) draw();
      });
    });

    function send(name, body, done) {
      busy = true;
      if (state) draw();
      client.send(name, body).then(function (ack) {
        busy = false;
        var box = text("ph-error", ack.ok ? "" : fmt(T.failed, { message: ack.error && ack.error.message }));
        box.hidden = ack.ok;
        if (ack.ok && done) text("ph-raise-note", done);
        if (state) draw();
      });
    }

    request.addEventListener("click", function () { send("speaker.request", {}); });
    var raise = document.getElementById("ph-raise");
    if (raise) {
      raise.addEventListener("submit", function (e) {
        e.preventDefault();
        var who = raise.elements.invitation_id;
        send("speaker.request", { invitation_id: who.value }, fmt(T.raised, { name: who.options[who.selectedIndex].text }));
      });
    }
    withdraw.addEventListener("click", function () {
      var own = mine();
      if (own) send("speaker.withdraw", { request_id: own.id });
    });

    var conn = document.getElementById("live-conn");
    var off = window.MeetcoordOffline; // static/js/offline.js: the age of what is shown
    var client = L.connect({
      namespace: root.getAttribute("data-namespace"),
      auth: L.data(root, "auth"),
      key: root.getAttribute("data-key"),
      initial: L.data(root, "initial"),
      keep: true,
      onChange: function (s) { state = s; draw(); },
      onStatus: function (on) {
        if (off) off.linked(on);
        conn.textContent = on ? T.connected : T.disconnected;
        conn.setAttribute("data-on", on ? "1" : "0");
      }
    });
    if (off && client.savedAt) off.fresh(client.savedAt);
    window.setInterval(function () { L.tickTimers(client, root); }, 1000);
  });
})();
