// meetcoord offline helpers (issue 16; data-* from templates/macros/offline.html): registers
// /sw.js and asks it to keep this page and its files; shows the age of what is on screen when
// it is a stored copy, offline or its live link dropped; queues an RSVP made offline
// (IndexedDB) for the worker to send when the link returns. window.MeetcoordOffline:
// fresh(ms), linked(on).
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me) return;
  var d = me.dataset;
  var live = d.live === "1";
  var copyAt = Date.parse(d.offlineSaved || ""); // filled in by the worker on a copy
  var isCopy = !isNaN(copyAt);
  var fresh = isCopy ? copyAt : Date.now();
  var loaded = Date.now();
  var linked = false; // a live page says when its link is up (linked(true))
  var bar = null;
  var sw = navigator.serviceWorker;

  function t(key, n) { return (d[key] || "").replace("{n}", n); }

  function ago(ms) {
    var m = Math.floor(Math.max(0, ms) / 60000);
    if (m < 1) return t("tNow");
    if (m < 60) return m === 1 ? t("tMin1") : t("tMin", m);
    var h = Math.floor(m / 60);
    if (h < 48) return h === 1 ? t("tHour1") : t("tHour", h);
    return t("tDay", Math.floor(h / 24));
  }

  function clock(ms) {
    try {
      return new Intl.DateTimeFormat(d.lang === "en" ? "en-GB" : "id-ID", {
        hour: "2-digit", minute: "2-digit", hour12: false, timeZone: d.zone
      }).format(new Date(ms)).replace(":", ".") + " " + d.zoneLabel;
    } catch (e) {
      return "";
    }
  }

  function draw() {
    if (linked) fresh = Date.now();
    // A copy until its live link is back; a live page gets ten seconds to connect.
    var show = !navigator.onLine || (!linked && (isCopy || (live && Date.now() - loaded > 10000)));
    if (!bar) {
      if (!show) return;
      bar = document.createElement("p");
      bar.className = "offline-age";
      bar.id = "offline-age";
      bar.setAttribute("role", "status");
      var main = document.querySelector("main") || document.body;
      main.insertBefore(bar, main.firstChild);
    }
    bar.hidden = !show;
    bar.textContent = show ? t("tAge").replace("{age}", ago(Date.now() - fresh)).replace("{time}", clock(fresh)) : "";
  }

  window.MeetcoordOffline = {
    fresh: function (ms) { if (!isNaN(ms) && ms) { fresh = ms; draw(); } },
    linked: function (on) { if (linked && !on) fresh = Date.now(); linked = !!on; draw(); }
  };
  window.addEventListener("offline", function () { window.MeetcoordOffline.linked(false); });
  window.addEventListener("online", function () { draw(); replay(); });
  setInterval(draw, 5000);
  draw();

  function replay() {
    if (sw && sw.controller) sw.controller.postMessage({ type: "replay" });
  }

  // Registered once the page has loaded: on a 400 kbps link the worker's script and the
  // copies it keeps must not compete with what makes the page usable.
  function whenLoaded(fn) {
    if (document.readyState === "complete") fn();
    else window.addEventListener("load", fn);
  }

  if (sw && d.sw) whenLoaded(function () {
    sw.register(d.sw, { scope: "/" }).then(function () { return sw.ready; }).then(function (reg) {
      var urls = [location.pathname];
      var prefix = d.static;
      var html = document.documentElement.outerHTML;
      var re = new RegExp('"(' + prefix.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&") + '[^"?#]+)', "g");
      var m;
      while ((m = re.exec(html))) urls.push(m[1].replace(/&amp;/g, "&"));
      (performance.getEntriesByType("resource") || []).forEach(function (e) {
        var u = new URL(e.name, location.href);
        if (u.origin === location.origin && u.pathname.indexOf(prefix) === 0) urls.push(u.pathname);
      });
      if (reg.active) reg.active.postMessage({ type: "keep", urls: urls });
      replay();
    }).catch(function () { /* no worker here: online only */ });
  });
  if (sw && d.sw) {
    sw.addEventListener("message", function (e) {
      var data = e.data || {};
      if (data.type !== "flushed") return;
      window.dispatchEvent(new CustomEvent("mc-flush"));
      if ((data.done || []).length) note(t("tSent"));
    });
  }

  function note(text) {
    var form = document.querySelector("form[data-offline-rsvp]");
    if (!form) return;
    var p = form.querySelector(".offline-note");
    if (!p) {
      p = document.createElement("p");
      p.className = "offline-note";
      p.setAttribute("role", "status");
      form.insertBefore(p, form.firstChild);
    }
    p.textContent = text;
  }

  function enqueue(item) {
    return new Promise(function (resolve, reject) {
      var open = indexedDB.open("meetcoord-offline", 1);
      open.onupgradeneeded = function () { open.result.createObjectStore("outbox", { keyPath: "key" }); };
      open.onerror = function () { reject(open.error); };
      open.onsuccess = function () {
        var tx = open.result.transaction("outbox", "readwrite");
        tx.objectStore("outbox").put(item);
        tx.oncomplete = resolve;
        tx.onerror = function () { reject(tx.error); };
      };
    });
  }

  document.addEventListener("submit", function (e) {
    var form = e.target;
    var url = form.getAttribute && form.getAttribute("data-offline-rsvp");
    if (!url || navigator.onLine || !sw || !sw.controller) return;
    var rsvp = form.elements.rsvp && form.elements.rsvp.value;
    if (!rsvp) return;
    e.preventDefault();
    var body = { rsvp: rsvp };
    // The API's one name for where: site_id, a site's id or null for online.
    var where = form.elements.attendance && form.elements.attendance.value;
    if (where) body.site_id = where === "online" ? null : parseInt(where, 10);
    // One entry per link: a later answer replaces the first.
    enqueue({ key: "rsvp:" + url, url: url, body: body, at: new Date().toISOString() }).then(function () {
      note(t("tQueued"));
      return sw.ready;
    }).then(function (reg) {
      if (reg.sync) return reg.sync.register("mc-outbox");
    }).catch(function () { note(t("tError")); });
  });
})();
