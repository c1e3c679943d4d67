// Shared set-up for the store and sync tests: the real assets/khs_*.js modules, a fresh fake
// IndexedDB per test and a tiny in-memory sync server. The field app's config and the
// server's row shapes come from fixtures the Python writes (tests/unit/js_fixtures.py).
import { createRequire } from "node:module";
import { IDBFactory } from "fake-indexeddb";
import * as dbLib from "../../assets/khs_db.js";
import { createStore } from "../../assets/khs_store.js";
import { createSync } from "../../assets/khs_sync.js";

export { dbLib, createStore, createSync };
export { rebase } from "../../assets/khs_store.js";
export { checkChanges, createViews, telHref } from "../../assets/khs_views.js";

const require = createRequire(import.meta.url);

/** The config every page carries (client_config()), in the JS tests' time zone. */
export const CONFIG = require("./fixtures/config.json");
const ROWS = require("./fixtures/rows.json");

/** A row as the server sends it (its API serializer's shape) with these values. A field the
 * server does not send is a mistake in the test, not a row the phone could hold. */
export function row(entity, values = {}) {
  const shape = ROWS[entity];
  if (!shape) throw new Error(`no ${entity} rows in fixtures/rows.json`);
  for (const key of Object.keys(values)) {
    if (!(key in shape)) throw new Error(`a ${entity} row has no "${key}" (fixtures/rows.json)`);
  }
  return { ...shape, ...values };
}

export const USER = { id: "u-alex", name: "Alex Rivera", role: "worker" };

let counter = 0;
export const uuid = () => `id-${++counter}`;

export async function openStore({ idb = new IDBFactory(), user = USER, ids = uuid } = {}) {
  const db = await dbLib.open(user.id, idb);
  const store = createStore({ db, user, uuid: ids });
  await store.load();
  return { store, db, idb };
}

/** Rows already on the device, as a pull would have left them. */
export async function seed(store, rows) {
  const changes = rows.map(([entity, row]) => ({ entity, entityId: row.id, action: "upsert", version: row.version, row }));
  await store.applyPull(changes, 10);
}

export const JOB = row("job", { id: "job-1", customerId: "cust-1", title: "Deck build", status: "scheduled", version: 3, assignedUserIds: ["u-alex"] });
export const CUSTOMER = row("customer", { id: "cust-1", name: "Maria Garcia", phone: "(512) 555-0001", address: "1 Oak St", version: 1 });
export const STUDS = row("material", { id: "mat-1", jobId: "job-1", name: "2x4 stud", quantity: 12, unit: "pcs", supplier: "Home Depot", purchased: false, version: 4 });

/** What a response from fetch looks like to the sync loop. */
export function reply(status, body) {
  return { status, ok: status >= 200 && status < 300, json: async () => body };
}

/** A server that applies each opId once (a repeat answers "duplicate") and serves pulls. */
export function fakeServer() {
  const server = { applied: new Map(), pushes: [], pulls: [], version: 100, changes: [] };
  server.push = (body) => {
    server.pushes.push(body);
    const results = body.operations.map((op) => {
      if (server.applied.has(op.opId)) return { ...server.applied.get(op.opId), status: "duplicate" };
      const result = { opId: op.opId, status: "applied", version: ++server.version, conflicts: [], serverRow: null, error: null };
      server.applied.set(op.opId, result);
      return result;
    });
    return reply(200, { data: { results, cursor: server.version } });
  };
  server.pull = (url) => {
    server.pulls.push(url);
    const cursor = Number(new URL(url, "http://x").searchParams.get("cursor"));
    const page = server.changes.filter((c) => c.version > cursor).slice(0, 2);
    const last = page.length ? page[page.length - 1].version : cursor;
    const hasMore = server.changes.some((c) => c.version > last);
    return reply(200, { data: { changes: page, cursor: last, hasMore } });
  };
  server.fetch = async (url, init = {}) => (init.method === "POST" ? server.push(JSON.parse(init.body)) : server.pull(url));
  return server;
}

/** A sync loop over `fetch` that records its sleeps, 401s and states instead of waiting. */
export function recordingSync(store, fetch, options = {}) {
  const sleeps = [];
  const events = { unauthorized: 0, states: [] };
  const sync = createSync({
    store,
    fetch,
    sleep: async (ms) => sleeps.push(ms),
    random: () => 0.5,
    onUnauthorized: () => (events.unauthorized += 1),
    onState: (state) => events.states.push(state),
    ...options,
  });
  return { sync, sleeps, events };
}
