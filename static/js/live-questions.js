// meetcoord moderated questions (issue 15). The room's state gets `questions` from the
// snapshot (approved, picked and answered ones only) and the question.* events, applied in
// seq order by live-client.js through MeetcoordLive.apply. Mounts on:
// - #qa-screen (the projector): the question the chair picked, big;
// - #qa-room (templates/questions/room.html): asking, supporting, and for moderators the
//   pending list and the actions. What the room's events leave out (pending text, the
//   names of anonymous askers) comes from data-list-url: everything for a moderator, the
//   reader's own questions for a participant (questions/services.py says why).
(function () {
  "use strict";
  var L = window.MeetcoordLive;
  if (!L) return;
  var el = L.el, fmt = L.fmt, fill = L.fill;
  var SHOWN = { approved: 1, picked: 1, answered: 1 };
  var ORDER = { picked: 0, approved: 1, pending: 2, answered: 3 };

  function apply(s, d) {
    var list = s.questions = s.questions || [];
    (d.questions || []).forEach(function (q) {
      for (var i = 0; i < list.length; i++) if (list[i].id === q.id) { list.splice(i, 1); break; }
      if (SHOWN[q.status]) list.push(q);
    });
  }
  ["question.asked", "question.voted", "question.moderated", "question.picked", "question.answered"]
    .forEach(function (t) { L.apply[t] = apply; });

  function asker(q, T, full) {
    if (!q.asker) return T.qa_anonymous;
    var who = q.asker + (q.organization ? " · " + q.organization : "");
    return full && q.anonymous ? who + " (" + T.qa_anonymous_room + ")" : who;
  }

  function picked(state) {
    return (state && state.questions || []).filter(function (q) { return q.status === "picked"; })[0] || null;
  }

  function screen(box) {
    var client = L.clients[0];
    if (!client) return;
    var T = L.data(document.getElementById("live"), "strings") || {};
    function follow() {
      var q = picked(client.state);
      box.hidden = !q;
      if (!q) return;
      L.text(box.querySelector("[data-qa-text]"), q.text);
      L.text(box.querySelector("[data-qa-who]"), asker(q, T) + (q.votes ? " · " + fmt(T.qa_votes, { n: q.votes }) : ""));
    }
    client.socket.on("snapshot", follow);
    client.socket.on("event", follow);
    follow();
  }

  function room(root, box) {
    var T = L.data(root, "strings") || {};
    var me = Number(root.getAttribute("data-invitation")) || null;
    var moderate = box.getAttribute("data-moderate") === "1";
    var listUrl = box.getAttribute("data-list-url");
    var mine = {}; // the reader's own questions and, for moderators, every one: id → question
    var loading = null;
    var client;

    // The list answers the page envelope {items, page, pages, ...}: every page, 200 a time.
    function fetchAll(page, rows) {
      var url = listUrl + (listUrl.indexOf("?") < 0 ? "?" : "&") + "per_page=200&page=" + page;
      return window.fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (body) {
          if (!body || !body.items) return rows;
          rows = rows.concat(body.items);
          return body.page < body.pages ? fetchAll(body.page + 1, rows) : rows;
        });
    }

    function reload() {
      if (loading) return;
      loading = window.setTimeout(function () {
        fetchAll(1, [])
          .then(function (rows) {
            mine = {};
            rows.forEach(function (q) { mine[q.id] = q; });
            loading = null;
            draw();
          }, function () { loading = null; });
      }, 150);
    }

    function say(id, message) {
      var node = document.getElementById(id);
      if (!node) return;
      node.hidden = !message;
      L.text(node, message || "");
    }

    function send(name, data, errorId) {
      return client.send(name, data).then(function (ack) {
        say(errorId, ack.ok ? "" : fmt(T.failed, { message: ack.error.message }));
        if (ack.ok) reload();
        return ack;
      });
    }

    function button(label, act, q, pressed) {
      return el("button", { type: "button", "data-act": act, "data-id": q.id,
        "aria-pressed": pressed === undefined ? null : String(pressed), text: label });
    }

    function row(q, state) {
      var item = L.find(state.agenda, q.agenda_item_id);
      var own = !!mine[q.id] && mine[q.id].invitation_id === me;
      var info = [asker(moderate && mine[q.id] ? mine[q.id] : q, T, moderate)];
      if (item && item.id !== state.room.current_item_id) info.push(fmt(T.qa_on_item, { title: item.title }));
      if (q.status !== "pending") info.push(fmt(T.qa_votes, { n: q.votes || 0 }));
      info.push(T["qa_status_" + q.status] || q.status);
      var kids = [el("span", { class: "qa-text", text: q.text }), el("small", { text: info.join(" · ") })];
      if (q.answer_note) kids.push(el("small", { text: " — " + fmt(T.qa_answer, { note: q.answer_note }) }));
      var acts = [];
      var open = q.status === "approved" || q.status === "picked";
      if (me && !own && open && !moderate) {
        var voted = (q.voters || []).indexOf(me) >= 0;
        acts.push(button(voted ? T.qa_unvote : T.qa_vote, "vote", q, voted));
      }
      if (moderate) {
        if (q.status === "pending") acts.push(button(T.qa_approve, "approve", q));
        if (q.status === "approved") acts.push(button(T.qa_pick, "pick", q));
        if (open) acts.push(button(T.qa_answered, "answer", q));
        if (q.status !== "answered") acts.push(button(T.qa_hide, "hide", q));
        var targets = (state.questions || []).filter(function (t) { return t.id !== q.id && (t.status === "approved" || t.status === "picked"); });
        if (q.status !== "answered" && q.status !== "picked" && targets.length) {
          acts.push(el("select", { "data-into": q.id, "aria-label": T.qa_merge_into }, targets.map(function (t) {
            return el("option", { value: t.id, text: t.text.slice(0, 60) });
          })));
          acts.push(button(T.qa_merge, "merge", q));
        }
      }
      if (acts.length) kids.push(el("span", { class: "qa-actions" }, acts));
      return el("li", { "data-id": q.id, "data-status": q.status }, kids);
    }

    function sorted(list) {
      return list.slice().sort(function (a, b) {
        return (ORDER[a.status] - ORDER[b.status]) || ((b.votes || 0) - (a.votes || 0)) || (a.id - b.id);
      });
    }

    function draw() {
      var state = client.state;
      if (!state) return;
      var item = L.find(state.agenda, state.room.current_item_id);
      L.text("qa-item", item ? item.title : T.no_item);
      var shown = state.questions || [];
      var ids = {};
      shown.forEach(function (q) { ids[q.id] = 1; });
      var waiting = Object.keys(mine).map(function (k) { return mine[k]; })
        .filter(function (q) { return q.status === "pending" && !ids[q.id]; });
      if (moderate) {
        fill("qa-pending", waiting.length ? sorted(waiting).map(function (q) { return row(q, state); })
          : [el("li", { class: "ph-muted", text: T.qa_none_pending })]);
        waiting = [];
      }
      var all = sorted(shown.concat(waiting));
      fill("qa-list", all.length ? all.map(function (q) { return row(q, state); })
        : [el("li", { class: "ph-muted", text: T.qa_none })]);
    }

    client = L.connect({
      namespace: root.getAttribute("data-namespace"),
      auth: L.data(root, "auth"),
      key: root.getAttribute("data-key"),
      tooLarge: T.too_large,
      // A question asked with no network waits on this device, and is sent when the link
      // returns, even after the page was closed (issue 16).
      outbox: root.getAttribute("data-key") + ":outbox",
      lasting: ["question.ask"],
      onReplayed: function (ack) {
        if (!ack) return;
        if (ack.ok) { say("qa-sent", T.qa_sent); reload(); }
        else say("qa-error", fmt(T.failed, { message: ack.error && ack.error.message }));
      },
      onStatus: function (on) {
        if (window.MeetcoordOffline) window.MeetcoordOffline.linked(on); // offline.js: the age
        var c = document.getElementById("live-conn");
        c.setAttribute("data-on", on ? "1" : "0");
        L.text(c, on ? T.connected : T.disconnected);
      },
      onChange: function (state, env) {
        draw();
        if (env && env.type.indexOf("question.") === 0 &&
            (moderate || (env.data.questions || []).some(function (q) { return mine[q.id]; }))) reload();
      }
    });
    reload();

    box.addEventListener("click", function (ev) {
      var b = ev.target.closest("button[data-act]");
      if (!b) return;
      var id = Number(b.getAttribute("data-id"));
      var act = b.getAttribute("data-act");
      if (act === "vote") {
        send("question.vote", { question_id: id, up: b.getAttribute("aria-pressed") !== "true" }, "qa-error");
      } else if (act === "pick") {
        send("question.pick", { question_id: id }, "qa-mod-error");
      } else if (act === "answer") {
        var note = window.prompt(T.qa_answer_prompt, "");
        if (note !== null) send("question.answer", { question_id: id, note: note }, "qa-mod-error");
      } else {
        var data = { question_id: id, action: act };
        if (act === "merge") data.into_id = Number(box.querySelector('select[data-into="' + id + '"]').value);
        send("question.moderate", data, "qa-mod-error");
      }
    });

    var form = document.getElementById("qa-ask");
    if (form) form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var text = document.getElementById("qa-text");
      var button = form.querySelector("button");
      button.disabled = true;
      say("qa-sent", "");
      if (!client.connected) {
        // Kept on the device (the client's outbox); the form is free for the next one.
        say("qa-sent", T.qa_queued);
        client.send("question.ask", {
          text: text.value,
          anonymous: document.getElementById("qa-anon").checked,
          agenda_item_id: document.getElementById("qa-on").value || null
        }).then(function (ack) {
          say(ack.ok ? "qa-sent" : "qa-error", ack.ok ? T.qa_sent : fmt(T.failed, { message: ack.error.message }));
          if (ack.ok) reload();
        });
        text.value = "";
        button.disabled = false;
        return;
      }
      send("question.ask", {
        text: text.value,
        anonymous: document.getElementById("qa-anon").checked,
        agenda_item_id: document.getElementById("qa-on").value || null
      }, "qa-error").then(function (ack) {
        button.disabled = false;
        if (ack.ok) { text.value = ""; say("qa-sent", T.qa_sent); }
      });
    });
  }

  L.onReady(function () {
    var shown = document.getElementById("qa-screen");
    if (shown) screen(shown);
    var root = document.getElementById("live");
    var box = document.getElementById("qa-room");
    if (root && box && typeof window.io === "function") room(root, box);
  });
})();
