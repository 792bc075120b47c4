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

      fill("ph-decision-list", state.decisions.length ? state.decisions.map(function (d) {
        return el("li", { value: d.number, "data-id": d.id }, [
          d.text, " ", el("small", { text: "(" + T["kind_" + d.kind] + (d.kind === "vote" && d.tallies.length ? ": " + d.totals["for"] + "/" + d.totals.against + "/" + d.totals.abstain : "") + ")" })
        ]);
      }) : [el("li", { class: "ph-muted", text: T.no_decisions })]);

      fill("ph-agenda-list", state.agenda.map(function (a, i) {
        return el("li", { "aria-current": a === item ? "step" : null, "data-done": index > i ? "1" : null }, [
          a.title, " ", el("small", { text: fmt(T.minutes, { n: a.planned_minutes }) })
        ]);
      }));
      L.tickTimers(client, root);
    }

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
    var client = L.connect({
      namespace: root.getAttribute("data-namespace"),
      auth: L.data(root, "auth"),
      key: root.getAttribute("data-key"),
      onChange: function (s) { state = s; draw(); },
      onStatus: function (on) {
        conn.textContent = on ? T.connected : T.disconnected;
        conn.setAttribute("data-on", on ? "1" : "0");
      }
    });
    window.setInterval(function () { L.tickTimers(client, root); }, 1000);
  });
})();
