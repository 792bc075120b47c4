// meetcoord registration desk (templates/checkin/desk.html).
// A scan (camera + jsQR, or a USB scanner typing into the field and pressing Enter) goes
// to the server with a fresh nonce. When the request fails or the browser is offline, the
// credential is verified here (Ed25519 with the meeting's public key from the bundle, the
// revocation list, the invitee list) and queued in IndexedDB; the queue is uploaded when
// the connection returns. Every text shown comes from the page's data-* attributes.
import * as store from "./desk-store.js";

const root = document.getElementById("desk");
const d = root.dataset;
const site = d.site;
const roles = JSON.parse(d.roles || "{}");
const $ = (id) => document.getElementById(id);
const BUNDLE_EVERY_MS = 3 * 60 * 1000;
const RETRY_EVERY_MS = 15 * 1000;
const REQUEST_TIMEOUT_MS = 8000;

let csrf = d.csrf;
let bundle = null;
let flushing = false;
let halted = ""; // why uploads stopped (signed out, not this desk's site): until a reload
const off = window.MeetcoordOffline; // static/js/offline.js: the age of the desk's data

function t(key, n) {
  return (d[key] || "").replace("{n}", n === undefined ? "" : String(n));
}

function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// --- showing results ---------------------------------------------------------------------

function show(state, result) {
  const person = result.person || {};
  $("desk-result").dataset.state = state;
  $("desk-result-status").textContent = result.title || "";
  $("desk-result-name").textContent = person.name || "";
  $("desk-result-org").textContent = [person.position, person.organization, roles[person.role]]
    .filter(Boolean)
    .join(" · ");
  $("desk-result-message").textContent = result.message || "";
}

function showServer(result) {
  const state = { checked_in: "ok", checked_out: "ok", already: "already" }[result.status] || "refused";
  show(state, { ...result, title: result.site || "" });
}

async function updateStatus() {
  const n = await store.queuedCount(site);
  const status = $("desk-status");
  const offline = !navigator.onLine;
  status.dataset.offline = offline ? "1" : "0";
  if (offline) status.textContent = t("tOffline", n);
  else if (n > 0) status.textContent = flushing ? t("tSending") : t("tQueued", n);
  else status.textContent = t("tOnline");
}

function addReview(result) {
  const item = document.createElement("li");
  const name = (result.person && result.person.name) || "";
  item.textContent = [name, result.message].filter(Boolean).join(": ");
  $("desk-review-list").appendChild(item);
  $("desk-review").hidden = false;
}

// --- talking to the server ---------------------------------------------------------------

class Offline extends Error {}

// An application/problem+json answer (RFC 9457), as the API gives: the localized `detail`,
// with the field messages of `errors` (a 422) after it.
class Problem extends Error {
  constructor(body, status) {
    const fields = Object.values(body.errors || {}).flat();
    const text = body.detail || body.title || t("tError");
    super(fields.length ? `${text} ${fields.join(" ")}` : text);
    this.status = status;
    this.code = body.code || "";
    this.errors = body.errors || {};
  }
}

async function post(url, body) {
  if (!navigator.onLine) throw new Offline();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
  let response;
  try {
    response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json" },
      body: JSON.stringify(body),
      signal: controller.signal,
    });
  } catch (error) {
    throw new Offline();
  } finally {
    clearTimeout(timer);
  }
  // The server is down, busy or rate limiting: queued and sent again later.
  if (response.status >= 500 || response.status === 429) throw new Offline();
  const type = response.headers.get("Content-Type") || "";
  if (!type.includes("json")) {
    // Not our answer (a proxy's or a portal's page): fetch a fresh bundle, retry later.
    refreshBundle();
    throw new Offline();
  }
  const data = await response.json();
  if (!response.ok) {
    // A stale CSRF token (the session rotated): fetch a fresh one, then retry later.
    if (data.code === "csrf_failed") {
      refreshBundle();
      throw new Offline();
    }
    throw new Problem(data, response.status);
  }
  return data;
}

async function refreshBundle() {
  try {
    const response = await fetch(d.bundleUrl, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const fresh = await response.json();
    csrf = fresh.csrf_token || csrf;
    fresh.fetched_at = new Date().toISOString();
    bundle = fresh;
    await store.saveBundle(fresh);
    if (off) off.linked(true);
  } catch (error) {
    // offline: keep the stored bundle
    if (off) off.linked(false);
  }
}

// --- verifying offline -------------------------------------------------------------------

function unb64(text) {
  const base = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base + "=".repeat((4 - (base.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function parse(text) {
  const parts = text.trim().split(".");
  if (parts.length !== 3 || parts[0] !== "MC1") return null;
  try {
    const payload = unb64(parts[1]);
    const signature = unb64(parts[2]);
    if (payload.length !== 9 || signature.length !== 64 || payload[0] !== 1) return null;
    const view = new DataView(payload.buffer);
    return { meetingId: view.getUint32(1), invitationId: view.getUint32(5), payload, signature };
  } catch (error) {
    return null;
  }
}

// true / false, or null when this browser cannot check an Ed25519 signature at all.
async function verifySignature(publicKey, signature, payload) {
  const raw = unb64(publicKey);
  try {
    const key = await crypto.subtle.importKey("raw", raw, { name: "Ed25519" }, false, ["verify"]);
    return await crypto.subtle.verify({ name: "Ed25519" }, key, signature, payload);
  } catch (error) {
    // no WebCrypto Ed25519 here: the vendored pure-JS verifier
  }
  try {
    const ed = await import(d.nobleUrl);
    return await ed.verifyAsync(signature, payload, raw);
  } catch (error) {
    return null;
  }
}

async function verifyLocally(text) {
  if (!bundle) return { refused: t("tNoBundle") };
  // The check-in window, as the server will judge this scan's time (worded by the server).
  const span = bundle.checkin;
  if (span && Date.now() < Date.parse(span.opens_at)) return { refused: span.early };
  if (span && Date.now() > Date.parse(span.closes_at)) return { refused: span.late };
  const claim = parse(text);
  if (!claim) return { refused: t("tMalformed") };
  if (claim.meetingId !== bundle.meeting_id) return { refused: t("tWrongMeeting") };
  const valid = await verifySignature(bundle.public_key, claim.signature, claim.payload);
  if (valid === false) return { refused: t("tBadSignature") };
  if ((bundle.revoked || []).includes(claim.invitationId)) return { refused: t("tWithdrawn") };
  const invitee = (bundle.invitees || []).find((i) => i.invitation_id === claim.invitationId);
  return { invitee: invitee || null, unverified: valid === null };
}

async function scanOffline(text, nonce) {
  const check = await verifyLocally(text);
  if (check.refused) {
    show("refused", { title: t("tRecordedOffline"), message: check.refused });
    return;
  }
  const waiting = await store.queued(site);
  const earlier = waiting.find((scan) => scan.credential === text);
  const person = check.invitee || {};
  if (!earlier) {
    await store.enqueue({ site, nonce, credential: text, scanned_at: new Date().toISOString(), name: person.name || "" });
  }
  show("offline", {
    title: t("tRecordedOffline"),
    person,
    message: check.unverified ? t("tUnverified") : "",
  });
  await updateStatus();
}

// --- one handler for the camera and the scanner field ------------------------------------

async function handle(raw) {
  const text = (raw || "").trim();
  if (!text) return;
  const mode = document.querySelector("input[name=desk-mode]:checked").value;
  if (mode === "out") {
    try {
      showServer(await post(d.checkoutUrl, { credential: text, nonce: uuid() }));
    } catch (error) {
      show("refused", { message: error instanceof Offline ? t("tCheckoutOffline") : error.message });
    }
    return;
  }
  const nonce = uuid();
  try {
    showServer(await post(d.scanUrl, { credential: text, nonce }));
  } catch (error) {
    if (error instanceof Offline) await scanOffline(text, nonce);
    else show("refused", { message: error.message });
  }
  updateStatus();
}

// Which scans of a batch a 422 names ("scans.3.scanned_at" → 3); all of them if none.
function refusedScans(batch, problem) {
  const named = new Set();
  Object.keys(problem.errors).forEach((key) => {
    const match = /^scans\.(\d+)(\.|$)/.exec(key);
    if (match) named.add(Number(match[1]));
  });
  return named.size ? batch.filter((scan, i) => named.has(i)) : batch;
}

// A batch the server refused as such (400, 413, 422) would be refused every time: its
// scans leave the queue for the review list, to be recorded by hand.
async function dropRefused(batch, problem) {
  const refused = refusedScans(batch, problem);
  refused.forEach((scan) => addReview({ person: { name: scan.name }, message: problem.message }));
  await store.remove(refused.map((scan) => scan.nonce));
}

async function flush() {
  if (flushing || halted || !navigator.onLine) return;
  const waiting = await store.queued(site);
  if (!waiting.length) return;
  flushing = true;
  updateStatus();
  let sent = 0;
  try {
    for (let i = 0; i < waiting.length; i += 100) {
      const batch = waiting.slice(i, i + 100);
      let answer;
      try {
        answer = await post(d.offlineUrl, {
          scans: batch.map(({ credential, nonce, scanned_at }) => ({ credential, nonce, scanned_at })),
        });
      } catch (error) {
        if (!(error instanceof Problem)) throw error; // still offline: stays queued
        if ([401, 403, 404].includes(error.status)) {
          // Signed out or not this desk's site: keep the queue for a desk that may send
          // it (after signing in again), and stop retrying until the page is reloaded.
          halted = error.message;
          show("refused", { message: error.message });
          throw error;
        }
        await dropRefused(batch, error);
        continue;
      }
      const done = [];
      answer.results.forEach((result) => {
        done.push(result.nonce);
        if (result.status !== "checked_in") addReview(result);
      });
      await store.remove(done);
      sent += done.length;
    }
  } catch (error) {
    // still offline, or this desk may not send: the rest stays queued
  } finally {
    flushing = false;
    if (sent) show("ok", { title: t("tUploaded", sent) });
    updateStatus();
  }
}

// --- camera ------------------------------------------------------------------------------

let stream = null;
let lastText = "";
let lastAt = 0;

function frame() {
  if (!stream) return;
  const video = $("desk-video");
  const canvas = $("desk-canvas");
  if (video.readyState >= 2 && window.jsQR) {
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    const image = context.getImageData(0, 0, canvas.width, canvas.height);
    const code = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
    const now = Date.now();
    if (code && code.data && (code.data !== lastText || now - lastAt > 3000)) {
      lastText = code.data;
      lastAt = now;
      handle(code.data);
    }
  }
  requestAnimationFrame(frame);
}

// jsQR (165 KB) is fetched only when the camera is first switched on: a desk with a USB
// scanner never needs it. frame() skips decoding until it has arrived.
let jsqrLoading = null;

function loadJsQR() {
  if (window.jsQR || jsqrLoading) return;
  jsqrLoading = new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = d.jsqrUrl;
    script.onload = resolve;
    script.onerror = () => { jsqrLoading = null; reject(new Error("jsQR")); };
    document.head.appendChild(script);
  });
  jsqrLoading.catch(() => show("refused", { message: t("tCameraError") }));
}

async function toggleCamera() {
  const video = $("desk-video");
  if (stream) {
    stream.getTracks().forEach((track) => track.stop());
    stream = null;
    video.hidden = true;
    return;
  }
  loadJsQR();
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    requestAnimationFrame(frame);
  } catch (error) {
    stream = null;
    show("refused", { message: t("tCameraError") });
  }
}

// --- start -------------------------------------------------------------------------------

$("desk-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const field = $("desk-code");
  const value = field.value;
  field.value = "";
  field.focus();
  handle(value);
});
$("desk-camera").addEventListener("click", toggleCamera);
// A fresh CSRF token first (a restarted browser has a new session), then the queue.
window.addEventListener("online", async () => { updateStatus(); await refreshBundle(); flush(); });
window.addEventListener("mc-flush", () => flush()); // the worker's Background Sync
window.addEventListener("offline", updateStatus);

(async () => {
  try {
    bundle = (await store.loadBundle(site)) || null;
    if (bundle && off) off.fresh(Date.parse(bundle.fetched_at));
  } catch (error) {
    bundle = null;
  }
  await refreshBundle();
  root.dataset.ready = "1";
  updateStatus();
  flush();
  setInterval(refreshBundle, BUNDLE_EVERY_MS);
  setInterval(flush, RETRY_EVERY_MS);
})();
