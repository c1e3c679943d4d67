// @ts-check
/* KHS CRM field app: the sync loop. Pushes the outbox in seq order, sends the photos taken
 * on the phone (one multipart POST each, under the photo's own id), then pulls changes.
 * Debounced triggers; network errors, 5xx and 429 retry with exponential backoff + jitter,
 * at most `maxRetries` times per cycle, then the loop is "stalled" until the next trigger.
 * A failed push keeps the whole queue. One tab syncs at a time (Web Locks). */

import { t } from "./khs_i18n.js";

/** @typedef {import("./khs_store.js").Store} Store */
/** @typedef {import("./khs_types.js").PhotoUpload} PhotoUpload */
/** @typedef {import("./khs_types.js").Pulled} Pulled */
/** @typedef {import("./khs_types.js").Pushed} Pushed */
/** @typedef {import("./khs_views.js").SyncState} SyncState */
/** @typedef {"error" | "network" | "unauthorized" | "size"} SyncErrorKind */
/** What the loop needs of an answer (a real Response, or the tests' stand-in).
 * @typedef {Pick<Response, "status" | "ok" | "json">} Answer */
/** @typedef {(url: string, init: RequestInit) => Promise<Answer>} Fetch */
/** @typedef {ReturnType<typeof createSync>} Sync */

export class SyncError extends Error {
  /** @param {string} message
   * @param {{ retry?: boolean, kind?: SyncErrorKind, status?: number }} [how] */
  constructor(message, { retry = false, kind = "error", status = 0 } = {}) {
    super(message);
    this.retry = retry;
    this.kind = kind;
    this.status = status;
  }
}

/** The URL of one page of changes (the first pull of a cold start asks for it early, khs_app.js).
 * @param {number} cursor @param {number} pageSize @param {"all" | "week"} scope */
export function pullUrl(cursor, pageSize, scope) {
  return `/api/sync/pull?cursor=${encodeURIComponent(cursor)}&limit=${pageSize}&scope=${scope}`;
}

/** What every call to /api/sync sends besides its body. */
export const SYNC_HEADERS = { "X-KHS-CSRF": "1" };

/** The server's sentence for a refusal. @param {Answer} res @returns {Promise<string>} */
async function errorMessage(res) {
  try {
    return (await res.json()).error.message;
  } catch {
    return t("The server answered {status}.", { status: res.status });
  }
}

/** A thrown value as a SyncError (anything else is not one to retry).
 * @param {unknown} err */
function asSyncError(err) {
  return err instanceof SyncError ? err : new SyncError(err instanceof Error ? err.message : String(err));
}

/**
 * @param {object} options
 * @param {import("./khs_store.js").Store} options.store
 * @param {Fetch} options.fetch
 * @param {"all" | "week"} [options.scope] what to pull: every job the user may see, or this week's
 * @param {LockManager | null} [options.locks]
 * @param {string} [options.lockName]
 * @param {() => boolean} [options.isOnline]
 * @param {() => void} [options.onUnauthorized]
 * @param {(state: SyncState, detail: string) => void} [options.onState]
 * @param {(ms: number) => Promise<unknown>} [options.sleep]
 * @param {() => number} [options.random]
 * @param {() => Date} [options.now]
 * @param {number} [options.debounceMs]
 * @param {number} [options.baseDelayMs]
 * @param {number} [options.maxRetries]
 * @param {number} [options.batchSize]
 * @param {number} [options.pageSize]
 * @param {number} [options.lockWaitMs]
 * @param {{ url: string, response: Promise<Answer> } | null} [options.early] a request already
 *   made for one of the calls (the first page of a cold start): its answer is used once
 */
export function createSync({
  store,
  fetch,
  scope = "all",
  locks = null,
  lockName = "khs-sync",
  isOnline = () => true,
  onUnauthorized = () => {},
  onState = () => {},
  sleep = (ms) => new Promise((r) => setTimeout(r, ms)),
  random = Math.random,
  now = () => new Date(),
  debounceMs = 300,
  baseDelayMs = 1000,
  maxRetries = 3,
  batchSize = 100,
  pageSize = 500,
  lockWaitMs = 10000,
  early = null,
}) {
  /** @type {SyncState} */
  let state = "idle";
  let detail = "";
  /** @type {ReturnType<typeof setTimeout> | null} */
  let timer = null;
  /** @type {Promise<void> | null} */
  let running = null;
  let again = false;

  /** @param {SyncState} next @param {string} [text] */
  function setState(next, text = "") {
    state = next;
    detail = text;
    onState(state, detail);
  }

  /**
   * One JSON call to /api/sync; its `data`, or a SyncError that says whether to retry.
   * @param {"GET" | "POST"} method @param {string} url @param {unknown} [body]
   */
  async function call(method, url, body) {
    let res;
    try {
      if (early && method === "GET" && url === early.url) {
        const asked = early.response;
        early = null; // used once: a retry asks again
        res = await asked;
      } else {
        res = await fetch(url, {
          method,
          credentials: "same-origin",
          headers: body ? { "Content-Type": "application/json", ...SYNC_HEADERS } : SYNC_HEADERS,
          body: body ? JSON.stringify(body) : undefined,
        });
      }
    } catch {
      throw new SyncError(t("No connection to the office."), { retry: true, kind: "network" });
    }
    const { status } = res;
    if (status === 401) throw new SyncError(t("Signed out."), { kind: "unauthorized", status });
    if (status === 413) throw new SyncError(t("Too many changes at once."), { retry: true, kind: "size", status });
    if (status >= 500 || status === 429 || status === 408) {
      throw new SyncError(t("The office server is not answering ({status}).", { status }), { retry: true, status });
    }
    if (!res.ok) throw new SyncError(await errorMessage(res), { status });
    return (await res.json()).data;
  }

  /** Send one photo. A refusal (4xx) is kept on the photo and never retried.
   * @param {PhotoUpload} item */
  async function upload(item) {
    const bytes = await store.photoBytes(item.id);
    if (!bytes) return store.uploadFailed(item.id, t("The photo's file is missing on this phone."));
    const form = new FormData();
    form.append("id", item.id);
    form.append("caption", item.caption || "");
    form.append("tag", item.tag || "");
    form.append("takenAt", item.takenAt || "");
    form.append("file", new Blob([bytes], { type: item.type || "application/octet-stream" }), item.name || "photo");
    let res;
    try {
      // No Content-Type: the browser writes the multipart boundary itself.
      res = await fetch(`/api/jobs/${encodeURIComponent(item.jobId)}/photos`, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-KHS-CSRF": "1" },
        body: form,
      });
    } catch {
      throw new SyncError(t("No connection to the office."), { retry: true, kind: "network" });
    }
    const { status } = res;
    if (status === 401) throw new SyncError(t("Signed out."), { kind: "unauthorized", status });
    if (status >= 500 || status === 429 || status === 408) {
      throw new SyncError(t("The office server is not answering ({status}).", { status }), { retry: true, status });
    }
    if (!res.ok) return store.uploadFailed(item.id, await errorMessage(res));
    /** @type {import("./khs_types.js").Photo | null} */
    let row = null;
    try {
      row = (await res.json()).data;
    } catch {
      // stored on the server all the same; the next pull brings its row
    }
    return store.uploadDone(item.id, row);
  }

  async function uploadPhotos() {
    for (const item of await store.waitingUploads()) await upload(item);
  }

  /** @param {number} attempt */
  function backoff(attempt) {
    return Math.min(30000, baseDelayMs * 2 ** attempt) * (0.5 + random() / 2);
  }

  /** Run `step`; a SyncError that says so runs it again after a while, `maxRetries` times.
   * @param {() => Promise<void>} step */
  async function retrying(step) {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await step();
      } catch (thrown) {
        const err = asSyncError(thrown);
        if (!err.retry || attempt >= maxRetries) throw err;
        if (err.kind === "size") batchSize = Math.max(1, Math.floor(batchSize / 2));
        await sleep(backoff(attempt));
      }
    }
  }

  async function push() {
    for (;;) {
      // In seq order up to the first operation still held for its Undo (sent once it is due).
      const queued = (await store.outbox()).slice(0, batchSize);
      const held = queued.findIndex((op) => op.holdUntil && op.holdUntil > now().getTime());
      const ops = held < 0 ? queued : queued.slice(0, held);
      if (held >= 0) wakeAt(/** @type {number} */ (queued[held].holdUntil));
      if (!ops.length) return;
      const clientId = store.mem.meta.clientId;
      /** @type {Pushed | undefined} */
      const data = await call("POST", "/api/sync/push", { clientId, operations: ops.map(store.wire) });
      const settled = await store.applyPushResults(ops, (data && data.results) || []);
      if (!settled) throw new SyncError(t("The office did not accept these changes yet."));
    }
  }

  async function pull() {
    for (;;) {
      const cursor = store.mem.meta.cursor || 0;
      /** @type {Pulled} */
      const data = await call("GET", pullUrl(cursor, pageSize, scope));
      await store.applyPull(data.changes || [], data.cursor ?? cursor);
      if (!data.hasMore) return;
    }
  }

  async function cycle() {
    if (!isOnline()) return setState("offline");
    setState("syncing");
    try {
      await retrying(push);
      await retrying(uploadPhotos);
      await retrying(pull);
      await store.setMeta("lastSyncAt", now().toISOString());
      setState("idle");
    } catch (thrown) {
      const err = asSyncError(thrown);
      if (err.kind === "unauthorized") {
        setState("signedOut");
        onUnauthorized();
      } else if (err.kind === "network" && !isOnline()) setState("offline");
      else setState("stalled", err.message);
    }
  }

  // One tab syncs at a time: wait for the lock; a holder that does not let go (a frozen
  // background tab, a page kept in the back/forward cache) loses it. Two tabs pushing the
  // same ops would still be safe: the server answers a repeated opId "duplicate".
  /** @param {() => Promise<void>} fn */
  async function withLock(fn) {
    if (!locks) return fn();
    try {
      return await locks.request(lockName, { signal: AbortSignal.timeout(lockWaitMs) }, fn);
    } catch (err) {
      const name = /** @type {{ name?: string } | null} */ (err)?.name;
      // Robbed by another tab (AbortError): that tab syncs now; this cycle, already running,
      // finishes on its own. Never start a second one beside it.
      if (name === "AbortError") return undefined;
      if (name !== "TimeoutError") throw err;
      return locks.request(lockName, { steal: true }, fn);
    }
  }

  /** Sync now (a sync already running goes round once more instead). */
  function run() {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await withLock(cycle);
      } while (again);
    })().finally(() => (running = null));
    return running;
  }

  /** Ask for a sync soon: several triggers in a row make one run. */
  function trigger() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      run();
    }, debounceMs);
  }

  /** @type {ReturnType<typeof setTimeout> | null} a sync when a held operation is due */
  let wake = null;
  /** @param {number} at ms since the epoch */
  function wakeAt(at) {
    if (wake) clearTimeout(wake);
    wake = setTimeout(() => ((wake = null), trigger()), Math.max(0, at - now().getTime()) + 50);
  }

  function stop() {
    if (timer) clearTimeout(timer);
    if (wake) clearTimeout(wake);
    timer = wake = null;
  }

  return { run, trigger, stop, state: () => state, detail: () => detail };
}
