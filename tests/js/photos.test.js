// Photos taken on the phone: kept in IndexedDB (metadata and bytes apart), shown at once,
// uploaded by the sync loop under their own id, refused ones kept with the reason.
import { describe, expect, it } from "vitest";
import { IDBFactory } from "fake-indexeddb";
import { JOB, dbLib, fakeServer, openStore, recordingSync, reply, row, seed } from "./helpers.js";

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);

function photo(id, extra = {}) {
  return { id, jobId: "job-1", caption: "New joists", tag: "progress", takenAt: "2026-03-10T14:00:00.000Z", bytes: JPEG.slice().buffer, type: "image/jpeg", name: "IMG_1.jpg", ...extra };
}

/** The photo route of a server: records each multipart upload; `answer` picks the reply. */
function photoServer(answer = () => 201) {
  const server = fakeServer();
  server.uploads = [];
  const rows = new Map();
  const pushOrPull = server.fetch;
  server.fetch = async (url, init = {}) => {
    const match = /^\/api\/jobs\/([^/]+)\/photos$/.exec(url);
    if (!match) return pushOrPull(url, init);
    const form = init.body;
    const file = form.get("file");
    const sent = {
      jobId: decodeURIComponent(match[1]),
      headers: init.headers,
      fields: { id: form.get("id"), caption: form.get("caption"), tag: form.get("tag"), takenAt: form.get("takenAt") },
      file: { type: file.type, name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) },
    };
    server.uploads.push(sent);
    const status = answer(sent, server.uploads.length);
    if (status instanceof Error) throw status;
    if (status >= 400) return reply(status, { error: { code: "bad", message: `Refused with ${status}.` } });
    const id = sent.fields.id;
    const created = !rows.has(id);
    rows.set(id, row("photo", { id, jobId: sent.jobId, caption: sent.fields.caption, tag: sent.fields.tag, version: 7, fileUrl: `/api/photos/${id}/file`, thumbnailUrl: null }));
    return reply(created ? 201 : 200, { data: rows.get(id) });
  };
  return server;
}

async function setup(answer, options = {}) {
  const { store, db, idb } = await openStore();
  await seed(store, [["job", JOB]]);
  const server = photoServer(answer);
  return { store, db, idb, server, ...recordingSync(store, server.fetch, options) };
}

async function stored(db, name) {
  return dbLib.req(db.transaction(name).objectStore(name).getAll());
}

describe("a photo taken offline", () => {
  it("shows at once and is kept with its bytes apart, surviving a reload", async () => {
    const idb = new IDBFactory();
    const { store, db } = await openStore({ idb });
    const seen = [];
    store.subscribe(() => seen.push(store.mem.uploads.size));
    const saving = store.addPhoto(photo("ph-1"));
    expect(seen).toEqual([1]); // before the transaction completes
    await saving;
    expect(seen).toEqual([1, 1]); // and again once its bytes can be read back
    const [upload] = await stored(db, "photoUploads");
    expect(upload).toEqual({ id: "ph-1", jobId: "job-1", caption: "New joists", tag: "progress", takenAt: "2026-03-10T14:00:00.000Z", type: "image/jpeg", name: "IMG_1.jpg", size: 8, state: "waiting", error: "" });
    expect("bytes" in upload).toBe(false); // the mirror never holds the bytes
    store.close();

    const { store: again } = await openStore({ idb }); // the phone reloads the page
    expect([...again.mem.uploads.keys()]).toEqual(["ph-1"]);
    expect(new Uint8Array(await again.photoBytes("ph-1"))).toEqual(JPEG);
    expect(again.pendingCount()).toBe(1);
  });

  it("a device database from before photos gains the photo stores and keeps its outbox", async () => {
    const idb = new IDBFactory();
    const old = await new Promise((resolve, reject) => {
      const request = idb.open(dbLib.dbName("u-alex"), 1);
      request.onupgradeneeded = () => {
        const db = request.result;
        for (const name of ["jobs", "customers", "materials", "notes", "metadata"]) db.createObjectStore(name, { keyPath: name === "metadata" ? "key" : "id" });
        db.createObjectStore("syncQueue", { keyPath: "seq", autoIncrement: true }).createIndex("opId", "opId", { unique: true });
        request.transaction.objectStore("syncQueue").add({ opId: "op-old", entity: "job", entityId: "job-1", action: "update", changes: { status: "in_progress" } });
        request.transaction.objectStore("metadata").put({ key: "schemaVersion", value: 1 });
        request.transaction.objectStore("metadata").put({ key: "cursor", value: 40 });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    old.close();
    const { store, db } = await openStore({ idb });
    expect([...db.objectStoreNames]).toEqual(expect.arrayContaining(["photos", "photoUploads", "photoBlobs"]));
    expect(store.mem.queue.map((o) => o.opId)).toEqual(["op-old"]);
    expect(store.mem.meta.cursor).toBe(0); // photos pulled before were skipped: download again
  });
});

describe("uploading photos", () => {
  it("posts each photo once as multipart under its own id, then keeps the server's row", async () => {
    const { store, db, server, sync } = await setup();
    await store.addPhoto(photo("ph-1"));
    await store.addPhoto(photo("ph-2", { caption: "", tag: "before", takenAt: "2026-03-10T13:00:00.000Z" }));
    await sync.run();
    expect(server.uploads.map((u) => u.fields.id)).toEqual(["ph-2", "ph-1"]); // oldest first
    const [, first] = server.uploads;
    expect(first.jobId).toBe("job-1");
    expect(first.headers).toEqual({ "X-KHS-CSRF": "1" }); // the browser sets the multipart type
    expect(first.fields).toEqual({ id: "ph-1", caption: "New joists", tag: "progress", takenAt: "2026-03-10T14:00:00.000Z" });
    expect(first.file).toEqual({ type: "image/jpeg", name: "IMG_1.jpg", bytes: JPEG });
    expect(store.mem.uploads.size).toBe(0);
    expect(await stored(db, "photoBlobs")).toEqual([]);
    expect(store.mem.photos.get("ph-1")).toMatchObject({ jobId: "job-1", version: 7 });
    expect(store.pendingCount()).toBe(0);
    await sync.run();
    expect(server.uploads).toHaveLength(2); // nothing is sent twice
  });

  it("retries a network failure or a 5xx with the same id and bytes", async () => {
    const answers = [new TypeError("Failed to fetch"), 503, 201];
    const { store, server, sync, sleeps } = await setup((_, n) => answers[n - 1]);
    await store.addPhoto(photo("ph-1"));
    await sync.run();
    expect(sleeps).toHaveLength(2);
    expect(server.uploads.map((u) => u.fields.id)).toEqual(["ph-1", "ph-1", "ph-1"]);
    expect(server.uploads.every((u) => u.file.bytes.length === JPEG.length)).toBe(true);
    expect(store.mem.uploads.size).toBe(0);
  });

  it("a lost answer is harmless: the retry under the same id answers 200 with the same photo", async () => {
    let calls = 0;
    const { store, server } = await setup();
    const real = server.fetch;
    const fetch = async (url, init) => {
      const res = await real(url, init);
      if (url.includes("/photos") && ++calls === 1) throw new TypeError("connection reset");
      return res;
    };
    const { sync: sync2 } = recordingSync(store, fetch);
    await store.addPhoto(photo("ph-1"));
    await sync2.run();
    expect(server.uploads).toHaveLength(2);
    expect(new Set(server.uploads.map((u) => u.fields.id))).toEqual(new Set(["ph-1"]));
    expect(store.mem.photos.size).toBe(1);
    expect(sync2.state()).toBe("idle");
  });

  it.each([409, 404, 413, 422])("keeps a photo refused with %i on the phone with the reason, never resent", async (status) => {
    const { store, server, sync, sleeps } = await setup(() => status);
    await store.addPhoto(photo("ph-1"));
    await sync.run();
    expect(sleeps).toEqual([]);
    expect(store.mem.uploads.get("ph-1")).toMatchObject({ state: "failed", error: `Refused with ${status}.` });
    expect(store.pendingCount()).toBe(1); // still only on this phone
    await sync.run();
    expect(server.uploads).toHaveLength(1);
    await store.discardUpload("ph-1");
    expect(store.pendingCount()).toBe(0);
    expect(await store.photoBytes("ph-1")).toBeNull();
  });

  it("a refused photo sent again on request goes up under the same id", async () => {
    let status = 404; // say the crew member was off the job's crew for a moment
    const { store, server, sync } = await setup(() => status);
    await store.addPhoto(photo("ph-1"));
    await sync.run();
    expect(store.mem.uploads.get("ph-1").state).toBe("failed");
    status = 201;
    await store.retryUpload("ph-1");
    expect(store.mem.uploads.get("ph-1")).toMatchObject({ state: "waiting", error: "" });
    await sync.run();
    expect(server.uploads.map((u) => u.fields.id)).toEqual(["ph-1", "ph-1"]);
    expect(store.mem.uploads.size).toBe(0);
    expect(store.mem.photos.has("ph-1")).toBe(true);
  });

  it("on a 401 keeps the photo waiting and asks the user to sign in", async () => {
    const { store, sync, events } = await setup(() => 401);
    await store.addPhoto(photo("ph-1"));
    await sync.run();
    expect(events.unauthorized).toBe(1);
    expect(sync.state()).toBe("signedOut");
    expect(store.mem.uploads.get("ph-1").state).toBe("waiting");
  });

  it("photos pulled from the server go with their job when it leaves the phone", async () => {
    const { store } = await setup();
    const pulled = row("photo", { id: "ph-9", jobId: "job-1", caption: "", tag: "after", version: 3 });
    await store.applyPull([{ entity: "photo", entityId: "ph-9", action: "upsert", version: 3, row: pulled }], 11);
    expect(store.mem.photos.get("ph-9")).toEqual(pulled);
    await store.applyPull([{ entity: "job", entityId: "job-1", action: "remove", version: 12 }], 12);
    expect(store.mem.photos.size).toBe(0);
  });
});
