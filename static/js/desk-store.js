// meetcoord desk: what an offline registration desk keeps in the browser (IndexedDB).
//  - "bundle": per site code, the meeting's public key, invitees and revocation list;
//  - "queue": scans made while offline, keyed by their nonce, until the server answered.
// A scan leaves the queue only once its answer came back, so an upload lost on the way
// is simply sent again: the server answers a repeated nonce with its first answer.

const DB_NAME = "meetcoord-desk";
const DB_VERSION = 1;

let opening = null;

function open() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains("bundle")) {
          db.createObjectStore("bundle", { keyPath: "site_code" });
        }
        if (!db.objectStoreNames.contains("queue")) {
          const queue = db.createObjectStore("queue", { keyPath: "nonce" });
          queue.createIndex("site", "site");
        }
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }
  return opening;
}

async function run(storeName, mode, work) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(storeName, mode);
    const store = tx.objectStore(storeName);
    let result;
    const request = work(store);
    if (request) request.onsuccess = () => { result = request.result; };
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

export function saveBundle(bundle) {
  return run("bundle", "readwrite", (store) => store.put(bundle));
}

export function loadBundle(siteCode) {
  return run("bundle", "readonly", (store) => store.get(siteCode));
}

// scan: {site, nonce, credential, scanned_at, name}
export function enqueue(scan) {
  return run("queue", "readwrite", (store) => store.put(scan));
}

export async function queued(siteCode) {
  const rows = await run("queue", "readonly", (store) => store.index("site").getAll(siteCode));
  return (rows || []).sort((a, b) => (a.scanned_at < b.scanned_at ? -1 : 1));
}

export async function queuedCount(siteCode) {
  return (await run("queue", "readonly", (store) => store.index("site").count(siteCode))) || 0;
}

export function remove(nonces) {
  return run("queue", "readwrite", (store) => {
    nonces.forEach((nonce) => store.delete(nonce));
    return null;
  });
}
