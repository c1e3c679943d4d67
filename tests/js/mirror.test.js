// The store's in-memory mirror after the server's answers: a push result or a pulled page
// changes the rows it touched, in memory as in the database, without reading every object
// store again (a pull used to read all eight after each page, a push too).
import { afterEach, describe, expect, it, vi } from "vitest";
import { IDBIndex, IDBObjectStore } from "fake-indexeddb";
import { CONFIG, CUSTOMER, JOB, STUDS, USER, createViews, dbLib, openStore, row, seed } from "./helpers.js";

const READS = ["get", "getAll", "getAllKeys", "getKey", "count", "openCursor", "openKeyCursor"];
const NOTE = row("note", { id: "note-1", jobId: "job-1", body: "Gate is blue.", version: 2 });
const views = createViews(CONFIG);

/** Every read of the fake IndexedDB from now on, as "store method" / "store.index method". */
function spyOnReads() {
  const reads = [];
  for (const [cls, where] of [[IDBObjectStore, (s) => s.name], [IDBIndex, (i) => `${i.objectStore.name}.${i.name}`]]) {
    for (const method of READS) {
      const original = cls.prototype[method];
      vi.spyOn(cls.prototype, method).mockImplementation(function (...args) {
        reads.push(`${where(this)} ${method}`);
        return original.apply(this, args);
      });
    }
  }
  return reads;
}

/** The mirror holds what the database holds (materials' index-only `_purchased` aside). */
async function expectMirrorIsTheDatabase(store, db) {
  vi.restoreAllMocks();
  const all = await dbLib.readAll(db);
  const rows = (list) => list.map(({ _purchased, ...r }) => r).sort((a, b) => a.id.localeCompare(b.id));
  for (const name of dbLib.ROW_STORES) expect(rows([...store.mem[name].values()]), name).toEqual(rows(all[name]));
  expect(store.mem.queue.map((op) => op.opId)).toEqual(all.syncQueue.map((op) => op.opId));
  expect(store.mem.meta).toEqual(all.metadata);
  expect([...store.mem.uploads.values()]).toEqual(all.photoUploads);
}

function jobScreen(store) {
  const ctx = { now: new Date("2026-03-10T15:00:00Z"), user: USER, online: true, syncState: "idle", syncDetail: "", jobId: "job-1", ticked: new Set(), ready: true, updateReady: false, materialError: null };
  return views.job(store.mem, ctx);
}

async function phoneWithAJob() {
  const opened = await openStore();
  await seed(opened.store, [["job", JOB], ["customer", CUSTOMER], ["material", STUDS], ["note", NOTE]]);
  return opened;
}

afterEach(() => vi.restoreAllMocks());

describe("a pulled page", () => {
  it("reads only the outbox; the screen shows the changed row, the deleted one gone, the pending tick on top", async () => {
    const { store, db } = await phoneWithAJob();
    await store.edit("material", "mat-1", "update", { purchased: true }); // not sent yet
    const changes = [
      { entity: "material", entityId: "mat-1", action: "upsert", version: 7, row: { ...STUDS, quantity: 20, version: 7 } },
      { entity: "note", entityId: "note-1", action: "delete", version: 8, row: null },
    ];
    const seen = [];
    store.subscribe(() => seen.push(store.mem.meta.cursor));
    const reads = spyOnReads();
    await store.applyPull(changes, 8);
    expect(reads).toEqual(["syncQueue getAll"]); // was 9: this one, then all 8 object stores
    expect(seen).toEqual([8]); // one render, with the page applied

    const screen = jobScreen(store);
    expect(screen.materials).toEqual([expect.objectContaining({ id: "mat-1", qty: "20 pcs", purchased: true, pending: true })]);
    expect(screen.notes).toEqual([]);
    expect(store.mem.materials.get("mat-1")).toMatchObject({ quantity: 20, version: 7, purchased: true });
    expect(store.pendingCount()).toBe(1);
    await expectMirrorIsTheDatabase(store, db);
  });

  it("a job the office removed takes its rows with it, reading only their keys", async () => {
    const { store, db } = await phoneWithAJob();
    const reads = spyOnReads();
    await store.applyPull([{ entity: "job", entityId: "job-1", action: "remove", version: 9, row: null }], 9);
    expect(reads).toEqual(["syncQueue getAll", "materials.jobId getAllKeys", "notes.jobId getAllKeys", "photos.jobId getAllKeys"]);
    expect(jobScreen(store).found).toBe(false);
    expect(store.mem.materials.size + store.mem.notes.size).toBe(0);
    expect(store.mem.customers.get("cust-1")).toMatchObject({ name: "Maria Garcia" });
    await expectMirrorIsTheDatabase(store, db);
  });

  it("an edit made while the page is written is kept over it, and the mirror reads it all back", async () => {
    const { store, db } = await phoneWithAJob();
    const pulled = store.applyPull([{ entity: "material", entityId: "mat-1", action: "upsert", version: 7, row: { ...STUDS, quantity: 20, version: 7 } }], 7);
    const edited = store.edit("material", "mat-1", "update", { purchased: true }); // its transaction waits for the pull's
    await Promise.all([pulled, edited]);
    expect(store.mem.materials.get("mat-1")).toMatchObject({ quantity: 20, version: 7, purchased: true });
    expect(jobScreen(store).materials[0]).toMatchObject({ qty: "20 pcs", purchased: true, pending: true });
    await expectMirrorIsTheDatabase(store, db);
  });
});

describe("a push result", () => {
  it("reads the outbox and the operation's row; the screen shows the new version, nothing pending", async () => {
    const { store, db } = await phoneWithAJob();
    const op = await store.edit("material", "mat-1", "update", { purchased: true });
    const sent = await store.outbox();
    const reads = spyOnReads();
    expect(await store.applyPushResults(sent, [{ opId: op.opId, status: "applied", version: 12, conflicts: [], serverRow: null, error: null }])).toBe(1);
    expect(reads).toEqual(["syncQueue getAll", "materials get"]); // was 10
    expect(store.mem.materials.get("mat-1")).toMatchObject({ purchased: true, version: 12 });
    expect(jobScreen(store).materials[0]).toMatchObject({ purchased: true, pending: false });
    expect(store.pendingCount()).toBe(0);
    await expectMirrorIsTheDatabase(store, db);
  });

  it("a conflict puts the server's row under the change still pending and keeps the issue", async () => {
    const { store, db } = await phoneWithAJob();
    const first = await store.edit("material", "mat-1", "update", { quantity: 15 });
    await store.edit("material", "mat-1", "update", { purchased: true }); // sent in a later push
    const [sent] = await store.outbox();
    const conflicts = [{ field: "quantity", serverValue: 30, clientValue: 15, serverVersion: 11 }];
    const reads = spyOnReads();
    await store.applyPushResults([sent], [{ opId: first.opId, status: "conflict", version: 11, conflicts, serverRow: { ...STUDS, quantity: 30, version: 11, deletedAt: null }, error: null }]);
    expect(reads).toEqual(["syncQueue getAll", "materials get", "metadata get"]);
    expect(store.mem.materials.get("mat-1")).toMatchObject({ quantity: 30, purchased: true, version: 11 });
    expect(store.mem.queue).toHaveLength(1);
    expect(store.mem.meta.issues).toEqual([expect.objectContaining({ kind: "conflict", conflicts, subject: "2x4 stud" })]);
    await expectMirrorIsTheDatabase(store, db);
  });

  it("an office deletion takes the row off the screen", async () => {
    const { store, db } = await phoneWithAJob();
    const op = await store.edit("note", "note-1", "update", { body: "Gate is red." });
    await store.applyPushResults(await store.outbox(), [{ opId: op.opId, status: "rejected", version: null, conflicts: [], serverRow: { ...NOTE, deletedAt: "2026-03-10T12:00:00Z", version: 9 }, error: "Deleted by the office." }]);
    expect(jobScreen(store).notes).toEqual([]);
    await expectMirrorIsTheDatabase(store, db);
  });
});

describe("photo uploads", () => {
  it("a sent photo's row replaces its upload without reading the database again", async () => {
    const { store, db } = await phoneWithAJob();
    await store.addPhoto({ id: "ph-1", jobId: "job-1", caption: "Old deck", takenAt: "2026-03-10T14:00:00Z", bytes: new Uint8Array([1, 2]).buffer, type: "image/jpeg" });
    const reads = spyOnReads();
    await store.uploadDone("ph-1", row("photo", { id: "ph-1", jobId: "job-1", caption: "Old deck", takenAt: "2026-03-10T14:00:00Z" }));
    expect(reads).toEqual([]);
    expect(store.mem.uploads.size).toBe(0);
    expect(jobScreen(store).photos).toEqual([expect.objectContaining({ id: "ph-1", caption: "Old deck", waiting: false })]);
    await expectMirrorIsTheDatabase(store, db);
  });

  it("a refused photo is marked on the phone from the one upload it reads", async () => {
    const { store, db } = await phoneWithAJob();
    await store.addPhoto({ id: "ph-1", jobId: "job-1", bytes: new Uint8Array([1]).buffer, type: "image/jpeg" });
    const reads = spyOnReads();
    await store.uploadFailed("ph-1", "Not on this job's crew.");
    expect(reads).toEqual(["photoUploads get"]);
    expect(jobScreen(store).photos[0]).toMatchObject({ failed: true, stateText: "Not uploaded: Not on this job's crew." });
    await store.retryUpload("ph-1");
    expect(store.mem.uploads.get("ph-1")).toMatchObject({ state: "waiting", error: "" });
    await store.discardUpload("ph-1");
    expect(store.pendingCount()).toBe(0);
    await expectMirrorIsTheDatabase(store, db);
  });
});
