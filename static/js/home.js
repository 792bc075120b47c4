// meetcoord home: keep the dashboard's counts current without a reload.
// Polls the API twin (data-url) every data-poll-ms with If-None-Match; a 304 changes
// nothing. Paused while the tab is hidden, resumed (at once) when it shows again.
(function () {
  "use strict";

  function start(root) {
    var url = root.getAttribute("data-url");
    var every = parseInt(root.getAttribute("data-poll-ms"), 10) || 15000;
    var etag = null;
    var timer = null;
    var busy = false;

    function show(figures) {
      Object.keys(figures).forEach(function (key) {
        var value = figures[key];
        root.querySelectorAll('[data-count="' + key + '"]').forEach(function (el) {
          var text = value === null ? "" : String(value);
          if (el.textContent !== text) el.textContent = text;
        });
      });
      var hint = root.querySelector('[data-empty="actions"]');
      if (hint) hint.hidden = Boolean(figures.actions_overdue || figures.actions_done || figures.actions_open);
    }

    function poll() {
      if (busy || document.hidden) return;
      busy = true;
      var headers = { Accept: "application/json" };
      if (etag) headers["If-None-Match"] = etag;
      fetch(url, { headers: headers, credentials: "same-origin", cache: "no-cache" })
        .then(function (response) {
          if (response.status === 304) return null;
          if (!response.ok) throw new Error("HTTP " + response.status);
          etag = response.headers.get("ETag");
          return response.json();
        })
        .then(function (data) {
          if (data) show(data);
          root.setAttribute("data-polled", String(Date.now()));
        })
        .catch(function () { /* offline or signed out: try again on the next tick */ })
        .then(function () { busy = false; });
    }

    function schedule() {
      if (timer === null) timer = window.setInterval(poll, every);
    }

    function pause() {
      if (timer !== null) window.clearInterval(timer);
      timer = null;
    }

    document.addEventListener("visibilitychange", function () {
      if (document.hidden) pause();
      else { poll(); schedule(); }
    });
    if (!document.hidden) schedule();
  }

  function ready() {
    var root = document.getElementById("home");
    if (root && window.fetch) start(root);
  }

  if (document.readyState !== "loading") ready();
  else document.addEventListener("DOMContentLoaded", ready);
})();
