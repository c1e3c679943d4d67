/* KHS CRM field app: the device database. One IndexedDB database per signed-in user id.
 * Stores: customers, jobs, materials, notes, photos (rows as the server sends them, camelCase),
 * syncQueue (the outbox, keyed by an auto-incremented seq), metadata (key/value), and the
 * photo upload outbox: photoUploads (what to send: id, job, caption, tag, state) and
 * photoBlobs (the bytes, read only to show or send one photo). */
(function (root, factory) {
  const lib = factory();
  if (typeof module === "object" && module.exports) module.exports = lib;
  else (root.khsLib = root.khsLib || {}).db = lib;
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  const DB_VERSION = 2;
  const SCHEMA_VERSION = 2; // of the rows; a change re-downloads everything (the outbox stays)
  const STORES = { customer: "customers", job: "jobs", material: "materials", note: "notes", photo: "photos" };
  const ROW_STORES = Object.values(STORES);
  // What the in-memory mirror holds; photoBlobs stays on disk.
  const ALL_STORES = [...ROW_STORES, "syncQueue", "metadata", "photoUploads"];
  const CHILD_STORES = ["materials", "notes", "photos"]; // rows that belong to one job

  function dbName(userId) {
    return "khs-user-" + userId;
  }

  function upgrade(db, oldVersion) {
    if (oldVersion < 1) createFirst(db);
    if (oldVersion < 2) {
      db.createObjectStore("photos", { keyPath: "id" }).createIndex("jobId", "jobId");
      db.createObjectStore("photoUploads", { keyPath: "id" }).createIndex("jobId", "jobId");
      db.createObjectStore("photoBlobs", { keyPath: "id" });
    }
  }

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

  /** A request (or a transaction, when `done` is true) as a promise. */
  function req(request) {
    return new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  function done(tx) {
    return new Promise((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = (event) => reject(event.target.error || tx.error);
      tx.onabort = () => reject(tx.error || new Error("transaction aborted"));
    });
  }

  function open(userId, idb) {
    const request = idb.open(dbName(userId), DB_VERSION);
    request.onupgradeneeded = (event) => upgrade(request.result, event.oldVersion);
    return req(request);
  }

  function remove(userId, idb) {
    return new Promise((resolve, reject) => {
      const request = idb.deleteDatabase(dbName(userId));
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error);
      request.onblocked = () => resolve(); // finishes once the other tabs close it
    });
  }

  /** Everything in the database, for the in-memory mirror the screens render from. */
  async function readAll(db) {
    const tx = db.transaction(ALL_STORES, "readonly");
    const out = {};
    for (const name of ALL_STORES) out[name] = req(tx.objectStore(name).getAll());
    const rows = {};
    for (const name of ALL_STORES) rows[name] = await out[name];
    const meta = {};
    for (const { key, value } of rows.metadata) meta[key] = value;
    rows.metadata = meta;
    return rows;
  }

  /** Store a row as the device keeps it (materials get a key-able purchased flag). */
  function stored(storeName, row) {
    return storeName === "materials" ? { ...row, _purchased: row.purchased ? 1 : 0 } : row;
  }

  return { DB_VERSION, SCHEMA_VERSION, STORES, ROW_STORES, ALL_STORES, CHILD_STORES, dbName, open, remove, readAll, req, done, stored };
});
