/* KHS CRM service worker. Served by khs_crm/api/pwa.py, which fills in the build version and
 * the precache list (the hashed file names exist only after the frontend build).
 * - the app shell (pages, hashed JS/CSS, icons) is precached per build version, cache-first;
 * - navigations: network first, the cached page (or the field shell) when offline;
 * - read-only API GETs: stale-while-revalidate for 5 minutes, one cache per user, purged at
 *   sign-out;
 * - never cached: /_event, /api/sync/*, /api/auth/*, /api/telemetry/*, downloads, and
 *   anything not a GET. */
// @ts-check
"use strict";

// This file runs as the worker: `self` is its global scope.
const sw = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));
const VERSION = "__KHS_VERSION__";
// Where the build's hashed files live (khs_crm/api/pwa.py: HASHED): they never change under
// their name.
const HASHED = "__KHS_HASHED__";
/** @type {string[]} */
const PRECACHE = /*__KHS_PRECACHE__*/ [];
const SHELL = "khs-shell-" + VERSION;
const API_PREFIX = "khs-api-";
const META = "khs-meta";
const API_TTL_MS = 5 * 60 * 1000;
const NAV_TIMEOUT_MS = 4000;
// Never answered by the worker: the event socket, sync, sign-in, health, and downloads
// (an export must be what the server has now).
const NEVER = [/^\/_event/, /^\/api\/sync\//, /^\/api\/auth\//, /^\/api\/telemetry\//, /^\/api\/pwa\//, /^\/api\/health/, /\.(csv|ics)$/];

sw.addEventListener("install", (event) => {
  // Where supported (static routing), these do not even wake the worker.
  const routing = /** @type {ExtendableEvent & { addRoutes?: (routes: object[]) => Promise<void> }} */ (event);
  if (routing.addRoutes) {
    // Telemetry too: a keepalive POST sent as the page goes away must not depend on the
    // worker that the navigation is tearing down (Chromium lost those batches).
    const direct = ["/_event*", "/api/sync/*", "/api/auth/*", "/api/telemetry/*"];
    try {
      const routes = direct.map((urlPattern) => ({ condition: { urlPattern }, source: "network" }));
      event.waitUntil(routing.addRoutes(routes).catch(() => {}));
    } catch {
      // the fetch handler below skips them anyway
    }
  }
  // One missing file (say, a build replaced mid-install) must not leave the app with no
  // worker: what could not be fetched now is cached the first time it is used.
  event.waitUntil(
    caches.open(SHELL).then(async (cache) => {
      const results = await Promise.allSettled(PRECACHE.map((url) => cache.add(precacheRequest(url))));
      const failed = PRECACHE.filter((_, i) => results[i].status === "rejected");
      if (failed.length) console.warn("khs: not precached", failed);
    }),
  );
});

/**
 * How the install fetches one file of the shell. A hashed build file never changes under its
 * name, so the copy the page has just loaded is taken from the browser's HTTP cache
 * instead of downloading the bundles a second time (on a crew phone's data plan); pages and
 * our un-hashed files are checked with the server ("no-cache": a 304 costs no body), so the
 * shell never keeps a stale one.
 * @param {string} url
 */
function precacheRequest(url) {
  return new Request(url, { cache: url.startsWith(HASHED) ? "default" : "no-cache" });
}

sw.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith("khs-shell-") && key !== SHELL) await caches.delete(key);
      }
      await sw.clients.claim();
    })(),
  );
});

// The signed-in user (for the per-user API cache) survives the worker being stopped.
async function currentUser() {
  const hit = await (await caches.open(META)).match("/__khs/user");
  return hit ? hit.text() : "";
}

/** @param {string} id */
async function setUser(id) {
  await (await caches.open(META)).put("/__khs/user", new Response(id || ""));
}

async function purgeApi() {
  for (const key of await caches.keys()) if (key.startsWith(API_PREFIX)) await caches.delete(key);
  await setUser("");
}

sw.addEventListener("message", (event) => {
  const msg = event.data || {};
  if (msg.type === "SKIP_WAITING") sw.skipWaiting();
  if (msg.type === "CLAIM") event.waitUntil(sw.clients.claim()); // a page loaded mid-activation
  if (msg.type === "user") event.waitUntil(setUser(msg.id));
  if (msg.type === "signout") event.waitUntil(purgeApi());
});

// Background Sync (not in every browser, nor in TypeScript's worker types).
sw.addEventListener("sync", (e) => {
  const event = /** @type {ExtendableEvent & { tag: string }} */ (e);
  if (event.tag !== "khs-sync") return;
  event.waitUntil(
    sw.clients.matchAll({ type: "window" }).then((list) => list.forEach((c) => c.postMessage({ type: "khs-sync" }))),
  );
});

/** @param {Request} request */
async function fromShell(request) {
  const cache = await caches.open(SHELL);
  const hit = await cache.match(request, { ignoreVary: true });
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok && new URL(request.url).pathname.startsWith(HASHED)) cache.put(request, response.clone());
  return response;
}

// Pages are cached under their directory URL ("/field/"): the server redirects "/field" there.
/** @param {URL} url */
async function cachedPage(url) {
  const cache = await caches.open(SHELL);
  const path = url.pathname.endsWith("/") ? url.pathname : url.pathname + "/";
  const hit = (await cache.match(path, { ignoreVary: true })) || (await cache.match("/field/", { ignoreVary: true }));
  // A navigation cannot be answered with a redirected response: copy it into a plain one.
  return hit && hit.redirected ? new Response(hit.body, { status: hit.status, headers: hit.headers }) : hit;
}

/** @param {Request} request */
async function navigate(request) {
  const network = fetch(request);
  network.catch(() => {}); // a late failure after the timeout is not an error
  try {
    const timeout = new Promise((resolve) => setTimeout(resolve, NAV_TIMEOUT_MS));
    const response = await Promise.race([network, timeout]);
    if (response) return response;
    return (await cachedPage(new URL(request.url))) || (await network);
  } catch (err) {
    const fallback = await cachedPage(new URL(request.url));
    if (fallback) return fallback;
    throw err;
  }
}

/** @param {FetchEvent} event @param {string} user */
async function staleWhileRevalidate(event, user) {
  const cache = await caches.open(API_PREFIX + user);
  const hit = await cache.match(event.request);
  const network = fetch(event.request).then((response) => {
    if (response.ok) {
      const headers = new Headers(response.headers);
      headers.set("X-KHS-Cached-At", String(Date.now()));
      response
        .clone()
        .blob()
        .then((body) => cache.put(event.request, new Response(body, { status: response.status, headers })));
    }
    return response;
  });
  const fresh = hit && Date.now() - Number(hit.headers.get("X-KHS-Cached-At") || 0) < API_TTL_MS;
  if (fresh) {
    event.waitUntil(network.catch(() => {}));
    return hit;
  }
  return network.catch((err) => hit || Promise.reject(err));
}

sw.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== sw.location.origin) return;
  if (NEVER.some((pattern) => pattern.test(url.pathname))) return;
  if (request.mode === "navigate") return event.respondWith(navigate(request));
  if (url.pathname.startsWith("/api/")) {
    event.respondWith(
      currentUser().then((user) => (user ? staleWhileRevalidate(event, user) : fetch(request))),
    );
    return;
  }
  event.respondWith(fromShell(request));
});
