// Load generator for the fanout bench: N clients of the official socket.io-client on /live,
// a chair who records decisions, and the time each decision takes to reach every client.
//
//   node loadgen.js --url http://127.0.0.1:PORT --setup setup.json [--procs 2]
//                   [--decisions 20] [--gap-ms 100] [--concurrency 50] [--pid SERVER_PID]
//                   [--deflate on|off] [--trace on]
//   node loadgen.js --ramp 1000,2000,... --url U1[,U2] --pid P1[,P2] --setup setup.json
//                   [--decisions 4] [--per-proc 1000] [--p99-limit-ms 1000]
//                   (bench_capacity.py; see ramp() below)
//
// setup.json (written by bench_fanout.py's seeding): {meeting_id, chair: {token, ...},
// clients: [{token, site_id, ...}, ...]}. The JSON report goes to stdout, progress to stderr.
//
// The flow:
// 1. The chair connects (auth {meeting, token}) and sends "open" (seq 1).
// 2. The clients connect over the websocket transport, each its own connection
//    (forceNew), with auth {meeting, last_seq: 0, token}; at most --concurrency handshakes
//    are in flight at once (people join over a minute or two, not in one SYN flood). A
//    client counts as connected once it has its catch-up (seq 1 again, after its welcome).
//    The server's RSS (/proc/<pid>/status VmRSS, with --pid) is read before the first
//    client and after the last one is connected.
// 3. The chair records --decisions decisions one after another: emit "decision.record"
//    {nonce, text} and note process.hrtime; wait for the ack AND until every client has
//    that decision (or 15 s), then --gap-ms, then the next one — so each decision's fanout
//    is measured on its own, not queued behind the previous one.
// 4. Latency of one delivery = the client's arrival time − the moment the chair emitted the
//    command. Arrivals are matched to decisions by data.decision.text. Every process reads
//    the same clock: process.hrtime is CLOCK_MONOTONIC, one clock for the whole machine, so
//    times taken in the worker processes compare with the chair's.
// 5. lost = clients × decisions − distinct (client, seq) received; duplicates are counted
//    separately; a client whose seqs arrive out of order is counted too.
//
// Client processes (--procs): the clients live in child processes, the chair in this one, so
// the chair's clock is never late behind a burst of incoming frames. The machine has 2 cores
// and the server under test (one Python process) needs one. Measured here (load 3–6 from
// other work on the machine): taking one decision off 1,000 sockets costs the clients about
// 25 ms of CPU from the reference server and 75–90 ms from meetcoord (which compresses every
// frame: permessage-deflate, see bench_fanout.py). In one process that work is serial and
// shows up as latency (the reference server's p50 was 26–42 ms with one client process,
// 17–19 ms with two or three). Two processes halve it; a third only adds one more runnable
// process on two cores. bench_fanout.py passes --procs 2, and every run records the
// client's and the server's CPU time so a run where the clients were the bottleneck shows.
"use strict";

const { fork } = require("node:child_process");
const fs = require("node:fs");

const now = () => process.hrtime.bigint();

function parseArgs(argv) {
  const args = {
    procs: 2,
    decisions: 20,
    gapMs: 100,
    concurrency: 50,
    pid: 0,
    fanoutTimeoutMs: 15000,
    deflate: true,
    perProc: 1000,
    p99LimitMs: 1000,
    connectTimeoutMs: 180000, // --ramp: a step whose clients are not all in by then fails
  };
  for (let i = 0; i < argv.length; i += 2) {
    const [key, value] = [argv[i], argv[i + 1]];
    if (key === "--url") args.url = value;
    else if (key === "--setup") args.setup = value;
    else if (key === "--procs") args.procs = Number(value);
    else if (key === "--decisions") args.decisions = Number(value);
    else if (key === "--gap-ms") args.gapMs = Number(value);
    else if (key === "--concurrency") args.concurrency = Number(value);
    else if (key === "--pid") args.pid = value; // one pid, or a comma list (--ramp)
    else if (key === "--deflate") args.deflate = value !== "off";
    else if (key === "--trace") args.trace = value === "on";
    else if (key === "--ramp") args.ramp = value.split(",").map(Number);
    else if (key === "--per-proc") args.perProc = Number(value);
    else if (key === "--p99-limit-ms") args.p99LimitMs = Number(value);
    else if (key === "--connect-timeout-ms") args.connectTimeoutMs = Number(value);
    else if (key === "--worker") (args.worker = true), (i -= 1);
    else throw new Error(`unknown argument ${key}`);
  }
  return args;
}

const log = (...parts) => console.error(`[loadgen ${process.pid}]`, ...parts);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function rssKb(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
}

function cpuSeconds(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
}

function connect(io, url, meeting, token, lastSeq, deflate = true) {
  const state = { lastSeq };
  const socket = io(`${url}/live`, {
    // The client's default, as in a browser, offers permessage-deflate (--deflate on); the
    // server decides whether to use it. "--deflate off" is only for diagnosis.
    ...(deflate ? {} : { perMessageDeflate: false }),
    transports: ["websocket"],
    forceNew: true, // one connection per client: no multiplexing over a shared Manager
    reconnection: true,
    reconnectionAttempts: 5,
    reconnectionDelay: 1000,
    timeout: 60000,
    auth: (cb) => cb({ meeting, token, last_seq: state.lastSeq }),
  });
  return { socket, state };
}

// --- a worker process: a share of the clients ------------------------------------------

function worker() {
  const { io } = require("socket.io-client");
  let clients = [];
  let base = 0n;
  const ms = () => Number(now() - base) / 1e6;
  let live = 0; // clients connected over every "connect" batch (the ramp sends several)
  const doneSeqs = new Map(); // decision index -> clients that have it

  process.on("message", async (msg) => {
    if (msg.cmd === "connect") {
      base = BigInt(msg.base);
      const decisionIndex = new Map(msg.texts.map((text, i) => [text, i]));
      const total = msg.clients.length;
      let ready = 0;
      let failed = 0;
      const started = ms();
      const perClientConnect = [];
      const first = msg.firstDecision || 0; // decisions before it were recorded before we came
      let inFlight = 0;
      let next = 0;
      const cpuStart = process.cpuUsage();
      await new Promise((resolveAll) => {
        const maybeFinish = () => {
          if (ready + failed === total) resolveAll();
        };
        const launch = () => {
          while (inFlight < msg.concurrency && next < total) {
            const spec = msg.clients[next++];
            inFlight += 1;
            const t0 = ms();
            const c = connect(io, msg.url, msg.meeting, spec.token, 0, msg.deflate);
            const client = {
              ...c,
              arrivals: new Array(msg.texts.length).fill(null),
              first,
              seqs: new Set(),
              dups: 0,
              outOfOrder: 0,
              welcomes: 0,
              disconnects: 0,
              caughtUp: false,
              errors: [],
            };
            clients.push(client);
            let settled = false;
            const settle = (ok) => {
              if (settled) return;
              settled = true;
              inFlight -= 1;
              if (ok) {
                ready += 1;
                live += 1;
                perClientConnect.push(ms() - t0);
              } else failed += 1;
              launch();
              maybeFinish();
            };
            client.socket.on("welcome", () => {
              client.welcomes += 1;
            });
            client.socket.on("event", (env) => {
              const at = ms();
              if (client.seqs.has(env.seq)) {
                client.dups += 1;
                return;
              }
              if (env.seq < client.state.lastSeq) client.outOfOrder += 1;
              client.seqs.add(env.seq);
              client.state.lastSeq = Math.max(client.state.lastSeq, env.seq);
              if (env.seq === 1 && !client.caughtUp) {
                client.caughtUp = true;
                settle(true);
              }
              const decision = env.data && env.data.decision;
              const index = decision ? decisionIndex.get(decision.text) : undefined;
              if (index !== undefined && client.arrivals[index] === null) {
                client.arrivals[index] = at;
                const have = (doneSeqs.get(index) || 0) + 1;
                doneSeqs.set(index, have);
                if (have === live) process.send({ cmd: "done", index });
              }
            });
            client.socket.on("disconnect", () => {
              client.disconnects += 1;
            });
            client.socket.on("connect_error", (err) => {
              client.errors.push(String(err && err.message));
              if (!client.socket.active) settle(false); // refused: no further attempts
            });
            client.socket.io.on("reconnect_failed", () => settle(false));
          }
        };
        launch();
        maybeFinish();
      });
      const connectCpu = process.cpuUsage(cpuStart);
      process.send({
        cmd: "connected",
        ready,
        failed,
        seconds: (ms() - started) / 1000,
        perClientConnect,
        cpu: (connectCpu.user + connectCpu.system) / 1e6,
        errors: clients.flatMap((c) => c.errors).slice(0, 5),
      });
    } else if (msg.cmd === "cpu") {
      process.send({ cmd: "cpu", usage: process.cpuUsage() });
    } else if (msg.cmd === "report") {
      process.send({
        cmd: "report",
        arrivals: clients.map((c) => c.arrivals),
        firsts: clients.map((c) => c.first),
        connectedFlags: clients.map((c) => c.caughtUp),
        distinct: clients.reduce((n, c) => n + [...c.seqs].filter((s) => s > 1).length, 0),
        dups: clients.reduce((n, c) => n + c.dups, 0),
        outOfOrder: clients.filter((c) => c.outOfOrder > 0).length,
        disconnects: clients.reduce((n, c) => n + c.disconnects, 0),
        extraWelcomes: clients.reduce((n, c) => n + Math.max(0, c.welcomes - 1), 0),
      });
    } else if (msg.cmd === "exit") {
      for (const c of clients) c.socket.close();
      clients = [];
      setTimeout(() => process.exit(0), 50);
    }
  });
}

// --- the coordinator: the chair, the clock, the report ----------------------------------

function percentile(sorted, q) {
  if (sorted.length === 0) return null;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.round(q * sorted.length + 0.5) - 1));
  return sorted[index];
}

const round = (x, digits = 1) => (x === null ? null : Number(x.toFixed(digits)));

async function coordinator(args) {
  const { io } = require("socket.io-client");
  const setup = JSON.parse(fs.readFileSync(args.setup, "utf8"));
  const base = now();
  const ms = () => Number(now() - base) / 1e6;
  const texts = Array.from({ length: args.decisions }, (_, i) => `Kesepakatan bench ${i + 1}: ${setup.meeting_id}`);

  // 1. The chair, and the meeting opened.
  const chair = connect(io, args.url, setup.meeting_id, setup.chair.token, 0, args.deflate).socket;
  await new Promise((resolve, reject) => {
    chair.once("welcome", resolve);
    chair.once("connect_error", (err) => reject(new Error(`chair refused: ${err.message}`)));
  });
  const request = (name, data) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name}: no ack in 30 s`)), 30000);
      chair.emit(name, data, (ack) => {
        clearTimeout(timer);
        resolve(ack);
      });
    });
  const opened = await request("open", { nonce: `bench-open-${setup.meeting_id}` });
  if (!opened.ok || opened.seq !== 1) throw new Error(`open answered ${JSON.stringify(opened)}`);

  // 2. The clients.
  const procs = Math.max(1, Math.min(args.procs, setup.clients.length));
  const workers = [];
  const messages = []; // {worker, msg}
  const waiters = [];
  const onMessage = (w) => (msg) => {
    messages.push({ w, msg });
    for (const waiter of waiters.splice(0)) waiter();
  };
  const waitFor = async (pred, timeoutMs) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = pred();
      if (found) return found;
      const remaining = deadline - Date.now();
      if (remaining <= 0) return null;
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, remaining);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  };
  const take = (cmd, count) => {
    const got = messages.filter((m) => m.msg.cmd === cmd);
    if (got.length < count) return null;
    for (const m of got) messages.splice(messages.indexOf(m), 1);
    return got;
  };
  for (let p = 0; p < procs; p++) {
    const w = fork(__filename, ["--worker"], { stdio: ["ignore", "ignore", "inherit", "ipc"] });
    w.on("message", onMessage(w));
    w.on("exit", (code) => {
      if (code !== 0) log(`worker ${w.pid} exited ${code}`);
    });
    workers.push(w);
  }
  const rssBefore = args.pid ? rssKb(args.pid) : null;
  const connectStarted = ms();
  workers.forEach((w, p) =>
    w.send({
      cmd: "connect",
      base: base.toString(),
      url: args.url,
      meeting: setup.meeting_id,
      texts,
      deflate: args.deflate,
      clients: setup.clients.filter((_, i) => i % procs === p),
      concurrency: Math.max(1, Math.floor(args.concurrency / procs)),
    })
  );
  const connected = await waitFor(() => take("connected", procs), 300000);
  if (!connected) throw new Error("clients not connected in 300 s");
  const connectSeconds = (ms() - connectStarted) / 1000;
  const ready = connected.reduce((n, m) => n + m.msg.ready, 0);
  const failed = connected.reduce((n, m) => n + m.msg.failed, 0);
  const perClient = connected.flatMap((m) => m.msg.perClientConnect).sort((a, b) => a - b);
  log(`${ready} connected, ${failed} failed, in ${connectSeconds.toFixed(1)} s`);
  if (failed) log("connect errors:", JSON.stringify(connected.flatMap((m) => m.msg.errors)));
  await sleep(1000); // let the server's presence flush and connect work settle
  const rssAfter = args.pid ? rssKb(args.pid) : null;

  // 3. The decisions.
  const clientCpu = async () => {
    workers.forEach((w) => w.send({ cmd: "cpu" }));
    const got = await waitFor(() => take("cpu", procs), 10000);
    return got.reduce((s, m) => s + (m.msg.usage.user + m.msg.usage.system) / 1e6, 0);
  };
  const clientCpuBefore = await clientCpu();
  const serverCpuBefore = args.pid ? cpuSeconds(args.pid) : null;
  const emitted = [];
  const acks = [];
  const timeouts = [];
  const decisionsStarted = ms();
  for (let i = 0; i < texts.length; i++) {
    emitted[i] = ms();
    const ack = await request("decision.record", { nonce: `bench-${setup.meeting_id}-${i + 1}`, text: texts[i] });
    acks[i] = { ok: ack.ok, seq: ack.seq, ms: ms() - emitted[i], error: ack.error };
    if (!ack.ok) log(`decision ${i + 1} refused: ${JSON.stringify(ack)}`);
    const done = await waitFor(() => {
      const got = messages.filter((m) => m.msg.cmd === "done" && m.msg.index === i);
      return got.length >= procs ? got : null;
    }, args.fanoutTimeoutMs);
    if (!done) timeouts.push(i + 1);
    if (args.trace) {
      // CLOCK_MONOTONIC seconds, the clock of Python's time.monotonic() in the server.
      const at = (Number(base) / 1e6 + emitted[i]) / 1000;
      log(`decision ${i + 1} emitted at monotonic ${at.toFixed(3)} s, all delivered: ${!!done}`);
    }
    await sleep(args.gapMs);
  }
  const decisionsSeconds = (ms() - decisionsStarted) / 1000;
  log(`decisions done in ${decisionsSeconds.toFixed(1)} s`);
  const serverCpu = args.pid ? cpuSeconds(args.pid) - serverCpuBefore : null;
  const clientCpuDecisions = (await clientCpu()) - clientCpuBefore;
  await sleep(500); // stragglers

  // 4. The figures.
  workers.forEach((w) => w.send({ cmd: "report" }));
  const reports = (await waitFor(() => take("report", procs), 30000)).map((m) => m.msg);
  const latencies = [];
  const perDecision = texts.map(() => []);
  for (const r of reports) {
    for (const arrivals of r.arrivals) {
      arrivals.forEach((at, i) => {
        if (at !== null) {
          latencies.push(at - emitted[i]);
          perDecision[i].push(at - emitted[i]);
        }
      });
    }
  }
  latencies.sort((a, b) => a - b);
  const expected = setup.clients.length * texts.length;
  const distinct = reports.reduce((n, r) => n + r.distinct, 0);
  const report = {
    clients: setup.clients.length,
    connected: ready,
    connect_failed: failed,
    decisions: texts.length,
    procs,
    client_offers_deflate: args.deflate,
    p50_ms: round(percentile(latencies, 0.5)),
    p90_ms: round(percentile(latencies, 0.9)),
    p99_ms: round(percentile(latencies, 0.99)),
    max_ms: round(latencies[latencies.length - 1] ?? null),
    min_ms: round(latencies[0] ?? null),
    lost: expected - distinct,
    duplicates: reports.reduce((n, r) => n + r.dups, 0),
    received: latencies.length,
    expected,
    out_of_order_clients: reports.reduce((n, r) => n + r.outOfOrder, 0),
    disconnects: reports.reduce((n, r) => n + r.disconnects, 0),
    reconnect_welcomes: reports.reduce((n, r) => n + r.extraWelcomes, 0),
    fanout_timeouts: timeouts,
    connect_seconds: round(connectSeconds, 2),
    connect_p50_ms: round(percentile(perClient, 0.5)),
    connect_p99_ms: round(percentile(perClient, 0.99)),
    ack_p50_ms: round(percentile(acks.map((a) => a.ms).sort((a, b) => a - b), 0.5)),
    ack_max_ms: round(Math.max(...acks.map((a) => a.ms))),
    acks_ok: acks.filter((a) => a.ok).length,
    ack_seqs: acks.map((a) => a.seq),
    per_decision_p99_ms: perDecision.map((v) => round(percentile(v.sort((a, b) => a - b), 0.99))),
    per_decision_last_ms: perDecision.map((v) => round(v.length ? Math.max(...v) : null)),
    decisions_seconds: round(decisionsSeconds, 2),
    server_rss_kb_before: rssBefore,
    server_rss_kb_after: rssAfter,
    rss_kb_per_client: rssBefore === null ? null : round((rssAfter - rssBefore) / setup.clients.length, 1),
    server_cpu_s_decisions: serverCpu === null ? null : round(serverCpu, 2),
    client_cpu_s_connect: round(connected.reduce((s, m) => s + m.msg.cpu, 0), 2),
    client_cpu_s_decisions: round(clientCpuDecisions, 2),
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  workers.forEach((w) => w.send({ cmd: "exit" }));
  chair.close();
  setTimeout(() => process.exit(0), 200);
}

// --- the ramp (bench_capacity.py): more clients at each step, until a step fails ---------
//
// --ramp 1000,2000,... --url U1[,U2] --pid P1[,P2] --decisions 4 --per-proc 1000
//
// The chair (on the first URL) opens the meeting. At each step the clients connect up to
// the step's number (those of earlier steps stay connected), client i to URL i % URLs,
// then the chair records --decisions decisions as in the fanout run (each waits for its ack
// and its full fanout, or 15 s, then --gap-ms). Each step's figures are over the
// decisions × connected clients deliveries of that step; a client that does not have a
// decision recorded while it was connected counts as lost. A step fails on p99 >
// --p99-limit-ms, anything lost, or a refused connection; the ramp stops there. A worker
// process holds at most --per-proc clients (new clients go to the least-filled worker,
// a new worker starts when all are full). One JSON line per step goes to stdout, then a
// summary line {steps: [...], last_passing}.
async function ramp(args) {
  const { io } = require("socket.io-client");
  const setup = JSON.parse(fs.readFileSync(args.setup, "utf8"));
  const urls = args.url.split(",");
  const pids = String(args.pid || "").split(",").filter(Boolean).map(Number);
  const steps = args.ramp.filter((n) => n <= setup.clients.length);
  const base = now();
  const ms = () => Number(now() - base) / 1e6;
  const texts = Array.from(
    { length: steps.length * args.decisions },
    (_, i) => `Kesepakatan kapasitas ${i + 1}: ${setup.meeting_id}`
  );

  const chair = connect(io, urls[0], setup.meeting_id, setup.chair.token, 0, args.deflate).socket;
  await new Promise((resolve, reject) => {
    chair.once("welcome", resolve);
    chair.once("connect_error", (err) => reject(new Error(`chair refused: ${err.message}`)));
  });
  const request = (name, data) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name}: no ack in 30 s`)), 30000);
      chair.emit(name, data, (ack) => {
        clearTimeout(timer);
        resolve(ack);
      });
    });
  const opened = await request("open", { nonce: `capacity-open-${setup.meeting_id}` });
  if (!opened.ok) throw new Error(`open answered ${JSON.stringify(opened)}`);

  const workers = []; // {proc, count}
  const messages = [];
  const waiters = [];
  const waitFor = async (pred, timeoutMs) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = pred();
      if (found) return found;
      const remaining = deadline - Date.now();
      if (remaining <= 0) return null;
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, remaining);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  };
  const takeFrom = (cmd, ws) => {
    const got = messages.filter((m) => m.msg.cmd === cmd && ws.includes(m.w));
    if (got.length < ws.length) return null;
    for (const m of got) messages.splice(messages.indexOf(m), 1);
    return got;
  };
  const spawn = () => {
    const proc = fork(__filename, ["--worker"], { stdio: ["ignore", "ignore", "inherit", "ipc"] });
    const w = { proc, count: 0 };
    proc.on("message", (msg) => {
      messages.push({ w, msg });
      for (const waiter of waiters.splice(0)) waiter();
    });
    proc.on("exit", (code) => {
      if (code !== 0) log(`worker ${proc.pid} exited ${code}`);
    });
    workers.push(w);
    return w;
  };
  const sum = (xs) => xs.reduce((a, b) => a + b, 0);
  const cpuOf = async () => {
    workers.forEach((w) => w.proc.send({ cmd: "cpu" }));
    const got = await waitFor(() => takeFrom("cpu", workers), 10000);
    return sum(got.map((m) => (m.msg.usage.user + m.msg.usage.system) / 1e6));
  };

  const results = [];
  let lastPassing = 0;
  let have = 0;
  for (const [s, target] of steps.entries()) {
    // 1. Connect up to the step's number.
    const batches = new Map(); // worker -> clients
    for (let i = have; i < target; i++) {
      let w = workers.filter((x) => x.count < args.perProc).sort((a, b) => a.count - b.count)[0];
      if (!w) w = spawn();
      w.count += 1;
      const spec = { ...setup.clients[i], url: urls[i % urls.length] };
      if (!batches.has(w)) batches.set(w, []);
      batches.get(w).push(spec);
    }
    const first = s * args.decisions;
    const connectStarted = ms();
    const batchWorkers = [...batches.keys()];
    for (const [w, clients] of batches) {
      // One URL per "connect" message: split the batch by URL.
      w.pending = 0;
      for (const url of urls) {
        const mine = clients.filter((c) => c.url === url);
        if (!mine.length) continue;
        w.pending += 1;
        w.proc.send({
          cmd: "connect",
          base: base.toString(),
          url,
          meeting: setup.meeting_id,
          texts,
          deflate: args.deflate,
          clients: mine,
          firstDecision: first,
          concurrency: Math.max(1, Math.floor(args.concurrency / batchWorkers.length / urls.length)),
        });
      }
    }
    const connected = [];
    let connectTimedOut = false;
    for (const w of batchWorkers) {
      for (let k = 0; k < w.pending && !connectTimedOut; k++) {
        const left = Math.max(1, args.connectTimeoutMs - (ms() - connectStarted));
        const got = await waitFor(() => takeFrom("connected", [w]), left);
        if (got) connected.push(...got);
        else connectTimedOut = true;
      }
    }
    const connectSeconds = (ms() - connectStarted) / 1000;
    if (connectTimedOut) {
      // Some clients neither caught up nor were refused in time: the step fails here, as
      // a refused connection would, instead of the whole run waiting on them.
      const step = {
        clients: target,
        connect_timeout_s: round(args.connectTimeoutMs / 1000, 1),
        connect_seconds: round(connectSeconds, 2),
        passed: false,
        load_average: require("node:os").loadavg().map((x) => round(x, 2)),
      };
      log(`step ${target}: not every client caught up in ${step.connect_timeout_s} s, FAILED`);
      process.stdout.write(`${JSON.stringify(step)}\n`);
      results.push(step);
      break;
    }
    have = target;
    const failed = sum(connected.map((m) => m.msg.failed));
    log(`step ${target}: ${target - failed} connected, ${failed} failed, in ${connectSeconds.toFixed(1)} s`);
    await sleep(1000);
    const rss = pids.map(rssKb);

    // 2. The decisions.
    const clientCpuBefore = await cpuOf();
    const serverCpuBefore = pids.map(cpuSeconds);
    const emitted = {};
    const timeouts = [];
    const acks = [];
    for (let i = first; i < first + args.decisions; i++) {
      emitted[i] = ms();
      const ack = await request("decision.record", { nonce: `capacity-${setup.meeting_id}-${i + 1}`, text: texts[i] });
      acks.push(ms() - emitted[i]);
      if (!ack.ok) log(`decision ${i + 1} refused: ${JSON.stringify(ack)}`);
      const done = await waitFor(() => {
        const got = messages.filter((m) => m.msg.cmd === "done" && m.msg.index === i);
        return new Set(got.map((m) => m.w)).size >= workers.length ? got : null;
      }, args.fanoutTimeoutMs);
      if (!done) timeouts.push(i + 1);
      await sleep(args.gapMs);
    }
    const serverCpu = pids.map((p, k) => cpuSeconds(p) - serverCpuBefore[k]);
    const clientCpu = (await cpuOf()) - clientCpuBefore;
    await sleep(500); // stragglers
    for (let k = messages.length - 1; k >= 0; k--) if (messages[k].msg.cmd === "done") messages.splice(k, 1);

    // 3. The step's figures.
    workers.forEach((w) => w.proc.send({ cmd: "report" }));
    const reports = (await waitFor(() => takeFrom("report", workers), 60000)).map((m) => m.msg);
    const latencies = [];
    let lost = 0;
    for (const r of reports) {
      r.arrivals.forEach((arrivals, c) => {
        if (!r.connectedFlags[c]) return; // refused: counted as failed, not as lost
        for (let i = Math.max(first, r.firsts[c]); i < first + args.decisions; i++) {
          if (arrivals[i] === null) lost += 1;
          else latencies.push(arrivals[i] - emitted[i]);
        }
      });
    }
    latencies.sort((a, b) => a - b);
    const p99 = round(percentile(latencies, 0.99));
    const step = {
      clients: target,
      connected: target - failed,
      connect_failed: failed,
      connect_seconds: round(connectSeconds, 2),
      deliveries: latencies.length,
      p50_ms: round(percentile(latencies, 0.5)),
      p99_ms: p99,
      max_ms: round(latencies[latencies.length - 1] ?? null),
      lost,
      duplicates: sum(reports.map((r) => r.dups)),
      disconnects: sum(reports.map((r) => r.disconnects)),
      fanout_timeouts: timeouts,
      ack_max_ms: round(Math.max(...acks)),
      client_procs: workers.length,
      server_rss_kb: rss,
      server_cpu_s_decisions: serverCpu.map((x) => round(x, 2)),
      client_cpu_s_decisions: round(clientCpu, 2),
      load_average: require("node:os").loadavg().map((x) => round(x, 2)),
    };
    step.passed = failed === 0 && lost === 0 && p99 !== null && p99 <= args.p99LimitMs && step.disconnects === 0;
    log(`step ${target}: p50 ${step.p50_ms} ms, p99 ${p99} ms, lost ${lost}, ${step.passed ? "passed" : "FAILED"}`);
    process.stdout.write(`${JSON.stringify(step)}\n`);
    results.push(step);
    if (!step.passed) break;
    lastPassing = target;
  }
  process.stdout.write(`${JSON.stringify({ steps: results, last_passing: lastPassing })}\n`);
  workers.forEach((w) => w.proc.send({ cmd: "exit" }));
  chair.close();
  setTimeout(() => process.exit(0), 500);
}

const args = parseArgs(process.argv.slice(2));
if (args.worker) worker();
else
  (args.ramp ? ramp(args) : coordinator(args)).catch((err) => {
    log(err.stack || String(err));
    process.exit(1);
  });
