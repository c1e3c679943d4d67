/* KHS CRM field app: the store. An in-memory mirror of the device database that the screens
 * render from, field edits (row + outbox operation in one transaction) and the application
 * of the server's answers (push results, pulled changes) on top of what is still pending. */
(function (root, factory) {
  const lib = factory();
  if (typeof module === "object" && module.exports) module.exports = lib;
  else (root.khsLib = root.khsLib || {}).store = lib;
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  const SETTLED = new Set(["applied", "duplicate", "conflict", "rejected"]);
  const MAX_ISSUES = 50;

  function pick(row, keys) {
    const out = {};
    for (const key of keys) out[key] = row[key] === undefined ? null : row[key];
    return out;
  }

  /** The server's row with the changes still waiting in the outbox applied on top. */
  function rebase(serverRow, pending) {
    let row = { ...serverRow };
    for (const op of pending) {
      if (op.action === "delete") return null;
      row = { ...row, ...op.changes };
    }
    return row;
  }

  /** The server's error ({code, message, details} or a plain string) as one sentence. */
  function errorText(error) {
    if (!error) return "";
    return typeof error === "string" ? error : error.message || "";
  }

  /** The fields of an outbox operation that travel to POST /api/sync/push. */
  function wire(op) {
    const { opId, seq, entity, entityId, action, changes, baseVersion, clientTimestamp } = op;
    return { opId, seq, entity, entityId, action, changes, baseVersion, clientTimestamp };
  }

  function createStore({ db, dbLib, user, uuid, now = () => new Date(), onCommit = () => {} }) {
    const { STORES, ROW_STORES, ALL_STORES, SCHEMA_VERSION, req, done, stored } = dbLib;
    const mem = { queue: [], meta: {}, uploads: new Map() };
    for (const name of ROW_STORES) mem[name] = new Map();
    const listeners = new Set();
    let edits = 0; // bumped by every edit, so a reload that raced one reads again

    function emit() {
      for (const fn of listeners) fn();
    }

    function fill(all) {
      for (const name of ROW_STORES) mem[name] = new Map(all[name].map((r) => [r.id, r]));
      mem.queue = all.syncQueue;
      mem.meta = all.metadata;
      mem.uploads = new Map(all.photoUploads.map((u) => [u.id, u]));
    }

    async function reload() {
      for (;;) {
        const seen = edits;
        const all = await dbLib.readAll(db);
        if (seen !== edits) continue;
        fill(all);
        emit();
        return;
      }
    }

    async function load() {
      const all = await dbLib.readAll(db);
      const meta = all.metadata;
      if (meta.schemaVersion !== SCHEMA_VERSION || !meta.clientId) {
        const tx = db.transaction(ALL_STORES, "readwrite");
        if (meta.schemaVersion !== SCHEMA_VERSION) {
          for (const name of ROW_STORES) tx.objectStore(name).clear();
          tx.objectStore("metadata").put({ key: "cursor", value: 0 });
        }
        tx.objectStore("metadata").put({ key: "schemaVersion", value: SCHEMA_VERSION });
        tx.objectStore("metadata").put({ key: "clientId", value: meta.clientId || uuid() });
        tx.objectStore("metadata").put({ key: "user", value: user });
        await done(tx);
        return reload();
      }
      fill(all);
      emit();
    }

    /** A field edit: the screen changes now; row + outbox operation commit in one transaction. */
    async function edit(entity, entityId, action, changes, extra = {}) {
      const storeName = STORES[entity];
      const current = mem[storeName].get(entityId) || null;
      if (action !== "create" && !current) throw new Error(`${entity} ${entityId} is not on this device`);
      const op = {
        opId: uuid(),
        entity,
        entityId,
        action,
        changes,
        baseVersion: current ? (current.version ?? null) : null,
        clientTimestamp: now().toISOString(),
        before: current ? pick(current, Object.keys(changes)) : null,
      };
      const row = action === "delete" ? null : { ...(current || { id: entityId, version: null }), ...extra, ...changes };
      edits += 1;
      if (row) mem[storeName].set(entityId, row);
      else mem[storeName].delete(entityId);
      mem.queue.push(op);
      emit();
      try {
        const tx = db.transaction([storeName, "syncQueue"], "readwrite");
        if (row) tx.objectStore(storeName).put(stored(storeName, row));
        else tx.objectStore(storeName).delete(entityId);
        const added = tx.objectStore("syncQueue").add(op);
        added.onsuccess = () => (op.seq = added.result);
        await done(tx);
      } catch (err) {
        if (current) mem[storeName].set(entityId, current);
        else mem[storeName].delete(entityId);
        mem.queue = mem.queue.filter((o) => o !== op);
        emit();
        throw err;
      }
      onCommit("edit");
      return op;
    }

    /** The outbox in seq order, read from the database (every tab's edits). */
    async function outbox() {
      const tx = db.transaction("syncQueue", "readonly");
      return req(tx.objectStore("syncQueue").getAll());
    }

    function putRow(tx, storeName, id, row) {
      if (row && !row.deletedAt) tx.objectStore(storeName).put(stored(storeName, row));
      else tx.objectStore(storeName).delete(id);
    }

    function settle(tx, op, result, pending, current, issues) {
      const storeName = STORES[op.entity];
      if (!storeName) return;
      const server = result.serverRow;
      const error = errorText(result.error);
      if (result.status === "rejected") {
        let row = null;
        if (server) row = rebase(server, pending);
        else if (op.action === "update" && current) row = rebase({ ...current, ...op.before }, pending);
        else if (op.action === "delete" && current) row = current;
        if (row || op.action === "create") putRow(tx, storeName, op.entityId, row);
        issues.push({ kind: "rejected", error: error || "The office did not accept this change." });
        return;
      }
      if (server) putRow(tx, storeName, op.entityId, rebase(server, pending));
      else if (current && result.version != null && (current.version ?? 0) < result.version) {
        putRow(tx, storeName, op.entityId, { ...current, version: result.version });
      }
      if (result.status === "conflict" || (result.conflicts || []).length) {
        // The row may be gone from the phone after this (deleted by the office): keep its name.
        const subject = (current && (current.name || current.title)) || "";
        const reason = (result.error && result.error.reason) || "";
        issues.push({ kind: "conflict", error, conflicts: result.conflicts || [], reason, subject, conflictId: result.conflictId || null });
      }
    }

    /** Apply the per-operation results of one push; returns how many operations settled. */
    async function applyPushResults(ops, results) {
      const byOp = new Map(results.map((r) => [r.opId, r]));
      const tx = db.transaction(ALL_STORES, "readwrite");
      const queue = await req(tx.objectStore("syncQueue").getAll());
      const open = new Set(queue.filter((o) => !SETTLED.has(byOp.get(o.opId)?.status)).map((o) => o.seq));
      const newIssues = [];
      let settled = 0;
      for (const op of ops) {
        const result = byOp.get(op.opId);
        if (!result || !SETTLED.has(result.status)) continue;
        settled += 1;
        tx.objectStore("syncQueue").delete(op.seq);
        const pending = queue.filter((o) => open.has(o.seq) && o.entityId === op.entityId);
        const storeName = STORES[op.entity];
        const current = storeName ? await req(tx.objectStore(storeName).get(op.entityId)) : null;
        const issues = [];
        settle(tx, op, result, pending, current || null, issues);
        for (const issue of issues) newIssues.push({ ...issue, id: op.opId, op: wire(op), at: now().toISOString() });
      }
      if (newIssues.length) {
        const old = (await req(tx.objectStore("metadata").get("issues")))?.value || [];
        const value = [...newIssues, ...old].slice(0, MAX_ISSUES);
        tx.objectStore("metadata").put({ key: "issues", value });
      }
      await done(tx);
      await reload();
      onCommit("push");
      return settled;
    }

    /** Apply one page of GET /api/sync/pull and its cursor, in one transaction. */
    async function applyPull(changes, cursor) {
      const tx = db.transaction(ALL_STORES, "readwrite");
      const queue = await req(tx.objectStore("syncQueue").getAll());
      for (const change of changes) {
        const storeName = STORES[change.entity];
        if (!storeName) continue;
        if (change.action === "upsert" && change.row) {
          const pending = queue.filter((o) => o.entityId === change.entityId);
          putRow(tx, storeName, change.entityId, rebase(change.row, pending));
        } else if (change.action === "delete" || change.action === "remove") {
          tx.objectStore(storeName).delete(change.entityId);
          if (storeName === "jobs") await dropJobRows(tx, change.entityId);
        }
      }
      tx.objectStore("metadata").put({ key: "cursor", value: cursor });
      await done(tx);
      await reload();
      onCommit("pull");
    }

    async function dropJobRows(tx, jobId) {
      for (const name of dbLib.CHILD_STORES) {
        const keys = await req(tx.objectStore(name).index("jobId").getAllKeys(jobId));
        for (const key of keys) tx.objectStore(name).delete(key);
      }
    }

    /** A photo taken on this phone: kept (bytes apart) until the upload loop has sent it.
     * No tag: the server gives it its default one. */
    async function addPhoto({ id, jobId, caption = "", tag = "", takenAt, bytes, type, name = "" }) {
      const upload = { id, jobId, caption, tag, takenAt: takenAt || now().toISOString(), type, name, size: bytes.byteLength, state: "waiting", error: "" };
      edits += 1;
      mem.uploads.set(id, upload);
      emit();
      try {
        const tx = db.transaction(["photoUploads", "photoBlobs"], "readwrite");
        tx.objectStore("photoUploads").add(upload);
        tx.objectStore("photoBlobs").add({ id, bytes });
        await done(tx);
      } catch (err) {
        mem.uploads.delete(id);
        emit();
        throw err;
      }
      emit(); // the bytes can be read back now
      onCommit("edit");
      return upload;
    }

    /** Photos still to send, oldest first, read from the database (every tab's). */
    async function waitingUploads() {
      const tx = db.transaction("photoUploads", "readonly");
      const all = await req(tx.objectStore("photoUploads").getAll());
      return all.filter((u) => u.state === "waiting").sort((a, b) => a.takenAt.localeCompare(b.takenAt));
    }

    /** The bytes of one photo on this phone, or null. */
    async function photoBytes(id) {
      const tx = db.transaction("photoBlobs", "readonly");
      const hit = await req(tx.objectStore("photoBlobs").get(id));
      return hit ? hit.bytes : null;
    }

    function dropUpload(tx, id) {
      tx.objectStore("photoUploads").delete(id);
      tx.objectStore("photoBlobs").delete(id);
    }

    /** The server has the photo: its row replaces the upload, the bytes leave the phone. */
    async function uploadDone(id, row) {
      const tx = db.transaction(["photoUploads", "photoBlobs", "photos"], "readwrite");
      dropUpload(tx, id);
      if (row) putRow(tx, "photos", row.id, row);
      await done(tx);
      await reload();
      onCommit("upload");
    }

    /** The server refused the photo for good: keep it on the phone with the reason. */
    async function uploadFailed(id, error) {
      const tx = db.transaction("photoUploads", "readwrite");
      const upload = await req(tx.objectStore("photoUploads").get(id));
      if (upload) tx.objectStore("photoUploads").put({ ...upload, state: "failed", error });
      await done(tx);
      await reload();
      onCommit("upload");
    }

    /** Send a refused photo again (say the crew member is back on the job's crew). */
    async function retryUpload(id) {
      const tx = db.transaction("photoUploads", "readwrite");
      const upload = await req(tx.objectStore("photoUploads").get(id));
      if (upload) tx.objectStore("photoUploads").put({ ...upload, state: "waiting", error: "" });
      await done(tx);
      await reload();
      onCommit("edit");
    }

    /** The crew member lets a photo go (a refused one, or one they no longer want to send). */
    async function discardUpload(id) {
      const tx = db.transaction(["photoUploads", "photoBlobs"], "readwrite");
      dropUpload(tx, id);
      await done(tx);
      await reload();
      onCommit("discard");
    }

    async function setMeta(key, value) {
      mem.meta[key] = value;
      const tx = db.transaction("metadata", "readwrite");
      tx.objectStore("metadata").put({ key, value });
      await done(tx);
      emit();
    }

    async function dismissIssue(id) {
      await setMeta("issues", (mem.meta.issues || []).filter((i) => i.id !== id));
      onCommit("dismiss");
    }

    return {
      mem,
      load,
      reload,
      edit,
      outbox,
      applyPushResults,
      applyPull,
      setMeta,
      dismissIssue,
      wire,
      addPhoto,
      waitingUploads,
      photoBytes,
      uploadDone,
      uploadFailed,
      retryUpload,
      discardUpload,
      // What would be lost if this phone's data went: changes and photos not on the server.
      pendingCount: () => mem.queue.length + mem.uploads.size,
      subscribe(fn) {
        listeners.add(fn);
        return () => listeners.delete(fn);
      },
      close: () => db.close(),
    };
  }

  return { createStore, rebase, wire };
});
