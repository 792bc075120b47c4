// meetcoord kiosk (templates/checkin/kiosk.html): rotate the QR, tick the clock, follow
// the attendance counts over Socket.IO (namespace /checkin). No framework; the page is
// usable without this file until the first code expires.
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  onReady(function () {
    var root = document.getElementById("kiosk");
    if (!root) return;
    var qr = document.getElementById("kiosk-qr");
    var scan = document.getElementById("kiosk-scan");
    var closed = document.getElementById("kiosk-closed");
    var typed = document.getElementById("kiosk-typed");
    var bar = document.getElementById("kiosk-countdown");
    var clock = document.getElementById("kiosk-time");
    var live = document.getElementById("kiosk-live");
    var siteId = root.getAttribute("data-site-id");
    var deadline = Date.now() + parseFloat(root.getAttribute("data-expires-in") || "20") * 1000;
    var fetching = false;

    // --- the rotating code: fetch the next one when this one runs out -------------------
    function refresh() {
      if (fetching) return;
      fetching = true;
      fetch(root.getAttribute("data-code-url"), { credentials: "same-origin", cache: "no-store" })
        .then(function (r) {
          if (!r.ok) throw new Error("HTTP " + r.status);
          return r.json();
        })
        .then(function (data) {
          // Outside the check-in window: no code, the time it opens instead; ask again later.
          closed.textContent = data.open ? "" : data.message;
          closed.hidden = !!data.open;
          scan.hidden = !data.open;
          if (data.open) {
            qr.src = data.qr;
            qr.setAttribute("data-url", data.url);
            typed.textContent = data.typed_code;
          }
          deadline = Date.now() + data.expires_in * 1000;
          if (window.MeetcoordOffline) window.MeetcoordOffline.linked(true);
        })
        .catch(function () {
          if (window.MeetcoordOffline) window.MeetcoordOffline.linked(false); // its age shows
          deadline = Date.now() + 3000; // try again shortly; the old code stays valid 20 s more
        })
        .then(function () { fetching = false; });
    }

    var timeFormat;
    try {
      timeFormat = new Intl.DateTimeFormat(root.getAttribute("data-locale") === "en" ? "en-GB" : "id-ID", {
        hour: "2-digit", minute: "2-digit", timeZone: root.getAttribute("data-zone"), hour12: false
      });
    } catch (e) {
      timeFormat = null;
    }

    function tick() {
      var left = (deadline - Date.now()) / 1000;
      if (bar) bar.value = Math.max(0, left);
      if (left <= 0) refresh();
      if (timeFormat && clock) clock.textContent = timeFormat.format(new Date()).replace(":", ".");
    }
    tick();
    window.setInterval(tick, 500);

    // --- live counts ------------------------------------------------------------------
    function setText(id, value) {
      var el = document.getElementById(id);
      if (el && el.textContent !== String(value)) el.textContent = String(value); // live regions: no repeat
    }

    function showCounts(data) {
      setText("kiosk-total", data.total);
      (data.sites || []).forEach(function (s) {
        var key = s.site_id === null ? "online" : String(s.site_id);
        if (key === siteId) {
          setText("kiosk-here", s.present);
          setText("kiosk-here-invited", s.invited);
        }
        var row = document.querySelector('#kiosk-sites li[data-site-id="' + key + '"] strong');
        if (row) row.textContent = String(s.present);
      });
      var quorum = document.getElementById("kiosk-quorum");
      if (quorum && data.quorum) {
        quorum.hidden = !data.quorum.rule; // no rule: no "quorum met" for nobody
        quorum.setAttribute("data-met", data.quorum.met ? "1" : "0");
        setText("kiosk-quorum-text", quorum.getAttribute(data.quorum.met ? "data-label-met" : "data-label-not"));
      }
    }

    function setLive(on) {
      if (!live) return;
      live.textContent = live.getAttribute(on ? "data-label-on" : "data-label-off");
      live.setAttribute("data-on", on ? "1" : "0");
    }

    if (typeof window.io !== "function") return;
    var socket = window.io(root.getAttribute("data-namespace"), {
      auth: { site: root.getAttribute("data-site") },
      transports: ["websocket", "polling"]
    });
    socket.on("connect", function () { setLive(true); });
    socket.on("disconnect", function () { setLive(false); });
    socket.on("connect_error", function () { setLive(false); });
    socket.on("counts", showCounts);
  });
})();
