// @ts-check
/* KHS CRM field app: the store. An in-memory mirror of the device database that the screens
 * render from, field edits (row + outbox operation in one transaction) and the application
 * of the server's answers (push results, pulled changes) on top of what is still pending.
 * The database is the truth: the mirror takes a transaction's writes once it has committed
 * (only the rows it touched), and reads everything again only at load, when another tab
 * says it changed something, or when an edit in this tab raced the transaction. */
import { ALL_STORES, CHILD_STORES, ROW_STORES, SCHEMA_VERSION, STORES, done, emptyMirror, readAll, req, stored } from "./khs_db.js";
import { t } from "./khs_i18n.js";

/** @typedef {import("./khs_types.js").Entity} Entity */
/** @typedef {import("./khs_types.js").RowStore} RowStore */
/** @typedef {import("./khs_types.js").Row} Row */
/** @typedef {import("./khs_types.js").ServerRow} ServerRow */
/** @typedef {import("./khs_types.js").Operation} Operation */
/** @typedef {import("./khs_types.js").QueuedOperation} QueuedOperation */
/** @typedef {import("./khs_types.js").WireOperation} WireOperation */
/** @typedef {import("./khs_types.js").OpResult} OpResult */
/** @typedef {import("./khs_types.js").Change} Change */
/** @typedef {import("./khs_types.js").Issue} Issue */
/** @typedef {import("./khs_types.js").Meta} Meta */
/** @typedef {import("./khs_types.js").Mirror} Mirror */
/** @typedef {import("./khs_types.js").PhotoUpload} PhotoUpload */
/** @typedef {import("./khs_types.js").Snapshot} Snapshot */
/** @typedef {import("./khs_types.js").User} User */
/** @typedef {Omit<Issue, "id" | "op" | "at">} NewIssue */
/** @typedef {"edit" | "push" | "pull" | "upload" | "discard" | "dismiss"} CommitReason */

const SETTLED = new Set(["applied", "duplicate", "conflict", "rejected"]);
const MAX_ISSUES = 50;

/**
 * @param {Record<string, any>} row
 * @param {string[]} keys
 * @returns {Record<string, unknown>}
 */
function pick(row, keys) {
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const key of keys) out[key] = row[key] === undefined ? null : row[key];
  return out;
}

/**
 * The server's row with the changes still waiting in the outbox applied on top.
 * @param {ServerRow} serverRow
 * @param {Array<Pick<Operation, "action" | "changes">>} pending
 * @returns {ServerRow | null}
 */
export function rebase(serverRow, pending) {
  let row = { ...serverRow };
  for (const op of pending) {
    if (op.action === "delete") return null;
    row = { ...row, ...op.changes };
  }
  return row;
}

/**
 * The server's error ({code, message, details} or a plain string) as one sentence.
 * @param {OpResult["error"]} error
 */
function errorText(error) {
  if (!error) return "";
  return typeof error === "string" ? error : error.message || "";
}

/**
 * The fields of an outbox operation that travel to POST /api/sync/push.
 * @param {QueuedOperation} op
 * @returns {WireOperation}
 */
export function wire(op) {
  const { opId, seq, entity, entityId, action, changes, baseVersion, clientTimestamp } = op;
  return { opId, seq, entity, entityId, action, changes, baseVersion, clientTimestamp };
}

/**
 * @param {object} options
 * @param {IDBDatabase} options.db the signed-in user's database (khs_db.js `open`)
 * @param {User} options.user
 * @param {() => string} options.uuid
 * @param {() => Date} [options.now]
 * @param {(why: CommitReason) => void} [options.onCommit] after each committed change
 */
export function createStore({ db, user, uuid, now = () => new Date(), onCommit = () => {} }) {
  /** @type {Mirror} */
  const mem = emptyMirror();
  /** @type {Set<() => void>} */
  const listeners = new Set();
  let edits = 0; // bumped by every edit, so a reload that raced one reads again

  function emit() {
    for (const fn of listeners) fn();
  }

  /** One object store's rows in the mirror, as a map of any row. @param {RowStore} name */
  function rows(name) {
    return /** @type {Map<string, Row>} */ (mem[name]);
  }

  /** @param {Snapshot} all */
  function fill(all) {
    for (const name of ROW_STORES) {
      const map = rows(name);
      map.clear();
      for (const row of all[name]) map.set(row.id, row);
    }
    mem.queue = all.syncQueue;
    mem.meta = all.metadata;
    mem.uploads = new Map(all.photoUploads.map((u) => [u.id, u]));
  }

  /** Read the whole database again (another tab changed it, or at load). */
  async function reload() {
    for (;;) {
      const seen = edits;
      const all = await readAll(db);
      if (seen !== edits) continue;
      fill(all);
      emit();
      return;
    }
  }

  async function load() {
    const all = await readAll(db);
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

  /**
   * A read-write transaction whose writes the mirror takes once it has committed. Should an
   * edit in this tab have run meanwhile (its row and operation went to the mirror first, to
   * the database after this), the mirror reads the database again instead.
   * @param {string[]} storeNames
   */
  function writing(storeNames) {
    const tx = db.transaction(storeNames, "readwrite");
    const seen = edits;
    /** @type {Array<() => void>} */
    const mirror = [];
    /** @type {Set<string>} */
    const dequeued = new Set();
    return {
      tx,
      /** The row as it is now, or gone (none, or a tombstone).
       * @param {RowStore} storeName @param {string} id @param {ServerRow | null} row */
      putRow(storeName, id, row) {
        if (row && !row.deletedAt) {
          const value = stored(storeName, row);
          tx.objectStore(storeName).put(value);
          mirror.push(() => rows(storeName).set(id, value));
        } else {
          tx.objectStore(storeName).delete(id);
          mirror.push(() => rows(storeName).delete(id));
        }
      },
      /** @param {Operation} op settled: out of the outbox */
      dequeue(op) {
        tx.objectStore("syncQueue").delete(op.seq);
        dequeued.add(op.opId);
      },
      /** @template {keyof Meta} K @param {K} key @param {Meta[K]} value */
      putMeta(key, value) {
        tx.objectStore("metadata").put({ key, value });
        mirror.push(() => (mem.meta[key] = value));
      },
      /** @param {PhotoUpload} upload */
      putUpload(upload) {
        tx.objectStore("photoUploads").put(upload);
        mirror.push(() => mem.uploads.set(upload.id, upload));
      },
      /** The upload and its bytes leave the phone. @param {string} id */
      dropUpload(id) {
        tx.objectStore("photoUploads").delete(id);
        tx.objectStore("photoBlobs").delete(id);
        mirror.push(() => mem.uploads.delete(id));
      },
      /** Wait for the commit, then show what it wrote. */
      async commit() {
        await done(tx);
        if (seen !== edits) return reload();
        if (dequeued.size) mem.queue = mem.queue.filter((op) => !dequeued.has(op.opId));
        for (const apply of mirror) apply();
        emit();
      },
    };
  }

  /**
   * A field edit: the screen changes now; row + outbox operation commit in one transaction.
   * @param {Entity} entity
   * @param {string} entityId
   * @param {Operation["action"]} action
   * @param {Record<string, unknown>} changes
   * @param {Record<string, unknown>} [extra] fields the row gets on this phone only
   * @param {{ holdMs?: number }} [options] keep it unsent this long (an Undo may take it back)
   * @returns {Promise<QueuedOperation>}
   */
  async function edit(entity, entityId, action, changes, extra = {}, { holdMs = 0 } = {}) {
    const storeName = STORES[entity];
    const current = rows(storeName).get(entityId) || null;
    if (action !== "create" && !current) throw new Error(`${entity} ${entityId} is not on this device`);
    /** @type {QueuedOperation} */
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
    if (holdMs) op.holdUntil = now().getTime() + holdMs;
    // A row created here has only the fields the phone fills in until the server answers.
    const row =
      action === "delete" ? null : /** @type {Row} */ ({ ...(current || { id: entityId, version: null }), ...extra, ...changes });
    edits += 1;
    if (row) rows(storeName).set(entityId, row);
    else rows(storeName).delete(entityId);
    mem.queue.push(op);
    emit();
    try {
      const tx = db.transaction([storeName, "syncQueue"], "readwrite");
      const added = tx.objectStore("syncQueue").add(op);
      added.onsuccess = () => (op.seq = /** @type {number} */ (added.result));
      if (row) {
        // The changes go over the row as the database has it: a pull or push written since
        // the screen last showed it stays (the mirror reads it back, see `writing`).
        const saved = current && (await req(tx.objectStore(storeName).get(entityId)));
        tx.objectStore(storeName).put(stored(storeName, saved ? { ...saved, ...extra, ...changes } : row));
      } else tx.objectStore(storeName).delete(entityId);
      await done(tx);
    } catch (err) {
      if (current) rows(storeName).set(entityId, current);
      else rows(storeName).delete(entityId);
      mem.queue = mem.queue.filter((o) => o !== op);
      emit();
      throw err;
    }
    onCommit("edit");
    return op;
  }

  /**
   * The outbox in seq order, read from the database (every tab's edits).
   * @returns {Promise<Operation[]>}
   */
  async function outbox() {
    const tx = db.transaction("syncQueue", "readonly");
    return req(tx.objectStore("syncQueue").getAll());
  }

  /**
   * What one push result does to the operation's row; a result to show goes to `issues`.
   * @param {ReturnType<typeof writing>} w
   * @param {Operation} op
   * @param {OpResult} result
   * @param {Operation[]} pending this row's operations still in the outbox
   * @param {Row | null} current the row on this phone
   * @param {NewIssue[]} issues
   */
  function settle(w, op, result, pending, current, issues) {
    const storeName = op.entity === "user" ? null : STORES[op.entity];
    const error = errorText(result.error);
    if (!storeName) {
      // The person's own settings: no row here, but a refusal is still said.
      if (result.status === "rejected") issues.push({ kind: "rejected", error: error || t("The office did not accept this change.") });
      return;
    }
    const server = result.serverRow;
    if (result.status === "rejected") {
      let row = null;
      if (server) row = rebase(server, pending);
      else if (op.action === "update" && current) row = rebase(/** @type {Row} */ ({ ...current, ...op.before }), pending);
      else if (op.action === "delete" && current) row = current;
      if (row || op.action === "create") w.putRow(storeName, op.entityId, row);
      issues.push({ kind: "rejected", error: error || t("The office did not accept this change.") });
      return;
    }
    if (server) w.putRow(storeName, op.entityId, rebase(server, pending));
    else if (current && result.version != null && (current.version ?? 0) < result.version) {
      w.putRow(storeName, op.entityId, { ...current, version: result.version });
    }
    if (result.status === "conflict" || (result.conflicts || []).length) {
      // The row may be gone from the phone after this (deleted by the office): keep its name.
      const subject = (current && ("name" in current ? current.name : "title" in current ? current.title : "")) || "";
      const reason = (result.error && typeof result.error === "object" && result.error.reason) || "";
      issues.push({ kind: "conflict", error, conflicts: result.conflicts || [], reason, subject, conflictId: result.conflictId || null });
    }
  }

  /**
   * Apply the per-operation results of one push; returns how many operations settled.
   * @param {Operation[]} ops what was sent
   * @param {OpResult[]} results
   */
  async function applyPushResults(ops, results) {
    const byOp = new Map(results.map((r) => [r.opId, r]));
    const w = writing(ALL_STORES);
    const queue = await req(w.tx.objectStore("syncQueue").getAll());
    const open = new Set(queue.filter((o) => !SETTLED.has(byOp.get(o.opId)?.status || "")).map((o) => o.seq));
    /** @type {Issue[]} */
    const newIssues = [];
    let settled = 0;
    for (const op of ops) {
      const result = byOp.get(op.opId);
      if (!result || !SETTLED.has(result.status)) continue;
      settled += 1;
      w.dequeue(op);
      const pending = queue.filter((o) => open.has(o.seq) && o.entityId === op.entityId);
      const storeName = op.entity === "user" ? null : STORES[op.entity];
      const current = storeName ? await req(w.tx.objectStore(storeName).get(op.entityId)) : null;
      /** @type {NewIssue[]} */
      const issues = [];
      settle(w, op, result, pending, current || null, issues);
      for (const issue of issues) newIssues.push({ ...issue, id: op.opId, op: wire(op), at: now().toISOString() });
    }
    if (newIssues.length) {
      const old = (await req(w.tx.objectStore("metadata").get("issues")))?.value || [];
      w.putMeta("issues", [...newIssues, ...old].slice(0, MAX_ISSUES));
    }
    await w.commit();
    onCommit("push");
    return settled;
  }

  /**
   * Apply one page of GET /api/sync/pull and its cursor, in one transaction.
   * @param {Change[]} changes
   * @param {number} cursor
   */
  async function applyPull(changes, cursor) {
    const w = writing(ALL_STORES);
    /** @type {Operation[]} */
    const queue = await req(w.tx.objectStore("syncQueue").getAll());
    for (const change of changes) {
      const storeName = STORES[change.entity];
      if (!storeName) continue;
      if (change.action === "upsert" && change.row) {
        const pending = queue.filter((o) => o.entityId === change.entityId);
        w.putRow(storeName, change.entityId, rebase(change.row, pending));
      } else if (change.action === "delete" || change.action === "remove") {
        w.putRow(storeName, change.entityId, null);
        if (storeName === "jobs") await dropJobRows(w, change.entityId);
      }
    }
    w.putMeta("cursor", cursor);
    await w.commit();
    onCommit("pull");
  }

  /** A job gone from the phone takes its materials, notes and photos with it.
   * @param {ReturnType<typeof writing>} w @param {string} jobId */
  async function dropJobRows(w, jobId) {
    for (const name of CHILD_STORES) {
      const keys = await req(w.tx.objectStore(name).index("jobId").getAllKeys(jobId));
      for (const key of keys) w.putRow(name, String(key), null);
    }
  }

  /**
   * A photo taken on this phone: kept (bytes apart) until the upload loop has sent it.
   * No tag: the server gives it its default one.
   * @param {{ id: string, jobId: string, caption?: string, tag?: string, takenAt?: string,
   *   bytes: ArrayBuffer, type: string, name?: string }} photo
   * @returns {Promise<PhotoUpload>}
   */
  async function addPhoto({ id, jobId, caption = "", tag = "", takenAt, bytes, type, name = "" }) {
    /** @type {PhotoUpload} */
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

  /**
   * Photos still to send, oldest first, read from the database (every tab's).
   * @returns {Promise<PhotoUpload[]>}
   */
  async function waitingUploads() {
    const tx = db.transaction("photoUploads", "readonly");
    /** @type {PhotoUpload[]} */
    const all = await req(tx.objectStore("photoUploads").getAll());
    return all.filter((u) => u.state === "waiting").sort((a, b) => a.takenAt.localeCompare(b.takenAt));
  }

  /**
   * The bytes of one photo on this phone, or null.
   * @param {string} id
   * @returns {Promise<ArrayBuffer | null>}
   */
  async function photoBytes(id) {
    const tx = db.transaction("photoBlobs", "readonly");
    const hit = await req(tx.objectStore("photoBlobs").get(id));
    return hit ? hit.bytes : null;
  }

  /**
   * The server has the photo: its row replaces the upload, the bytes leave the phone.
   * @param {string} id
   * @param {import("./khs_types.js").Photo | null} row
   */
  async function uploadDone(id, row) {
    const w = writing(["photoUploads", "photoBlobs", "photos"]);
    w.dropUpload(id);
    if (row) w.putRow("photos", row.id, row);
    await w.commit();
    onCommit("upload");
  }

  /**
   * A photo upload with these fields changed (if it is still on the phone).
   * @param {string} id
   * @param {Pick<PhotoUpload, "state" | "error">} changes
   */
  async function changeUpload(id, changes) {
    const w = writing(["photoUploads", "photoBlobs"]);
    /** @type {PhotoUpload | undefined} */
    const upload = await req(w.tx.objectStore("photoUploads").get(id));
    if (upload) w.putUpload({ ...upload, ...changes });
    else w.dropUpload(id); // let go in another tab (and any bytes left behind)
    await w.commit();
  }

  /** The server refused the photo for good: keep it on the phone with the reason.
   * @param {string} id @param {string} error */
  async function uploadFailed(id, error) {
    await changeUpload(id, { state: "failed", error });
    onCommit("upload");
  }

  /** Send a refused photo again (say the crew member is back on the job's crew).
   * @param {string} id */
  async function retryUpload(id) {
    await changeUpload(id, { state: "waiting", error: "" });
    onCommit("edit");
  }

  /** The crew member lets a photo go (a refused one, or one they no longer want to send).
   * @param {string} id */
  async function discardUpload(id) {
    const w = writing(["photoUploads", "photoBlobs"]);
    w.dropUpload(id);
    await w.commit();
    onCommit("discard");
  }

  /** @template {keyof Meta} K @param {K} key @param {Meta[K]} value */
  async function setMeta(key, value) {
    mem.meta[key] = value;
    const tx = db.transaction("metadata", "readwrite");
    tx.objectStore("metadata").put({ key, value });
    await done(tx);
    emit();
  }

  /**
   * The person's own settings, chosen on this phone (their language, whether clock-ins carry
   * where they are): the user kept in `metadata` and a `user`/`update` operation for the
   * office, in one transaction.
   * @param {{ language?: string, shareLocation?: boolean }} changes
   * @returns {Promise<QueuedOperation>}
   */
  async function setOwn(changes) {
    const me = /** @type {User} */ ({ ...(mem.meta.user || user), ...changes });
    /** @type {QueuedOperation} */
    const op = {
      opId: uuid(),
      entity: "user",
      entityId: me.id,
      action: "update",
      changes,
      baseVersion: null,
      clientTimestamp: now().toISOString(),
      before: null,
    };
    const tx = db.transaction(["syncQueue", "metadata"], "readwrite");
    const added = tx.objectStore("syncQueue").add(op);
    added.onsuccess = () => (op.seq = /** @type {number} */ (added.result));
    tx.objectStore("metadata").put({ key: "user", value: me });
    await done(tx);
    mem.meta.user = me;
    mem.queue.push(op);
    emit();
    onCommit("edit");
    return op;
  }

  /** The person's language, chosen on this phone (see `setOwn`). @param {string} language */
  function setLanguage(language) {
    return setOwn({ language });
  }

  /**
   * Take back an edit that has not been sent (Undo): its operation leaves the outbox and the
   * row gets back the values it had before, in one transaction. False when it was sent already.
   * @param {string} opId
   * @returns {Promise<boolean>}
   */
  async function cancel(opId) {
    const op = mem.queue.find((o) => o.opId === opId);
    const storeName = op && op.entity !== "user" ? STORES[op.entity] : null;
    if (!op || !storeName) return false;
    const w = writing([storeName, "syncQueue"]);
    const queued = await req(w.tx.objectStore("syncQueue").index("opId").get(opId));
    if (!queued) {
      await w.commit();
      return false;
    }
    w.dequeue(queued);
    const row = await req(w.tx.objectStore(storeName).get(op.entityId));
    if (op.action === "create") w.putRow(storeName, op.entityId, null);
    else if (row) w.putRow(storeName, op.entityId, { ...row, ...(op.before || {}) });
    await w.commit();
    onCommit("edit");
    return true;
  }

  /** A setting this phone last chose for its user and has not yet sent, if any (null).
   * @param {"language" | "shareLocation"} name @returns {unknown} */
  function unsentSetting(name) {
    const ops = mem.queue.filter((op) => op.entity === "user" && name in (op.changes || {}));
    return ops.length ? ops[ops.length - 1].changes[name] : null;
  }

  /** The language this phone last chose for its user and has not yet sent, if any. */
  function unsentLanguage() {
    const language = unsentSetting("language");
    return typeof language === "string" ? language : null;
  }

  /** @param {string} id */
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
    setOwn,
    setLanguage,
    unsentSetting,
    unsentLanguage,
    cancel,
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
    /** @param {() => void} fn called after every change of the mirror @returns {() => void} */
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    close: () => db.close(),
  };
}

/** @typedef {ReturnType<typeof createStore>} Store */
