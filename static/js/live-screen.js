// meetcoord projector (templates/live/projector.html): the current item, who speaks and
// their time, the decisions so far and attendance per site, in big type. Read-only.
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
    var locale = root.getAttribute("data-locale");

    function siteName(id) {
      var s = id === null || id === undefined ? null : find(sites, id);
      return s ? s.name : T.online;
    }

    function draw(state) {
      var st = state.room.state;
      var badge = text("live-state", T["state_" + st]);
      badge.setAttribute("data-state", st);

      var item = state.room.current_item_id ? find(state.agenda, state.room.current_item_id) : null;
      var index = item ? state.agenda.indexOf(item) : -1;
      text("screen-item", item ? item.title : T.no_item);
      text("screen-progress", item ? "· " + (index + 1) + "/" + state.agenda.length : "");
      L.setTimer(document.getElementById("screen-item-timer"), item ? state.room.item_timer : null);

      // The action review: counts by status while its item is the current one.
      var review = state.review || [];
      var reviewing = !!item && item.kind === "action_review" && review.length > 0;
      document.getElementById("screen-review").hidden = !reviewing;
      if (reviewing) {
        fill("screen-review-counts", ["open", "in_progress", "done", "verified", "dropped"].map(function (s) {
          var n = review.filter(function (a) { return a.status === s; }).length;
          return n ? el("li", { "data-status": s }, [el("span", { text: T["status_" + s] }), el("strong", { text: n })]) : null;
        }));
      }

      var speaking = state.speakers.filter(function (s) { return s.status === "speaking"; })[0];
      text("screen-speaker", speaking ? speaking.name : T.nobody_speaking);
      text("screen-speaker-site", speaking ? (speaking.site || T.online) + (speaking.organization ? " · " + speaking.organization : "") : "");
      L.setTimer(document.getElementById("screen-speaker-timer"), speaking ? speaking.timer : null);

      var decisions = state.decisions.slice().reverse(); // newest first: the room reads the top
      fill("screen-decisions", decisions.length ? decisions.map(function (d) {
        var votes = d.kind === "vote" && d.tallies.length ? el("p", { class: "screen-votes" }, [
          T["for"] + " " + d.totals["for"] + " · " + T.against + " " + d.totals.against + " · " + T.abstain + " " + d.totals.abstain,
          el("span", { class: "screen-votes-sites", text: d.tallies.map(function (t) {
            return siteName(t.site_id) + ": " + t["for"] + "/" + t.against + "/" + t.abstain;
          }).join(" · ") })
        ]) : null;
        if (d.withdrawn) {  // struck through, with who withdrew it and why
          return el("li", { class: "screen-decision", "data-id": d.id, "data-withdrawn": "1", value: d.number }, [
            el("p", { class: "screen-decision-text", text: d.text }),
            el("p", { class: "screen-decision-kind" }, [el("span", { class: "badge", text: T.withdrawn }),
              " " + fmt(T.withdrawn_by, { name: d.withdrawn.by }) + ": " + d.withdrawn.reason])
          ]);
        }
        return el("li", { class: "screen-decision", "data-id": d.id, value: d.number }, [
          el("p", { class: "screen-decision-text", text: d.text }),
          el("p", { class: "screen-decision-kind" }, [el("span", { class: "badge", text: T["kind_" + d.kind] }),
            d.version > 1 ? " " + fmt(T.version, { n: d.version }) : null]),
          votes
        ]);
      }) : [el("li", { class: "screen-empty", text: T.no_decisions })]);
      L.tickTimers(client, root);
    }

    // Attendance: the counts /live sends the staff room (this screen is staff or the site's
    // coordinator), one socket for everything; "—" per site until the first.
    function drawCounts(c) {
      fill("screen-sites", (c.sites || []).map(function (s) {
        return el("li", {}, [el("span", { text: s.name }), el("strong", { text: s.present + " / " + s.invited })]);
      }));
      var q = document.getElementById("screen-quorum");
      if (c.quorum) {
        q.hidden = false;
        var line = L.quorum(c, T);
        q.setAttribute("data-met", line.state);
        q.textContent = line.text;
      }
    }

    var conn = document.getElementById("live-conn");
    var client = L.connect({
      namespace: root.getAttribute("data-namespace"),
      auth: L.data(root, "auth"),
      key: root.getAttribute("data-key"),
      onChange: function (state) { draw(state); },
      onStatus: function (on) {
        conn.textContent = on ? T.connected : T.disconnected;
        conn.setAttribute("data-on", on ? "1" : "0");
      },
      onCounts: drawCounts
    });

    var zone = root.getAttribute("data-zone");
    var clock = document.getElementById("screen-time");
    function tick() {
      L.tickTimers(client, root);
      clock.textContent = L.timeIn(new Date(client.now()).toISOString(), zone, "", locale).slice(0, 5);
    }
    tick();
    window.setInterval(tick, 1000);
  });
})();
