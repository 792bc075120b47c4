// meetcoord live client (DESIGN §5), shared by the console, the projector and the phone.
// Connects to /live, keeps the room's state from the snapshot plus events applied strictly
// in seq order, survives reloads (sessionStorage) and reconnects (auth sends last_seq),
// and sends commands with a nonce, retried with the same nonce until acknowledged.
// Exposes window.MeetcoordLive (see the end).
(function () {
  "use strict";

  var HELLO_MS = 20000; // heartbeat: the site's link is alive
  var GAP_MS = 2000; // a hole in the seqs this old asks the server again
  var ACK_MS = 8000; // no answer by then: send the same command (same nonce) again
  var clients = []; // every connection of this page (the browser tests look in)

  function nonce() {
    var c = window.crypto;
    if (c && typeof c.randomUUID === "function") return c.randomUUID();
    var bytes = new Uint8Array(16);
    if (c && c.getRandomValues) c.getRandomValues(bytes);
    else for (var i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
    return Array.prototype.map.call(bytes, function (b) {
      return (b + 256).toString(16).slice(1);
    }).join("");
  }

  // --- the room as data: one function per event type ---

  function upsert(list, item, key) {
    key = key || "id";
    for (var i = 0; i < list.length; i++) {
      if (list[i][key] === item[key]) { list[i] = item; return; }
    }
    list.push(item);
  }

  function find(list, id, key) {
    key = key || "id";
    for (var i = 0; i < list.length; i++) if (list[i][key] === id) return list[i];
    return null;
  }

  function room(s, d, env) {
    s.room = d.room;
    if (env.type === "meeting.closed") s.meeting.status = "closed";
    else if (env.type === "meeting.opened") s.meeting.status = "live";
  }

  function decision(s, d, env) {
    var next = d.decision;
    var old = find(s.decisions, next.id);
    next.history = (old && old.history) || [];
    if (env.type === "decision.amended" && old && old.version < next.version) {
      next.history = next.history.concat([{
        version: old.version, text: old.text, kind: old.kind,
        replaced_at: env.at, replaced_by: env.actor
      }]);
    }
    upsert(s.decisions, next);
    s.decisions.sort(function (a, b) { return a.number - b.number; });
  }

  function action(s, d) { upsert(s.actions, d.action); }

  function speaker(s, d) {
    var sp = d.speaker;
    s.speakers = s.speakers.filter(function (x) { return x.id !== sp.id; });
    if (sp.status === "waiting" || sp.status === "speaking") s.speakers.push(sp);
  }

  var APPLY = {
    "meeting.opened": room,
    "meeting.paused": room,
    "meeting.resumed": room,
    "meeting.closed": room,
    "item.activated": function (s, d) {
      s.room.current_item_id = d.item_id;
      s.room.item_timer = d.timer;
    },
    "agenda.changed": function (s, d) { s.agenda = d.agenda; },
    "decision.recorded": decision,
    "decision.amended": decision,
    "decision.tallied": decision,
    "decision.withdrawn": decision,
    "notes.saved": function (s, d) { upsert(s.notes, d.note, "item_id"); },
    "action.created": action,
    "action.updated": action,
    "action.withdrawn": action,
    "action.reviewed": function (s, d) { upsert(s.review = s.review || [], d.action); },
    "speaker.requested": speaker,
    "speaker.withdrawn": speaker,
    "speaker.floor": speaker,
    "speaker.done": speaker
  };

  function fromSnapshot(snap) {
    var state = JSON.parse(JSON.stringify(snap));
    (state.revisions || []).forEach(function (r) {
      var d = find(state.decisions, r.decision_id);
      if (d) (d.history = d.history || []).push(r);
    });
    state.decisions.forEach(function (d) { d.history = d.history || []; });
    delete state.revisions;
    return state;
  }

  // --- the connection ---

  // The phone view keeps its state in localStorage (options.keep), so that a restarted
  // browser offline still shows the last state and its age ("at": the last time it was
  // known current); the other pages keep it for the tab only.
  function storage(options) {
    return options.keep ? window.localStorage : window.sessionStorage;
  }

  function load(key, store) {
    try {
      var saved = JSON.parse(store.getItem(key) || "null");
      return saved && saved.state && typeof saved.seq === "number" ? saved : null;
    } catch (e) {
      return null;
    }
  }

  // Over welcome.max_bytes the server closes the socket, and a retry would loop.
  function tooBig(client, body) {
    var limit = client.welcome && client.welcome.max_bytes;
    if (!limit) return false;
    var json = JSON.stringify(body);
    return json.length * 3 > limit - 1024 && new Blob([json]).size > limit - 1024;
  }

  /* options: namespace, auth {meeting, token?, site?}, key (sessionStorage, or localStorage
     with keep: true), tooLarge (the
     message for a command too large to send), and callbacks
     onChange(state, env|null), onStatus(connected), onWelcome(w), onPresence(p),
     onCounts(c): attendance and quorum, sent to the staff room only (no seq: ephemeral). */
  function connect(options) {
    var saved = load(options.key, storage(options));
    var client = {
      savedAt: saved && saved.at ? saved.at : null,
      state: saved ? saved.state : null,
      seq: saved ? saved.seq : 0,
      offset: saved && typeof saved.offset === "number" ? saved.offset : null,
      welcome: null,
      counts: null,
      connected: false
    };
    // The page may carry the room's snapshot as the server rendered it (options.initial):
    // drawn at once, before the socket connects (on a 400 ms link that is the socket's
    // round trips sooner); the socket then sends only what came after its seq. Commands
    // made before the socket is up wait in `pending`.
    var initial = options.initial;
    if (initial && typeof initial.seq === "number" && (!saved || saved.seq < initial.seq)) {
      client.state = fromSnapshot(initial);
      client.seq = initial.seq;
    }
    var buffer = {};
    var gapTimer = null;
    var pending = [];

    function save() {
      try {
        client.savedAt = Date.now();
        storage(options).setItem(options.key, JSON.stringify({
          seq: client.seq, state: client.state, offset: client.offset, at: client.savedAt
        }));
      } catch (e) { /* storage full or disabled: the page still works, reload asks again */ }
    }

    function changed(env) {
      save();
      if (options.onChange) options.onChange(client.state, env || null);
    }

    // The server's clock is at least the latest stamp seen (replayed old events only lower
    // the estimate, so keep the largest).
    function clock(iso) {
      var t = Date.parse(iso);
      if (isNaN(t)) return;
      var candidate = t - Date.now();
      if (client.offset === null || candidate > client.offset) client.offset = candidate;
    }

    client.now = function () { return Date.now() + (client.offset || 0); };

    var socket = window.io(options.namespace, {
      // A function, so each reconnect sends the seq this page holds at that moment.
      auth: function (cb) {
        var auth = {};
        for (var k in options.auth) auth[k] = options.auth[k];
        if (client.state) auth.last_seq = client.seq;
        cb(auth);
      },
      transports: ["websocket", "polling"]
    });
    client.socket = socket;

    function status(on) {
      client.connected = on;
      if (options.onStatus) options.onStatus(on);
    }

    function resync() {
      socket.emit("resync", { last_seq: client.state ? client.seq : null });
    }

    function armGap() {
      if (gapTimer) return;
      gapTimer = window.setTimeout(function () {
        gapTimer = null;
        if (Object.keys(buffer).length) {
          resync();
          armGap(); // keep asking while the hole stays
        }
      }, GAP_MS);
    }

    function drain() {
      var applied = null;
      while (buffer[client.seq + 1]) {
        var env = buffer[client.seq + 1];
        delete buffer[client.seq + 1];
        try {
          var fn = APPLY[env.type];
          if (fn) fn(client.state, env.data, env);
        } catch (e) {
          // A state this page cannot follow: start again from a snapshot.
          client.state = null;
          buffer = {};
          resync();
          return;
        }
        client.seq = env.seq;
        applied = env;
      }
      Object.keys(buffer).forEach(function (s) {
        if (Number(s) <= client.seq) delete buffer[s];
      });
      if (!Object.keys(buffer).length && gapTimer) {
        window.clearTimeout(gapTimer);
        gapTimer = null;
      } else if (Object.keys(buffer).length) {
        armGap();
      }
      if (applied) changed(applied);
    }

    socket.on("snapshot", function (snap) {
      if (snap.server_time) clock(snap.server_time);
      client.state = fromSnapshot(snap);
      client.seq = snap.seq;
      drain();
      changed(null);
    });

    socket.on("event", function (env) {
      clock(env.at);
      if (client.state && env.seq <= client.seq) return; // already have it
      buffer[env.seq] = env;
      if (client.state) drain();
      else armGap();
    });

    socket.on("welcome", function (w) {
      client.welcome = w;
      if (options.onWelcome) options.onWelcome(w);
    });
    socket.on("presence", function (p) { if (options.onPresence) options.onPresence(p); });
    socket.on("counts", function (c) {
      if (!c || String(c.meeting) !== String(options.auth.meeting)) return;
      client.counts = c;
      if (options.onCounts) options.onCounts(c);
    });

    socket.on("connect", function () {
      status(true);
      pending.slice().forEach(transmit);
    });
    socket.on("disconnect", function () { status(false); });
    socket.on("connect_error", function () { status(false); });

    window.setInterval(function () {
      if (!socket.connected) return;
      socket.emit("hello", {});
      if (options.keep && client.state) save(); // still current: its age restarts
    }, HELLO_MS);

    // --- commands: one nonce per command, the same nonce on every retry ---

    // Commands that must outlive the tab (options.outbox: a localStorage key; options.lasting:
    // their names, e.g. a question asked with no network) are kept there until the server
    // has answered, and sent again on the next load with the same nonce: the server answers
    // a repeated nonce with its first answer (live/log.py), so nothing is recorded twice.
    function lasting(name) {
      return !!options.outbox && (options.lasting || []).indexOf(name) >= 0;
    }

    function outbox(list) {
      try {
        if (list === undefined) return JSON.parse(window.localStorage.getItem(options.outbox) || "[]");
        window.localStorage.setItem(options.outbox, JSON.stringify(list));
      } catch (e) { /* storage off or full: the command still waits in memory */ }
      return [];
    }

    function finish(cmd, ack) {
      if (cmd.done) return;
      cmd.done = true;
      pending = pending.filter(function (c) { return c !== cmd; });
      if (lasting(cmd.name)) {
        outbox(outbox().filter(function (c) { return c.data.nonce !== cmd.data.nonce; }));
      }
      cmd.resolve(ack);
    }

    function transmit(cmd) {
      if (cmd.done || !socket.connected) return; // sent again on the next connect
      var attempt = ++cmd.attempts;
      socket.timeout(ACK_MS).emit(cmd.name, cmd.data, function (err, ack) {
        if (cmd.done || attempt !== cmd.attempts) return;
        if (err || !ack) { transmit(cmd); return; } // timed out or disconnected
        if (!ack.ok && ack.error && ack.error.code === "not_connected") {
          window.setTimeout(function () { transmit(cmd); }, 1000);
          return;
        }
        finish(cmd, ack);
      });
    }

    client.send = function (name, data) {
      return new Promise(function (resolve) {
        var body = {};
        for (var k in data || {}) body[k] = data[k];
        body.nonce = nonce();
        if (tooBig(client, body)) {
          resolve({ ok: false, error: { code: "too_large", message: options.tooLarge || "", fields: {} } });
          return;
        }
        var cmd = { name: name, data: body, resolve: resolve, done: false, attempts: 0 };
        if (lasting(name)) outbox(outbox().concat([{ name: name, data: body }]));
        pending.push(cmd);
        transmit(cmd);
      });
    };

    // What an earlier load left unanswered goes out again (options.onReplayed: its answer).
    if (options.outbox) {
      outbox().forEach(function (kept) {
        if (!kept || !kept.data || !lasting(kept.name)) return;
        var cmd = { name: kept.name, data: kept.data, done: false, attempts: 0,
          resolve: options.onReplayed || function () {} };
        pending.push(cmd);
        transmit(cmd);
      });
    }
    client.queued = function () { return options.outbox ? outbox().length : 0; };

    if (client.state) window.setTimeout(function () { changed(null); }, 0);
    clients.push(client);
    return client;
  }

  // --- small helpers the pages share ---

  // el("li", {class: "x", "data-id": 3}, [child, "text"]): no innerHTML anywhere.
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    for (var k in attrs || {}) {
      if (attrs[k] === null || attrs[k] === undefined || attrs[k] === false) continue;
      if (k === "text") node.textContent = attrs[k];
      else node.setAttribute(k, attrs[k] === true ? "" : attrs[k]);
    }
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      node.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
    });
    return node;
  }

  function text(id, value) {
    var node = typeof id === "string" ? document.getElementById(id) : id;
    var next = value === null || value === undefined ? "" : String(value);
    // Unchanged text is left alone: a live region (aria-live) would announce it again
    // on every state event.
    if (node && node.textContent !== next) node.textContent = next;
    return node;
  }

  function fill(id, nodes) {
    var node = typeof id === "string" ? document.getElementById(id) : id;
    if (!node) return null;
    while (node.firstChild) node.removeChild(node.firstChild);
    nodes.forEach(function (n) { if (n) node.appendChild(n); });
    return node;
  }

  // fmt("Mata acara %(n)s dari %(total)s", {n: 2, total: 5})
  function fmt(template, values) {
    return String(template).replace(/%\((\w+)\)s/g, function (m, k) {
      return values && values[k] !== undefined ? values[k] : m;
    });
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function clockText(seconds) {
    seconds = Math.abs(Math.round(seconds));
    var h = Math.floor(seconds / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    return (h ? h + ":" + pad(m) : String(m)) + ":" + pad(seconds % 60);
  }

  // A timer element carries data-started-at and data-duration; this writes what is left
  // (or, past the end, "+m:ss" with data-over="1").
  function setTimer(node, timer) {
    if (!node) return;
    if (!timer || !timer.started_at) {
      node.removeAttribute("data-started-at");
      node.textContent = "";
      node.hidden = true;
      return;
    }
    node.hidden = false;
    node.setAttribute("data-started-at", timer.started_at);
    node.setAttribute("data-duration", timer.duration === null ? "" : String(timer.duration));
  }

  function tickTimers(client, root) {
    var now = client.now();
    var nodes = (root || document).querySelectorAll("[data-started-at]");
    Array.prototype.forEach.call(nodes, function (node) {
      var elapsed = (now - Date.parse(node.getAttribute("data-started-at"))) / 1000;
      var duration = node.getAttribute("data-duration");
      if (duration === "") {
        node.textContent = clockText(Math.max(0, elapsed));
        return;
      }
      var left = Number(duration) - elapsed;
      node.textContent = (left < 0 ? "+" : "") + clockText(left);
      node.setAttribute("data-over", left < 0 ? "1" : "0");
    });
  }

  // "14.05 WITA": a moment shown in a site's zone with the zone's label.
  function timeIn(iso, zone, label, locale) {
    if (!iso) return "";
    try {
      var t = new Intl.DateTimeFormat(locale === "en" ? "en-GB" : "id-ID", {
        hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false, timeZone: zone
      }).format(new Date(iso));
      return t.replace(/:/g, ".") + (label ? " " + label : "");
    } catch (e) {
      return iso;
    }
  }

  function onReady(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function data(root, name) {
    try {
      return JSON.parse(root.getAttribute("data-" + name) || "null");
    } catch (e) {
      return null;
    }
  }

  // The quorum line from a counts message: "none" when neither the meeting nor a site has a
  // quorum rule (state from checkin.counts), so a screen never says "quorum met" for nobody.
  function quorum(c, T) {
    if (!c.quorum || c.quorum.state === "none") {
      return { state: "none", text: T.quorum_none + " · " + T.total + ": " + c.total };
    }
    var need = c.quorum.required !== null ? " / " + c.quorum.required : "";
    return {
      state: c.quorum.met ? "1" : "0",
      text: (c.quorum.met ? T.quorum_met : T.quorum_not) + " · " + T.total + ": " + c.total + need
    };
  }

  window.MeetcoordLive = {
    clients: clients,
    quorum: quorum,
    connect: connect,
    el: el,
    text: text,
    fill: fill,
    fmt: fmt,
    find: find,
    setTimer: setTimer,
    tickTimers: tickTimers,
    timeIn: timeIn,
    onReady: onReady,
    data: data,
    apply: APPLY
  };
})();
