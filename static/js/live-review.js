// meetcoord action review (carry-over, issue 13): the "Tinjauan tindak lanjut" list of the
// console and of a reviewing meeting's phones, drawn from the room's state (snapshot
// `review`, then `action.reviewed` applied in seq order by live-client.js). Loaded after
// live-console.js or live-phone.js, it mounts on #live-review and follows the page's
// socket: its listeners run after the client's own, so client.state is already current
// (the phone's page, counted in bytes, needs no hook for it). Console: every carried action with its next steps (verify and drop only with
// data-can-close) and a short note. Phone (data-agency): the holder's agency's actions
// with in progress / done; the rest read-only in a closed <details>, as a forum's list
// may run long. Rows are updated in place: a note being typed survives arriving events.
(function () {
  "use strict";
  var L = window.MeetcoordLive;
  if (!L) return;
  var el = L.el, text = L.text, fmt = L.fmt;
  // The tracker's workflow (actions/workflow.py): what is offered; the server decides.
  var NEXT = {
    open: ["in_progress", "done", "dropped"],
    in_progress: ["done", "dropped"],
    done: ["in_progress", "verified", "dropped"]
  };
  var CLOSER = ["verified", "dropped"];
  var AGENCY = ["in_progress", "done"];

  L.onReady(function () {
    var box = document.getElementById("live-review");
    var client = L.clients[0];
    if (!box || !client) return;
    var root = document.getElementById("live");
    var T = L.data(root, "strings") || {};
    var locale = document.documentElement.lang;
    var phone = box.hasAttribute("data-agency"); // else the console
    var agency = box.getAttribute("data-agency"); // "" for a person of no agency
    var canClose = box.getAttribute("data-can-close") === "1";
    // Each page's own classes: the phone's stylesheet is small and counted in bytes.
    var CLS = phone ? { button: "ph-button ph-quiet", badge: "ph-state", ok: "ph-mine", error: "ph-error" }
      : { button: "button button-small button-quiet", badge: "badge", ok: "live-note", error: "live-note" };
    var lists = [box.querySelector("[data-review-list]"), box.querySelector("[data-review-others]")];
    var rows = {};

    function day(iso) {
      try {
        return new Intl.DateTimeFormat(locale === "en" ? "en-GB" : "id-ID", {
          day: "numeric", month: "short", year: "numeric", timeZone: "UTC"
        }).format(new Date(iso + "T00:00:00Z"));
      } catch (e) {
        return iso;
      }
    }

    function own(a) { return !phone || (!!agency && String(a.organization_id) === agency); }

    function steps(a) {
      var next = NEXT[a.status] || [];
      // An agency moves its own action forward to done, never back (workflow.agency_allowed).
      if (phone) return own(a) && a.status !== "done" ? next.filter(function (s) { return AGENCY.indexOf(s) >= 0; }) : [];
      return canClose ? next : next.filter(function (s) { return CLOSER.indexOf(s) < 0; });
    }

    function make(a) {
      var r = { busy: false, title: el("strong"), status: el("span", { class: CLS.badge + " review-status" }),
        meta: el("small", { class: "review-meta" }), said: el("small", { class: "review-said" }),
        tools: el("span", { class: "review-tools" }), msg: el("span", { class: CLS.ok, role: "status" }) };
      if (!phone) {
        r.note = el("input", { type: "text", maxlength: 1000, class: "review-note", "aria-label": T.review_note, placeholder: T.review_note });
      }
      r.li = el("li", { class: "review-item", "data-action-id": a.id }, [r.title, " ", r.status, " ", r.meta, " ", r.said, r.note, r.tools, " ", r.msg]);
      return r;
    }

    function update(r, a, running) {
      text(r.title, a.title);
      r.li.setAttribute("data-status", a.status);
      text(r.status, T["status_" + a.status]).setAttribute("data-status", a.status);
      text(r.meta, [a.organization, a.due_on ? fmt(T.action_due, { date: day(a.due_on) }) : null].filter(Boolean).join(" · "));
      text(r.said, [a.before !== a.status ? fmt(T.review_before, { status: T["status_" + a.before] }) : null, a.note].filter(Boolean).join(" · "));
      var offered = steps(a);
      // Buttons are remade only when what they offer changes (keeps a keyboard's focus).
      var key = [offered.join(), r.busy, running, a.title].join("|");
      if (r.key === key) return;
      r.key = key;
      var buttons = offered.map(function (s) {
        return el("button", { type: "button", class: CLS.button, "data-status": s, disabled: r.busy || !running,
          "aria-label": fmt(T.review_mark, { title: a.title, status: T["status_" + s] }), text: T["status_" + s] });
      });
      if (r.note) buttons.push(el("button", { type: "button", class: CLS.button, "data-status": "", disabled: r.busy || !running, text: T.review_save_note }));
      L.fill(r.tools, buttons);
    }

    // "Belum dimulai 3 · Selesai 1": the statuses present, in the workflow's order.
    function counts(review) {
      return ["open", "in_progress", "done", "verified", "dropped"].map(function (s) {
        var n = review.filter(function (a) { return a.status === s; }).length;
        return n ? T["status_" + s] + " " + n : null;
      }).filter(Boolean).join(" · ");
    }

    function draw(state) {
      var review = state.review || [];
      var listed = state.agenda.some(function (i) { return i.kind === "action_review"; });
      box.hidden = !listed && !review.length;
      var running = state.room.state === "open" || state.room.state === "paused";
      var split = [review.filter(own), review.filter(function (a) { return !own(a); })];
      var kept = {};
      split.forEach(function (items, k) {
        var list = lists[k];
        if (!list) return;
        items.forEach(function (a, i) {
          var r = rows[a.id] || make(a);
          kept[a.id] = r;
          update(r, a, running);
          if (list.children[i] !== r.li) list.insertBefore(r.li, list.children[i] || null);
        });
        while (list.children.length > items.length) list.removeChild(list.lastChild);
        var wrap = list.closest("[data-review-wrap]");
        if (wrap) wrap.hidden = !items.length;
      });
      rows = kept;
      text(box.querySelector("[data-review-count]"), counts(review));
      text(box.querySelector("[data-review-all]"), fmt(T.review_all, { n: split[1].length }));
      box.querySelector("[data-review-empty]").hidden = review.length > 0;
      var item = L.find(state.agenda, state.room.current_item_id);
      box.setAttribute("data-current", item && item.kind === "action_review" ? "1" : "0");
    }

    box.addEventListener("click", function (e) {
      var b = e.target.closest("button[data-status]");
      if (!b) return;
      var id = Number(b.closest("[data-action-id]").getAttribute("data-action-id"));
      var r = rows[id];
      if (!r || r.busy) return;
      var body = { action_id: id };
      if (b.getAttribute("data-status")) body.status = b.getAttribute("data-status");
      if (body.status === "dropped") {
        var reason = window.prompt(T.review_drop_prompt);
        if (reason === null) return;
        body.reason = reason;
      }
      if (r.note && r.note.value.trim()) body.note = r.note.value.trim();
      r.busy = true;
      text(r.msg, "");
      follow();
      client.send("action.review", body).then(function (ack) {
        r.busy = false;
        r.msg.className = ack.ok ? CLS.ok : CLS.error;
        r.msg.setAttribute("data-error", ack.ok ? "0" : "1");
        text(r.msg, ack.ok ? T.saved : fmt(T.failed, { message: ack.error && ack.error.message }));
        if (ack.ok && r.note) r.note.value = "";
        follow();
      });
    });

    function follow() { if (client.state) draw(client.state); }
    client.socket.on("snapshot", follow);
    client.socket.on("event", follow);
    follow();
  });
})();
