// The peer for the fanout bench: a minimal socket.io server doing what meetcoord's /live
// namespace does for the bench's flow (DESIGN §5), with no database.
//
//   node reference-server.js <port> <setup.json>
//
// setup.json is what bench_fanout.py's seeding wrote: the meeting id, the chair's personal
// token and every invitee's token and site. Like meetcoord, only a hash of each token is
// kept, and each connection is looked up by the hash of the token it presents.
//
// - Namespace /live, auth {meeting, token, last_seq}: refused unless the token is one of
//   the meeting's; the socket joins meeting:<id> and meeting:<id>:site:<site> (the chair
//   also meeting:<id>:staff), gets "welcome", then every event after last_seq in order
//   (or a "snapshot" when it sent none).
// - Commands "open" and "decision.record" carry a nonce and are acked {ok, seq, id}; a
//   repeated nonce answers with the first result; only the chair may send them.
// - Each event is appended to an in-memory log with seq and a sha256 hash chain, then the
//   envelope {meeting, seq, type, data, at, actor} is broadcast to meeting:<id>.
// GET /healthz answers 200 so the bench can wait for it like for meetcoord.
"use strict";

const crypto = require("node:crypto");
const fs = require("node:fs");
const http = require("node:http");
const { Server } = require("socket.io");

const port = Number(process.argv[2]);
const setup = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
const meetingId = setup.meeting_id;
const hash = (text) => crypto.createHash("sha256").update(text).digest("hex");

const invitations = new Map(); // token hash -> {id, role, site, name}
invitations.set(hash(setup.chair.token), {
  id: setup.chair.invitation_id,
  role: "chair",
  site: setup.chair.site_id,
  name: setup.chair.name,
});
for (const c of setup.clients) {
  invitations.set(hash(c.token), { id: c.invitation_id, role: "participant", site: c.site_id, name: c.name });
}

const log = []; // envelopes, log[i].seq === i + 1
const nonces = new Map(); // nonce -> first ack
let lastHash = "0".repeat(64);
let roomState = "waiting";
let decisionNumber = 0;
const room = `meeting:${meetingId}`;

function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

function append(type, data, actor) {
  const env = { meeting: meetingId, seq: log.length + 1, type, data, at: new Date().toISOString(), actor };
  lastHash = hash(lastHash + canonical(env));
  log.push(env);
  return env;
}

const httpServer = http.createServer((req, res) => {
  if (req.url === "/healthz") {
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end('{"status":"ok"}');
    return;
  }
  res.writeHead(404);
  res.end();
});
const io = new Server(httpServer, { serveClient: false });
const live = io.of("/live");

live.use((socket, next) => {
  const auth = socket.handshake.auth || {};
  const token = typeof auth.token === "string" ? auth.token : "";
  const inv = Number(auth.meeting) === meetingId && token ? invitations.get(hash(token)) : undefined;
  if (!inv) return next(new Error("refused"));
  socket.data.inv = inv;
  next();
});

live.on("connection", (socket) => {
  const inv = socket.data.inv;
  socket.join(room);
  socket.join(`${room}:site:${inv.site ?? "online"}`);
  if (inv.role === "chair") socket.join(`${room}:staff`);
  socket.emit("welcome", { meeting: meetingId, role: inv.role, name: inv.name, site_id: inv.site, invitation_id: inv.id });
  const last = socket.handshake.auth.last_seq;
  if (Number.isInteger(last) && last <= log.length) {
    for (const env of log.slice(last)) socket.emit("event", env);
  } else {
    socket.emit("snapshot", { meeting: meetingId, seq: log.length, room: { state: roomState } });
  }

  function command(name, body) {
    socket.on(name, (data, ack) => {
      if (typeof ack !== "function") return;
      if (!data || typeof data !== "object") return ack({ ok: false, error: { code: "bad_request" } });
      const nonce = data.nonce;
      if (typeof nonce === "string" && nonces.has(nonce)) return ack(nonces.get(nonce));
      if (inv.role !== "chair") return ack({ ok: false, error: { code: "forbidden" } });
      const result = body(data);
      if (!result.ok) return ack(result);
      if (typeof nonce === "string") nonces.set(nonce, result);
      live.to(room).emit("event", log[result.seq - 1]);
      ack(result);
    });
  }

  command("open", () => {
    if (roomState !== "waiting") return { ok: false, error: { code: "conflict" } };
    roomState = "open";
    const env = append("meeting.opened", { room: { state: roomState } }, inv.name);
    return { ok: true, seq: env.seq };
  });
  command("decision.record", (data) => {
    if (roomState !== "open") return { ok: false, error: { code: "conflict" } };
    const text = String(data.text || "").trim();
    if (!text) return { ok: false, error: { code: "validation" } };
    decisionNumber += 1;
    const decision = {
      id: decisionNumber,
      number: decisionNumber,
      text,
      kind: data.kind || "consensus",
      version: 1,
      recorded_at: new Date().toISOString(),
      recorded_by: inv.name,
      tallies: [],
    };
    const env = append("decision.recorded", { decision }, inv.name);
    return { ok: true, seq: env.seq, id: decision.id };
  });
});

httpServer.listen(port, "127.0.0.1", () => {
  console.log(`reference socket.io server on http://127.0.0.1:${port}/ (node ${process.version})`);
});
process.on("SIGTERM", () => process.exit(0));
