// meetcoord staff attendance page (templates/checkin/attendance.html): follow the counts
// and the quorum over Socket.IO (namespace /checkin, coalesced: at most two a second), and
// the lists of who is present (fetched again when a count changes).
// Without this file the page shows the counts of its last load. Loaded with "defer": the
// page is parsed when it runs.
(function () {
  "use strict";

  var root = document.getElementById("presence");
  if (root && typeof window.io === "function") follow(root);

  function follow(root) {
    var labels = JSON.parse(root.getAttribute("data-quorum-labels") || "{}");
    var template = root.getAttribute("data-quorum-detail") || "";

    function detail(q) {
      if (!q || !q.kind) return "";
      return template.replace("{rule}", q.rule_text).replace("{required}", q.required)
        .replace("{present}", q.present).replace("{base}", q.base);
    }

    function show(c) {
      var total = root.querySelector("[data-count=total]");
      // A live region (aria-live): written only when the count changes, or it is read again.
      if (total && total.textContent !== String(c.total)) total.textContent = String(c.total);
      var line = document.getElementById("attendance-quorum");
      if (line && c.quorum) {
        line.setAttribute("data-state", c.quorum.state);
        line.className = "quorum quorum-" + c.quorum.state;
        line.querySelector("[data-quorum-text]").textContent = labels[c.quorum.state] || "";
        line.querySelector("[data-quorum-detail]").textContent = detail(c.quorum);
      }
      (c.sites || []).forEach(function (s) {
        var key = s.site_id === null ? "online" : String(s.site_id);
        var row = root.querySelector('tr[data-site="' + key + '"]');
        if (!row) return;
        row.querySelector(".present").textContent = String(s.present);
        var cell = row.querySelector(".site-quorum");
        if (cell && s.quorum) {
          cell.setAttribute("data-state", s.quorum.state);
          cell.textContent = s.quorum.kind ? labels[s.quorum.state] + " · " + detail(s.quorum) : "—";
        }
      });
    }

    var socket = window.io(root.getAttribute("data-namespace"), {
      auth: { meeting: root.getAttribute("data-meeting") },
      transports: ["websocket", "polling"]
    });
    socket.on("counts", function (c) {
      show(c);
      listsFollow(c);
    });
  }

  // The lists (who came, when, how) follow the counts: when a count changes, this page is
  // fetched again (at most once per data-refresh-ms) and its lists block swapped in, unless
  // the secretariat is working inside it (the focus is there): then on the next change.
  var lastSeen = null;
  var due = null;
  var lastFetch = 0;

  function signature(c) {
    return [c.total].concat((c.sites || []).map(function (s) { return s.present; })).join(",");
  }

  function listsFollow(c) {
    var block = document.getElementById("attendance-lists");
    if (!block || typeof window.fetch !== "function") return;
    var sig = signature(c);
    if (lastSeen === null) { lastSeen = sig; return; } // the page was rendered with these
    if (sig === lastSeen || due) return;
    var every = Number(block.getAttribute("data-refresh-ms")) || 2000;
    due = window.setTimeout(function () { refresh(block, sig); }, Math.max(0, lastFetch + every - Date.now()));
  }

  function refresh(block, sig) {
    due = null;
    if (block.contains(document.activeElement)) return; // working there: not now
    lastFetch = Date.now();
    window.fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html || block.contains(document.activeElement)) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("attendance-lists");
        if (!fresh) return;
        block.innerHTML = fresh.innerHTML;
        lastSeen = sig;
      })
      .catch(function () { /* offline: the next change tries again */ });
  }
})();
