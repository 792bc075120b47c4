// meetcoord synchronisation matrix (issue 14), drawn from the room's state: snapshot
// `matrix`, then matrix.added / proposal.marked / proposal.confirmed applied in seq order by
// live-client.js (each carries its rows and the totals it changed). Mounts on #live-matrix,
// data-mode: console (filters, take by score, the mark form moved under the row being
// marked), phone (read-only; the agency's own rows with Confirm / Dispute + note), screen
// (totals per agency and village while the matrix item is current). Disputed rows are
// highlighted for everyone until re-marked or confirmed. Loaded only for such meetings.
(function () {
  "use strict";
  var L = window.MeetcoordLive;
  if (!L) return;
  var el = L.el, text = L.text, fmt = L.fmt, fill = L.fill;
  var KEYS = ["organization_id", "village_id", "field", "fund_source", "status"];
  var STATUSES = ["discussed", "accommodated", "carried", "merged", "not_accommodated", "disputed"];

  // An event's totals_changed folded in (planning/totals.py merge, tested there): totals
  // replaced, each agency/village sent replaced (dropped at count 0), re-sorted.
  function cmp(a, b) { return a < b ? -1 : a > b ? 1 : 0; }
  function merge(t, c) {
    var out = Object.assign({}, c);
    [["agencies", "organization_id"], ["villages", "village_id"]].forEach(function (l) {
      var id = l[1], sent = c[l[0]] || [], ids = sent.map(function (e) { return String(e[id]); });
      out[l[0]] = ((t || {})[l[0]] || []).filter(function (e) { return ids.indexOf(String(e[id])) < 0; })
        .concat(sent.filter(function (e) { return e.count > 0; })).sort(function (a, b) {
          return b.budget - a.budget || cmp(a.name, b.name) || cmp(String(a[id]), String(b[id]));
        });
    });
    return out;
  }

  // The room's state for these events: live-client.js applies them in seq order through
  // MeetcoordLive.apply (its table, exposed for page modules such as this one). Each
  // carries its row(s) and the totals it changed, so replaying them gives the snapshot.
  function apply(s, d) {
    var m = s.matrix = s.matrix || { rows: [], totals: null };
    (d.rows || [d.mark]).forEach(function (r) {
      for (var i = 0; i < m.rows.length; i++) if (m.rows[i].id === r.id) { m.rows[i] = r; return; }
      m.rows.push(r);
    });
    m.totals = merge(m.totals, d.totals_changed || {});
  }
  ["matrix.added", "proposal.marked", "proposal.confirmed"].forEach(function (t) { L.apply[t] = apply; });

  L.onReady(function () {
    var box = document.getElementById("live-matrix");
    var client = L.clients[0];
    if (!box || !client) return;
    var T = L.data(document.getElementById("live"), "strings") || {};
    var mode = box.getAttribute("data-mode");
    var agency = box.getAttribute("data-agency") || "";
    var body = box.querySelector("[data-m-rows]");
    var form = document.getElementById("matrix-form");
    var score = box.querySelector("[data-m-score]");
    var money = new Intl.NumberFormat(document.documentElement.lang === "en" ? "en-GB" : "id-ID");
    var rows = {}; // id → {key, node}
    var editing = null; // the row the form is open for
    var busy = {};

    function rp(n) { return n === null || n === undefined ? "—" : "Rp " + money.format(n); }
    function status(r) { return r.outcome || "discussed"; }
    function own(r) { return mode === "phone" && !!agency && String(r.organization_id) === agency; }
    function label(key, value) {
      if (key === "status") return value === "disputed" ? T.m_conf_disputed : T["m_outcome_" + value];
      if (key === "field") return T["m_field_" + value];
      if (key === "fund_source") return T["m_fund_" + value];
      return value;
    }
    var titles = { organization_id: T.m_agency, village_id: T.m_village, field: T.m_field, fund_source: T.m_fund, status: T.m_status };

    function filters() {
      var f = {};
      KEYS.forEach(function (k) {
        var s = box.querySelector('[data-m-filter="' + k + '"]');
        if (s && s.value) f[k] = s.value;
      });
      return f;
    }

    function passes(r, f) {
      return KEYS.every(function (k) {
        if (!f[k]) return true;
        if (k === "status") return f[k] === "disputed" ? r.confirmation === "disputed" : status(r) === f[k];
        return String(r[k]) === f[k];
      });
    }

    // The filters' options come from the rows (agencies, villages) or the labels.
    function options(all) {
      KEYS.forEach(function (k) {
        var s = box.querySelector('[data-m-filter="' + k + '"]');
        if (!s) return;
        text(box.querySelector('[data-m-label="' + k + '"]'), titles[k]);
        var seen = {}, list = [];
        if (k === "status") list = STATUSES.map(function (v) { return [v, label(k, v)]; });
        else all.forEach(function (r) {
          var v = r[k];
          if (v === null || v === undefined || seen[v]) return;
          seen[v] = 1;
          list.push([String(v), k === "organization_id" ? r.organization : k === "village_id" ? r.village : label(k, v)]);
        });
        var key = JSON.stringify(list);
        if (s.getAttribute("data-key") === key) return;
        s.setAttribute("data-key", key);
        var keep = s.value;
        fill(s, [el("option", { value: "", text: T.m_all })].concat(list.map(function (o) {
          return el("option", { value: o[0], text: o[1] });
        })));
        s.value = keep;
      });
    }

    function outcomeText(r) {
      if (r.outcome === "accommodated") {
        return [r.organization, r.programme || r.activity, r.plan_document || r.plan_year, rp(r.amount)].filter(Boolean).join(" · ");
      }
      if (r.outcome === "carried") return fmt(T.m_carried, { forum: T["m_forum_" + r.carried_to] || r.carried_to });
      if (r.outcome === "merged") return fmt(T.m_merged, { title: r.merged_with || "" });
      return r.reason || "";
    }

    function confText(r) {
      if (!r.outcome) return "";
      var s = T["m_conf_" + r.confirmation];
      return (r.confirmed_by ? fmt(T.m_by, { state: s, name: r.confirmed_by }) : s) + (r.confirmation_note ? " · " + r.confirmation_note : "");
    }

    function make(r, running) {
      var who = [r.village || T.m_no_village, r.proposer, label("field", r.field), label("fund_source", r.fund_source),
        r.score !== null ? fmt(T.m_score, { n: r.score }) : null].filter(Boolean).join(" · ");
      var state = el("span", { class: mode === "phone" ? "ph-state" : "badge", "data-status": status(r), text: T["m_outcome_" + status(r)] });
      var conf = el("span", { class: "matrix-conf", "data-conf": r.confirmation, text: confText(r) });
      var attrs = { "data-mark-id": r.id, "data-status": status(r), "data-conf": r.confirmation };
      if (mode === "console") {
        return el("tr", attrs, [
          el("td", {}, [el("strong", { text: r.title }), el("br"), el("small", { class: "muted", text: who })]),
          el("td", { text: rp(r.budget) }),
          el("td", {}, [state, " ", el("small", { text: outcomeText(r) })]),
          el("td", {}, [conf]),
          el("td", {}, [el("button", { type: "button", class: "button button-small button-quiet", "data-m-edit": r.id,
            disabled: !running, "aria-label": fmt(T.m_mark_label, { title: r.title }), text: T.m_mark })])
        ]);
      }
      var kids = [el("strong", { text: r.title }), " ", state, el("br"), el("small", { text: who }),
        el("br"), el("small", { text: outcomeText(r) }), " ", conf];
      if (own(r) && r.outcome && r.confirmation !== "confirmed") {
        kids.push(el("input", { type: "text", maxlength: 1000, "data-m-note": 1, placeholder: T.m_note, "aria-label": T.m_note }),
          el("button", { type: "button", class: "ph-button", "data-answer": "confirmed", disabled: !running || busy[r.id], text: T.m_confirm }),
          el("button", { type: "button", class: "ph-button ph-quiet", "data-answer": "disputed", disabled: !running || busy[r.id], text: T.m_dispute }));
      }
      kids.push(el("span", { class: "ph-mine", "data-m-msg": 1, role: "status" }));
      return el("li", attrs, kids);
    }

    function sums(node, list, idKey) {
      if (!node) return;
      var head = el("tr", {}, [titles[idKey === "organization_id" ? "organization_id" : "village_id"], T.m_count, T.m_budget, T.m_amount, T.m_share]
        .map(function (h) { return el("th", { scope: "col", text: h }); }));
      fill(node, [el("thead", {}, [head]), el("tbody", {}, list.map(function (s) {
        return el("tr", { "data-id": s[idKey] }, [el("th", { scope: "row", text: s.name || T.m_no_village }),
          el("td", { text: s.count + (s.accommodated ? " / " + s.accommodated : "") }), el("td", { text: rp(s.budget) }),
          el("td", { text: rp(s.amount) }), el("td", { text: s.share === null ? "—" : s.share + "%" })]);
      }))]);
    }

    function draw(state) {
      var m = state.matrix;
      var item = L.find(state.agenda, state.room.current_item_id);
      var current = !!item && item.kind === "sync_matrix";
      box.hidden = !m || (mode === "screen" && !current);
      if (!m) return;
      box.setAttribute("data-current", current ? "1" : "0");
      var running = state.room.state === "open" || state.room.state === "paused";
      var t = m.totals || {};
      text(box.querySelector("[data-m-summary]"), m.rows.length ? fmt(T.m_summary, { n: t.count, budget: rp(t.budget), k: t.accommodated,
        share: t.share === null || t.share === undefined ? "—" : t.share + "%" }) : T.m_empty);
      var disputed = box.querySelector("[data-m-disputed]");
      disputed.hidden = !t.disputed;
      text(disputed, fmt(T.m_disputed_n, { n: t.disputed }));
      text(box.querySelector("[data-m-locked]"), T.m_locked).hidden = !m.locked;
      sums(box.querySelector('[data-m-sums="agencies"]'), t.agencies || [], "organization_id");
      sums(box.querySelector('[data-m-sums="villages"]'), t.villages || [], "village_id");
      if (!body) return;
      options(m.rows);
      var f = filters();
      var shown = m.rows.filter(function (r) { return passes(r, f); });
      if (score && score.checked) {
        shown.sort(function (a, b) {
          return (a.score === null) - (b.score === null) || (b.score || 0) - (a.score || 0) || a.id - b.id;
        });
      }
      text(box.querySelector("[data-m-shown]"), shown.length ? fmt(T.m_shown, { n: shown.length, total: m.rows.length }) : T.m_none);
      var kept = {};
      shown.forEach(function (r, i) {
        var key = JSON.stringify([r, running, !!busy[r.id]]);
        var old = rows[r.id];
        var node = old && old.key === key ? old.node : make(r, running);
        if (old && old.node !== node && old.node.parentNode) {
          var note = old.node.querySelector("[data-m-note]");
          var fresh = node.querySelector("[data-m-note]");
          if (note && fresh) fresh.value = note.value; // a note being typed survives
          old.node.parentNode.replaceChild(node, old.node);
        }
        kept[r.id] = { key: key, node: node };
        if (body.children[i] !== node) body.insertBefore(node, body.children[i] || null);
      });
      Object.keys(rows).forEach(function (id) {
        if (!kept[id] && rows[id].node.parentNode) rows[id].node.parentNode.removeChild(rows[id].node);
      });
      rows = kept;
      if (form && editing !== null && rows[editing]) {
        var holder = form.parentNode;
        if (!holder || holder.tagName !== "TD") {
          holder = el("td", { colspan: 5 });
          holder.appendChild(form);
        }
        var tr = holder.parentNode || el("tr", { class: "matrix-form-row" }, [holder]);
        rows[editing].node.parentNode.insertBefore(tr, rows[editing].node.nextSibling);
      }
    }

    function follow() { if (client.state) draw(client.state); }

    // --- the console's mark form ---------------------------------------------------------
    function show() {
      var outcome = form.elements.outcome.value;
      Array.prototype.forEach.call(form.querySelectorAll("[data-for]"), function (f) {
        f.hidden = f.getAttribute("data-for") !== outcome;
      });
    }

    function open(id) {
      var r = L.find(client.state.matrix.rows, id);
      if (!r) return;
      editing = id;
      form.hidden = false;
      text(form.querySelector("[data-m-form-title]"), fmt(T.m_mark_label, { title: r.title }));
      var merged = form.elements.merged_with_id;
      fill(merged, [el("option", { value: "", text: "—" })].concat(client.state.matrix.rows.filter(function (o) {
        return o.id !== r.id;
      }).map(function (o) { return el("option", { value: o.proposal_id, text: o.title + " · " + (o.village || "") }); })));
      var e = form.elements;
      e.outcome.value = r.outcome || "accommodated";
      e.organization_id.value = r.organization_id || "";
      e.programme.value = r.programme || "";
      e.activity.value = r.activity || "";
      e.plan_document.value = r.plan_document || "";
      e.plan_year.value = r.plan_year || r.proposal_year || "";
      e.amount.value = r.amount !== null && r.amount !== undefined ? r.amount : (r.budget || "");
      e.carried_to.value = r.carried_to || "";
      merged.value = r.merged_with_id || "";
      e.reason.value = r.reason || "";
      form.setAttribute("data-version", r.version);
      text(form.querySelector("[data-m-note]"), "");
      show();
      follow();
      e.outcome.focus();
    }

    function close() {
      editing = null;
      form.hidden = true;
      var tr = form.closest("tr");
      box.appendChild(form);
      if (tr) tr.parentNode.removeChild(tr);
    }

    if (form) {
      form.elements.outcome.addEventListener("change", show);
      form.querySelector("[data-m-cancel]").addEventListener("click", close);
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var cmd = { mark_id: editing, version: Number(form.getAttribute("data-version")) };
        ["outcome", "organization_id", "programme", "activity", "plan_document", "plan_year", "amount",
          "carried_to", "merged_with_id", "reason"].forEach(function (k) { cmd[k] = form.elements[k].value; });
        var note = form.querySelector("[data-m-note]");
        text(note, "");
        client.send("proposal.mark", cmd).then(function (ack) {
          note.setAttribute("data-error", ack.ok ? "0" : "1");
          text(note, ack.ok ? T.m_saved : fmt(T.m_failed, { message: ack.error && ack.error.message }));
          if (ack.ok) close();
        });
      });
    }

    box.addEventListener("change", function (ev) {
      if (ev.target.matches("[data-m-filter], [data-m-score]")) follow();
    });
    box.addEventListener("click", function (ev) {
      if (ev.target.closest("[data-m-next]") && form) {
        // The chair takes proposals in order of score: the best one not marked yet.
        var next = client.state.matrix.rows.filter(function (r) { return !r.outcome; }).sort(function (a, b) {
          return (a.score === null) - (b.score === null) || (b.score || 0) - (a.score || 0) || a.id - b.id;
        })[0];
        if (next) open(next.id);
        return;
      }
      var edit = ev.target.closest("[data-m-edit]");
      if (edit && form) return open(Number(edit.getAttribute("data-m-edit")));
      var b = ev.target.closest("button[data-answer]");
      if (!b) return;
      var li = b.closest("[data-mark-id]");
      var id = Number(li.getAttribute("data-mark-id"));
      var r = L.find(client.state.matrix.rows, id);
      var noteInput = li.querySelector("[data-m-note]");
      busy[id] = true;
      follow();
      client.send("proposal.confirm", { mark_id: id, version: r && r.version, answer: b.getAttribute("data-answer"),
        note: noteInput ? noteInput.value : "" }).then(function (ack) {
        busy[id] = false;
        follow();
        var msg = rows[id] && rows[id].node.querySelector("[data-m-msg]");
        if (msg) {
          msg.setAttribute("data-error", ack.ok ? "0" : "1");
          text(msg, ack.ok ? T.m_saved : fmt(T.m_failed, { message: ack.error && ack.error.message }));
        }
      });
    });

    client.socket.on("snapshot", follow);
    client.socket.on("event", follow);
    follow();
  });
})();
