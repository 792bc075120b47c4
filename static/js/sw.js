// meetcoord service worker (issue 16), served from /sw.js by meetcoord/offline/views.py,
// which puts self.MC_OFFLINE in front: {version, static (URL prefix), pages (path patterns
// of the four pages kept), replay (the one API path a queued answer may go to)}.
//  - Static files: cache first, by URL (their names change with their content).
//  - The four pages (personal page, phone view, desk, kiosk): network first; the last copy
//    when the network fails. A 401/403/404/410 or a redirect (signed out, link withdrawn)
//    drops the copy. Nothing else is touched: staff pages and every API answer go to the
//    network and are never stored here.
//  - Background Sync "mc-outbox": replays the queued answers (static/js/offline.js) to this
//    origin only, and asks open desks to send their queued scans.
"use strict";

const C = self.MC_OFFLINE;
const STATIC = "mc-static-" + C.version;
const PAGES = "mc-pages-" + C.version;
const PAGE_RE = C.pages.map((p) => new RegExp(p));
const REPLAY_RE = new RegExp(C.replay);
const NAV_TIMEOUT_MS = 6000; // a network this slow: show the copy, keep fetching behind it
const STATIC_MAX = 200; // entries kept across versions (oldest go first)
const SAVED = "X-MC-Saved-At";

const isPage = (path) => PAGE_RE.some((re) => re.test(path));
const sameOrigin = (url) => url.origin === self.location.origin;

self.addEventListener("install", () => self.skipWaiting());

// Copy what the old versions kept (an update must not forget the desk opened yesterday),
// then delete the old caches.
self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = (await caches.keys()).filter((n) => n.startsWith("mc-") && n !== STATIC && n !== PAGES);
      for (const name of names) {
        const target = await caches.open(name.startsWith("mc-pages-") ? PAGES : STATIC);
        const old = await caches.open(name);
        for (const request of await old.keys()) {
          if (!(await target.match(request))) await target.put(request, await old.match(request));
        }
        await caches.delete(name);
      }
      const statics = await caches.open(STATIC);
      const keys = await statics.keys();
      for (const request of keys.slice(0, Math.max(0, keys.length - STATIC_MAX))) await statics.delete(request);
      await self.clients.claim();
    })()
  );
});

async function fromStatic(request) {
  const cache = await caches.open(STATIC);
  const hit = await cache.match(request, { ignoreVary: true });
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok && response.type === "basic") await cache.put(request, response.clone());
  return response;
}

// The copy carries the time it was stored; the page learns it is a copy, and how old,
// from data-offline-saved (filled in here when the copy is served).
async function keepPage(cache, key, response) {
  const headers = new Headers(response.headers);
  headers.set(SAVED, new Date().toISOString());
  const body = await response.clone().arrayBuffer();
  await cache.put(key, new Response(body, { status: 200, headers }));
}

async function servedCopy(copy) {
  const saved = copy.headers.get(SAVED) || "";
  const html = (await copy.text()).replace('data-offline-saved=""', `data-offline-saved="${saved}"`);
  const headers = new Headers(copy.headers);
  return new Response(html, { status: 200, headers });
}

async function pageAnswer(cache, key, request) {
  const response = await fetch(request);
  const gone = [401, 403, 404, 410].includes(response.status) || response.type === "opaqueredirect";
  if (response.ok && response.type === "basic" && !response.redirected) await keepPage(cache, key, response);
  else if (gone) await cache.delete(key);
  return response;
}

function fromPages(event) {
  const url = new URL(event.request.url);
  const key = url.origin + url.pathname; // the query (a ?lang= switch) is the same page
  return (async () => {
    const cache = await caches.open(PAGES);
    const network = pageAnswer(cache, key, event.request);
    event.waitUntil(network.catch(() => null));
    const timeout = new Promise((resolve) => setTimeout(resolve, NAV_TIMEOUT_MS, null));
    try {
      const first = await Promise.race([network, timeout]);
      if (first) return first;
    } catch (error) {
      // offline: the copy below
    }
    const copy = await cache.match(key);
    if (copy) return servedCopy(copy);
    return network; // no copy: the browser's own error (or the slow answer) as it comes
  })();
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (!sameOrigin(url)) return;
  if (url.pathname.startsWith(C.static)) event.respondWith(fromStatic(request));
  else if (request.mode === "navigate" && isPage(url.pathname)) event.respondWith(fromPages(event));
});

// A page opened before this worker controlled it asks for its page and files to be kept.
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "replay") event.waitUntil(replay());
  if (data.type !== "keep") return;
  event.waitUntil(
    (async () => {
      for (const raw of data.urls || []) {
        const url = new URL(raw, self.location.origin);
        if (!sameOrigin(url)) continue;
        try {
          if (url.pathname.startsWith(C.static)) {
            const cache = await caches.open(STATIC);
            if (!(await cache.match(url.href))) await fromStatic(new Request(url.href));
          } else if (isPage(url.pathname)) {
            const cache = await caches.open(PAGES);
            const key = url.origin + url.pathname;
            if (!(await cache.match(key))) await pageAnswer(cache, key, new Request(key, { credentials: "same-origin" }));
          }
        } catch (error) {
          // offline now: kept on the next visit
        }
      }
    })()
  );
});

// --- the outbox (IndexedDB "meetcoord-offline", written by offline.js) ---------------------

function outbox(mode, work) {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open("meetcoord-offline", 1);
    open.onupgradeneeded = () => open.result.createObjectStore("outbox", { keyPath: "key" });
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction("outbox", mode);
      const request = work(tx.objectStore("outbox"));
      tx.oncomplete = () => resolve(request && request.result);
      tx.onerror = () => reject(tx.error);
    };
  });
}

// Only to this origin and the one replay path (the personal link is a bearer credential).
// An RSVP sets a state, so sending it twice changes nothing; the worker still reads the
// invitation first and drops an answer the server already holds, so a retry after a lost
// reply adds no second audit line. A 2xx or a 4xx ends the entry (a 4xx would be refused
// every time); a network error, a 5xx or a 429 keeps it for the next try.
function json(url, body) {
  const init = { credentials: "omit", headers: { Accept: "application/json" } };
  if (body) Object.assign(init, { method: "POST", body: JSON.stringify(body) });
  if (body) init.headers["Content-Type"] = "application/json";
  return fetch(url, init);
}

async function replayOne(item) {
  const url = new URL(item.url, self.location.origin);
  if (!sameOrigin(url) || !REPLAY_RE.test(url.pathname)) return "refused";
  const current = await json(url.href.replace(/\/rsvp$/, ""));
  if (current.ok) {
    const now = await current.json();
    const same = now.rsvp === item.body.rsvp && (!("site_id" in item.body) || now.site_id === item.body.site_id);
    if (same) return "sent";
  }
  const response = await json(url.href, item.body);
  if (response.ok) return "sent";
  return response.status < 500 && response.status !== 429 ? "refused" : "kept";
}

let replaying = null;

async function replayAll() {
  const items = (await outbox("readonly", (store) => store.getAll())) || [];
  const done = [];
  for (const item of items) {
    let result = "kept";
    try {
      result = await replayOne(item);
    } catch (error) {
      break; // offline again: the rest waits
    }
    if (result !== "kept") {
      await outbox("readwrite", (store) => store.delete(item.key));
      done.push({ key: item.key, result });
    }
  }
  const open = await self.clients.matchAll({ type: "window" });
  open.forEach((client) => client.postMessage({ type: "flushed", done }));
}

function replay() {
  if (!replaying) replaying = replayAll().finally(() => { replaying = null; });
  return replaying;
}

self.addEventListener("sync", (event) => {
  if (event.tag === "mc-outbox") event.waitUntil(replay());
});
