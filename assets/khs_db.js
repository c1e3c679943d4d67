// @ts-check
/* KHS CRM field app: the device database. One IndexedDB database per signed-in user id.
 * Stores: customers, jobs, materials, notes, photos, timeEntries, changeOrders (rows as the server sends them, camelCase),
 * syncQueue (the outbox, keyed by an auto-incremented seq), metadata (key/value), and the
 * photo upload outbox: photoUploads (what to send: id, job, caption, tag, state) and
 * photoBlobs (the bytes, read only to show or send one photo). */

/** @typedef {import("./khs_types.js").Entity} Entity */
/** @typedef {import("./khs_types.js").RowStore} RowStore */
/** @typedef {import("./khs_types.js").Row} Row */
/** @typedef {import("./khs_types.js").Snapshot} Snapshot */
/** @typedef {import("./khs_types.js").Meta} Meta */
/** @typedef {import("./khs_types.js").Mirror} Mirror */

export const DB_VERSION = 3;
export const SCHEMA_VERSION = 2; // of the rows; a change re-downloads everything (the outbox stays)
/** @type {Readonly<Record<Entity, RowStore>>} */
export const STORES = {
  customer: "customers",
  job: "jobs",
  material: "materials",
  note: "notes",
  photo: "photos",
  time_entry: "timeEntries",
  change_order: "changeOrders",
};
/** @type {readonly RowStore[]} */
export const ROW_STORES = Object.values(STORES);
// What the in-memory mirror holds; photoBlobs stays on disk.
export const ALL_STORES = [...ROW_STORES, "syncQueue", "metadata", "photoUploads"];
/** @type {readonly RowStore[]} rows that belong to one job */
export const CHILD_STORES = ["materials", "notes", "photos"];

/** The in-memory mirror of a database with nothing in it yet.
 * @returns {Mirror} */
export function emptyMirror() {
  return {
    customers: new Map(),
    jobs: new Map(),
    materials: new Map(),
    notes: new Map(),
    photos: new Map(),
    timeEntries: new Map(),
    changeOrders: new Map(),
    uploads: new Map(),
    queue: [],
    meta: {},
  };
}

/** @param {string} userId */
export function dbName(userId) {
  return "khs-user-" + userId;
}

/** @param {IDBDatabase} db @param {number} oldVersion */
function upgrade(db, oldVersion) {
  if (oldVersion < 1) createFirst(db);
  if (oldVersion < 2) {
    db.createObjectStore("photos", { keyPath: "id" }).createIndex("jobId", "jobId");
    db.createObjectStore("photoUploads", { keyPath: "id" }).createIndex("jobId", "jobId");
    db.createObjectStore("photoBlobs", { keyPath: "id" });
  }
  if (oldVersion < 3) {
    db.createObjectStore("timeEntries", { keyPath: "id" }).createIndex("jobId", "jobId");
    db.createObjectStore("changeOrders", { keyPath: "id" }).createIndex("jobId", "jobId");
  }
}

/** @param {IDBDatabase} db */
function createFirst(db) {
  const jobs = db.createObjectStore("jobs", { keyPath: "id" });
  jobs.createIndex("customerId", "customerId");
  jobs.createIndex("status", "status");
  jobs.createIndex("scheduledStart", "scheduledStart");
  db.createObjectStore("customers", { keyPath: "id" });
  const materials = db.createObjectStore("materials", { keyPath: "id" });
  materials.createIndex("jobId", "jobId");
  materials.createIndex("purchased", "_purchased"); // 0|1: booleans are not valid keys
  materials.createIndex("supplier", "supplier");
  db.createObjectStore("notes", { keyPath: "id" }).createIndex("jobId", "jobId");
  const queue = db.createObjectStore("syncQueue", { keyPath: "seq", autoIncrement: true });
  queue.createIndex("opId", "opId", { unique: true });
  queue.createIndex("entityId", "entityId");
  db.createObjectStore("metadata", { keyPath: "key" });
}

/**
 * A request as a promise.
 * @template T
 * @param {IDBRequest<T>} request
 * @returns {Promise<T>}
 */
export function req(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/**
 * A transaction as a promise: resolved once it has committed.
 * @param {IDBTransaction} tx
 * @returns {Promise<void>}
 */
export function done(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = (event) => reject(/** @type {IDBRequest | null} */ (event.target)?.error || tx.error);
    tx.onabort = () => reject(tx.error || new Error("transaction aborted"));
  });
}

/**
 * @param {string} userId
 * @param {IDBFactory} idb
 * @returns {Promise<IDBDatabase>}
 */
export function open(userId, idb) {
  const request = idb.open(dbName(userId), DB_VERSION);
  request.onupgradeneeded = (event) => upgrade(request.result, event.oldVersion);
  return req(request);
}

/**
 * @param {string} userId
 * @param {IDBFactory} idb
 * @returns {Promise<void>}
 */
export function remove(userId, idb) {
  return new Promise((resolve, reject) => {
    const request = idb.deleteDatabase(dbName(userId));
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
    request.onblocked = () => resolve(); // finishes once the other tabs close it
  });
}

/**
 * Everything in the database, for the in-memory mirror the screens render from.
 * @param {IDBDatabase} db
 * @returns {Promise<Snapshot>}
 */
export async function readAll(db) {
  const tx = db.transaction(ALL_STORES, "readonly");
  /** @type {Record<string, Promise<any[]>>} */
  const out = {};
  for (const name of ALL_STORES) out[name] = req(tx.objectStore(name).getAll());
  /** @type {Record<string, any[]>} */
  const rows = {};
  for (const name of ALL_STORES) rows[name] = await out[name];
  /** @type {Record<string, unknown>} */
  const meta = {};
  for (const { key, value } of rows.metadata) meta[key] = value;
  return /** @type {Snapshot} */ ({ ...rows, metadata: /** @type {Meta} */ (meta) });
}

/**
 * A row as the device keeps it (materials get a key-able purchased flag).
 * @param {RowStore} storeName
 * @param {Row} row
 */
export function stored(storeName, row) {
  return storeName === "materials" && "purchased" in row ? { ...row, _purchased: row.purchased ? 1 : 0 } : row;
}
