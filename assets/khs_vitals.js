// @ts-check
/* KHS CRM field app: how fast the app is on the crews' phones (Core Web Vitals: LCP, INP,
 * CLS, measured with PerformanceObserver), and what went wrong on them (uncaught errors,
 * sync failures). Kept in localStorage and sent to the server in batches (a keepalive POST)
 * when the page is hidden and the phone is online: never blocking work,
 * never lost offline, no personal data (a page is its path without the query). The server
 * side: docs/operations.md (POST /api/telemetry/vitals and /api/telemetry/errors). */

const VITALS_KEY = "khs.vitals";
const ERRORS_KEY = "khs.errors";
const MAX_QUEUED = 50; // per kind: the oldest go first
export const VITALS_URL = "/api/telemetry/vitals";
export const ERRORS_URL = "/api/telemetry/errors";

/** @typedef {{ name: "LCP" | "INP" | "CLS", value: number, page: string, offline: boolean }} Vital */
/** @typedef {{ message: string, page: string, kind: "error" | "sync", offline: boolean }} Report */

/** A page as reported: the path, ids left out ("/field/job", not "/field/job?id=…"). */
export function pageOf(path = location.pathname) {
  return path.replace(/\/+$/, "") || "/";
}

/** @template T @param {string} key @returns {T[]} */
function queued(key) {
  try {
    const list = JSON.parse(localStorage.getItem(key) || "[]");
    return Array.isArray(list) ? list : [];
  } catch {
    return [];
  }
}

/** @param {string} key @param {unknown[]} items */
function keep(key, items) {
  try {
    localStorage.setItem(key, JSON.stringify(items.slice(-MAX_QUEUED)));
  } catch {
    // storage full: telemetry is the first thing to give up
  }
}

/** Send what is queued (online only): a keepalive POST (it outlives the page; sendBeacon
 * cannot carry the CSRF header the API asks for). What does not reach the server goes back
 * in the queue.
 * @param {(url: string, init: RequestInit) => Promise<{ ok: boolean, status: number }>} post */
export function flush(post = (url, init) => fetch(url, init)) {
  if (!navigator.onLine) return;
  for (const [key, url, field, most] of /** @type {const} */ ([
    [VITALS_KEY, VITALS_URL, "vitals", 50],
    [ERRORS_KEY, ERRORS_URL, "errors", 20],
  ])) {
    const items = queued(key).slice(0, most);
    if (!items.length) continue;
    keep(key, queued(key).slice(items.length));
    const init = {
      method: "POST",
      keepalive: true,
      credentials: /** @type {RequestCredentials} */ ("same-origin"),
      headers: { "Content-Type": "application/json", "X-KHS-CSRF": "1" },
      body: JSON.stringify({ [field]: items }),
    };
    const back = () => keep(key, [...items, ...queued(key)]);
    post(url, init)
      .then((res) => {
        if (!res.ok && res.status !== 422) back(); // refused as malformed: never again
      })
      .catch(back);
  }
}

/** Something went wrong on this phone: kept, sent with the next batch.
 * @param {string} message @param {Report["kind"]} [kind] */
export function report(message, kind = "error") {
  const text = String(message || "").slice(0, 300);
  if (!text) return;
  keep(ERRORS_KEY, [...queued(ERRORS_KEY), { message: text, page: pageOf(), kind, offline: !navigator.onLine }]);
}

/** The largest CLS session window (shifts < 1 s apart, at most 5 s long), as web-vitals counts.
 * @param {Array<{ startTime: number, value: number }>} shifts */
export function clsOf(shifts) {
  let best = 0;
  let sum = 0;
  let first = -Infinity;
  let last = -Infinity;
  for (const s of shifts) {
    if (s.startTime - last > 1000 || s.startTime - first > 5000) {
      sum = 0;
      first = s.startTime;
    }
    sum += s.value;
    last = s.startTime;
    best = Math.max(best, sum);
  }
  return best;
}

/** INP: the slowest interaction, or the 98th percentile's when there are many.
 * @param {number[]} durations one per interaction */
export function inpOf(durations) {
  if (!durations.length) return null;
  const sorted = [...durations].sort((a, b) => b - a);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length / 50))];
}

/** Measure this page's vitals and queue them when it is hidden; catch uncaught errors. */
export function start() {
  if (typeof PerformanceObserver === "undefined") return;
  const offline = !navigator.onLine;
  let lcp = 0;
  /** @type {Array<{ startTime: number, value: number }>} */
  const shifts = [];
  /** @type {Map<number, number>} interaction id → its longest event */
  const interactions = new Map();
  /** @param {string} type @param {(entries: any[]) => void} fn @param {object} [extra] */
  const observe = (type, fn, extra = {}) => {
    try {
      new PerformanceObserver((list) => fn(list.getEntries())).observe({ type, buffered: true, ...extra });
    } catch {
      // a browser without this entry type
    }
  };
  observe("largest-contentful-paint", (entries) => (lcp = entries[entries.length - 1].startTime));
  observe("layout-shift", (entries) => {
    for (const e of entries) if (!e.hadRecentInput) shifts.push({ startTime: e.startTime, value: e.value });
  });
  observe(
    "event",
    (entries) => {
      for (const e of entries) {
        if (e.interactionId) interactions.set(e.interactionId, Math.max(interactions.get(e.interactionId) || 0, e.duration));
      }
    },
    { durationThreshold: 40 },
  );
  let sent = false;
  const hidden = () => {
    if (document.visibilityState !== "hidden" && sent) return;
    if (!sent) {
      sent = true;
      const page = pageOf();
      /** @type {Vital[]} */
      const vitals = [];
      if (lcp) vitals.push({ name: "LCP", value: Math.round(lcp), page, offline });
      vitals.push({ name: "CLS", value: Math.round(clsOf(shifts) * 1000) / 1000, page, offline });
      const inp = inpOf([...interactions.values()]);
      if (inp !== null) vitals.push({ name: "INP", value: Math.round(inp), page, offline });
      keep(VITALS_KEY, [...queued(VITALS_KEY), ...vitals]);
    }
    flush();
  };
  addEventListener("visibilitychange", () => document.visibilityState === "hidden" && hidden());
  addEventListener("pagehide", hidden);
  addEventListener("online", () => flush());
  addEventListener("error", (ev) => report(ev.message || "error"));
  addEventListener("unhandledrejection", (ev) => report(ev.reason instanceof Error ? ev.reason.message : String(ev.reason)));
}
