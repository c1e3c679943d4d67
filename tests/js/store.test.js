import { describe, expect, it } from "vitest";
import { IDBFactory } from "fake-indexeddb";
import { CUSTOMER, JOB, STUDS, USER, dbLib, openStore, rebase, row, seed } from "./helpers.js";

async function dump(db) {
  return dbLib.readAll(db);
}

describe("the device database", () => {
  it("is one database per user, with the stores and indexes the app needs", async () => {
    const idb = new IDBFactory();
    const { db } = await openStore({ idb });
    expect(db.name).toBe("khs-user-u-alex");
    expect([...db.objectStoreNames].sort()).toEqual(
      ["changeOrders", "customers", "jobs", "materials", "metadata", "notes", "photoBlobs", "photoUploads", "photos", "syncQueue", "timeEntries"],
    );
    const tx = db.transaction(["materials", "syncQueue"]);
    expect([...tx.objectStore("materials").indexNames].sort()).toEqual(["jobId", "purchased", "supplier"]);
    expect([...tx.objectStore("syncQueue").indexNames].sort()).toEqual(["entityId", "opId"]);
    const names = (await idb.databases()).map((d) => d.name);
    expect(names).toEqual(["khs-user-u-alex"]);
  });

  it("keeps a client id, the schema version, the user and a cursor in metadata", async () => {
    const { store, db } = await openStore();
    const { metadata } = await dump(db);
    expect(metadata.clientId).toBeTruthy();
    expect(metadata.schemaVersion).toBe(dbLib.SCHEMA_VERSION);
    expect(metadata.user).toEqual(USER);
    expect(metadata.cursor).toBe(0);
    expect(store.mem.meta.clientId).toBe(metadata.clientId);
  });

  it("indexes materials by purchased as 0/1 (booleans are not keys)", async () => {
    const { store, db } = await openStore();
    await seed(store, [["material", STUDS], ["material", { ...STUDS, id: "mat-2", purchased: true }]]);
    const index = db.transaction("materials").objectStore("materials").index("purchased");
    expect(await dbLib.req(index.getAllKeys(0))).toEqual(["mat-1"]);
    expect(await dbLib.req(index.getAllKeys(1))).toEqual(["mat-2"]);
  });
});

describe("a field edit", () => {
  it("changes the screen's data at once, then commits the row and the outbox op together", async () => {
    const { store, db } = await openStore();
    await seed(store, [["job", JOB], ["customer", CUSTOMER], ["material", STUDS]]);
    const seen = [];
    store.subscribe(() => seen.push(store.mem.materials.get("mat-1").purchased));
    const pending = store.edit("material", "mat-1", "update", { purchased: true });
    expect(seen).toEqual([true]); // synchronously, before the transaction completes
    expect(store.pendingCount()).toBe(1);
    const op = await pending;
    const all = await dump(db);
    expect(all.materials[0].purchased).toBe(true);
    expect(all.syncQueue).toHaveLength(1);
    expect(all.syncQueue[0]).toMatchObject({
      opId: op.opId,
      seq: 1,
      entity: "material",
      entityId: "mat-1",
      action: "update",
      changes: { purchased: true },
      baseVersion: 4,
    });
  });

  it("writes neither the row nor the op when the transaction fails, and the screen reverts", async () => {
    const { store, db } = await openStore({ ids: () => "same-op-id" });
    await seed(store, [["material", STUDS]]);
    await store.edit("material", "mat-1", "update", { purchased: true });
    // The second op reuses the opId: the unique index aborts the whole transaction.
    await expect(store.edit("material", "mat-1", "update", { name: "2x6 stud" })).rejects.toBeTruthy();
    expect(store.mem.materials.get("mat-1").name).toBe("2x4 stud");
    expect(store.pendingCount()).toBe(1);
    const all = await dump(db);
    expect(all.materials[0].name).toBe("2x4 stud");
    expect(all.syncQueue).toHaveLength(1);
  });

  it("numbers operations with an increasing seq and keeps a create's client id", async () => {
    const { store, db } = await openStore();
    await seed(store, [["job", JOB]]);
    await store.edit("note", "note-new", "create", { jobId: "job-1", body: "Gate is blue" }, { authorName: "Alex" });
    await store.edit("job", "job-1", "update", { status: "in_progress" });
    const { syncQueue, notes } = await dump(db);
    expect(syncQueue.map((o) => [o.seq, o.entity, o.baseVersion])).toEqual([[1, "note", null], [2, "job", 3]]);
    expect(notes[0]).toMatchObject({ id: "note-new", body: "Gate is blue", authorName: "Alex" });
  });
});

describe("server answers", () => {
  it("rebase puts pending changes on top of the server's row", () => {
    const pending = [{ action: "update", changes: { purchased: true } }];
    expect(rebase({ ...STUDS, name: "2x4 stud 8ft", version: 9 }, pending)).toMatchObject({ name: "2x4 stud 8ft", purchased: true, version: 9 });
    expect(rebase(STUDS, [{ action: "delete", changes: {} }])).toBeNull();
  });

  it("a pulled row keeps the phone's unsent change", async () => {
    const { store } = await openStore();
    await seed(store, [["material", STUDS]]);
    await store.edit("material", "mat-1", "update", { purchased: true });
    await store.applyPull([{ entity: "material", entityId: "mat-1", action: "upsert", row: { ...STUDS, quantity: 20, version: 7 } }], 20);
    expect(store.mem.materials.get("mat-1")).toMatchObject({ quantity: 20, purchased: true, version: 7 });
    expect(store.mem.meta.cursor).toBe(20);
  });

  it("a removed job takes its materials and notes off the phone", async () => {
    const { store } = await openStore();
    await seed(store, [["job", JOB], ["material", STUDS], ["note", row("note", { id: "n1", jobId: "job-1", body: "x", version: 2 })]]);
    await store.applyPull([{ entity: "job", entityId: "job-1", action: "remove", row: null }], 30);
    expect(store.mem.jobs.size + store.mem.materials.size + store.mem.notes.size).toBe(0);
  });

  it("a rejected op reverts its row to the server's version and is kept as an issue", async () => {
    const { store } = await openStore();
    await seed(store, [["job", JOB]]);
    const op = await store.edit("job", "job-1", "update", { status: "in_progress" });
    const serverRow = { ...JOB, status: "on_hold", version: 8 };
    const settled = await store.applyPushResults([{ ...op, seq: 1 }], [{ opId: op.opId, status: "rejected", error: "The office put this job on hold.", serverRow }]);
    expect(settled).toBe(1);
    expect(store.mem.jobs.get("job-1")).toMatchObject({ status: "on_hold", version: 8 });
    expect(store.pendingCount()).toBe(0);
    expect(store.mem.meta.issues).toHaveLength(1);
    expect(store.mem.meta.issues[0]).toMatchObject({ kind: "rejected", error: "The office put this job on hold.", op: { entity: "job", changes: { status: "in_progress" } } });
  });

  it("a rejected op without a server row undoes its own change and a rejected create disappears", async () => {
    const { store } = await openStore();
    await seed(store, [["material", STUDS]]);
    const tick = await store.edit("material", "mat-1", "update", { purchased: true });
    const add = await store.edit("material", "mat-9", "create", { jobId: "job-1", name: "Nails" });
    const queue = await store.outbox();
    await store.applyPushResults(queue, [
      { opId: tick.opId, status: "rejected", error: "No." },
      { opId: add.opId, status: "rejected", error: "No." },
    ]);
    expect(store.mem.materials.get("mat-1").purchased).toBe(false);
    expect(store.mem.materials.has("mat-9")).toBe(false);
    expect(store.mem.meta.issues.map((i) => i.kind)).toEqual(["rejected", "rejected"]);
  });

  it("a conflict shows the server's row and records the conflicting fields", async () => {
    const { store } = await openStore();
    await seed(store, [["material", STUDS]]);
    const op = await store.edit("material", "mat-1", "update", { quantity: 15 });
    const conflicts = [{ field: "quantity", clientValue: 15, serverValue: 30 }];
    await store.applyPushResults([{ ...op, seq: 1 }], [{ opId: op.opId, status: "conflict", conflicts, serverRow: { ...STUDS, quantity: 30, version: 11 } }]);
    expect(store.mem.materials.get("mat-1").quantity).toBe(30);
    expect(store.mem.meta.issues[0]).toMatchObject({ kind: "conflict", conflicts });
  });

  it("work refused because the office deleted the row keeps the row's name and the reason", async () => {
    const { store } = await openStore();
    await seed(store, [["material", { ...STUDS, name: "Quartz countertop" }]]);
    const op = await store.edit("material", "mat-1", "update", { purchased: true });
    const message = "Quartz countertop on Deck build was deleted by the office; your tick was not applied.";
    const error = { code: "CONFLICT", message, details: [], reason: "deleted_by_office", params: { label: "Quartz countertop on Deck build", attempt: "tick" } };
    await store.applyPushResults([{ ...op, seq: 1 }], [{ opId: op.opId, status: "conflict", conflictId: "c-1", error, serverRow: { ...STUDS, deletedAt: "2026-03-10T12:00:00Z", version: 50 } }]);
    expect(store.mem.materials.has("mat-1")).toBe(false);
    expect(store.mem.meta.issues[0]).toMatchObject({ kind: "conflict", reason: "deleted_by_office", subject: "Quartz countertop", conflictId: "c-1", error: message });
  });

  it("an applied or duplicate result takes the op off the queue and records the new version", async () => {
    const { store } = await openStore();
    await seed(store, [["material", STUDS]]);
    const a = await store.edit("material", "mat-1", "update", { purchased: true });
    const b = await store.edit("material", "mat-1", "update", { purchased: false });
    await store.applyPushResults(await store.outbox(), [
      { opId: a.opId, status: "applied", version: 12 },
      { opId: b.opId, status: "duplicate", version: 13 },
    ]);
    expect(store.pendingCount()).toBe(0);
    expect(store.mem.materials.get("mat-1")).toMatchObject({ purchased: false, version: 13 });
    expect(store.mem.meta.issues || []).toEqual([]);
  });

  it("reads the server's error object, keeps field conflicts of an applied op, drops tombstones", async () => {
    const { store } = await openStore();
    await seed(store, [["material", STUDS], ["job", JOB]]);
    const qty = await store.edit("material", "mat-1", "update", { quantity: 2 });
    const move = await store.edit("job", "job-1", "update", { status: "in_progress" });
    const conflicts = [{ field: "quantity", serverValue: 9, clientValue: 2, serverVersion: 40 }];
    await store.applyPushResults(await store.outbox(), [
      { opId: qty.opId, status: "applied", version: 41, conflicts, serverRow: null, error: null },
      {
        opId: move.opId,
        status: "rejected",
        serverRow: { ...JOB, deletedAt: "2026-03-10T12:00:00Z", version: 42 },
        error: { code: "NOT_FOUND", message: "This job was deleted by the office.", details: [] },
      },
    ]);
    expect(store.mem.materials.get("mat-1")).toMatchObject({ quantity: 2, version: 41 });
    expect(store.mem.jobs.has("job-1")).toBe(false);
    const issues = Object.fromEntries(store.mem.meta.issues.map((i) => [i.kind, i]));
    expect(issues.rejected.error).toBe("This job was deleted by the office.");
    expect(issues.conflict.conflicts).toEqual(conflicts);
  });

  it("an op the server did not answer stays queued", async () => {
    const { store } = await openStore();
    await seed(store, [["material", STUDS]]);
    const op = await store.edit("material", "mat-1", "update", { purchased: true });
    expect(await store.applyPushResults([{ ...op, seq: 1 }], [])).toBe(0);
    expect(store.pendingCount()).toBe(1);
  });
});

describe("signing out", () => {
  it("deleting the user's database clears every row, the outbox and the metadata", async () => {
    const idb = new IDBFactory();
    const { store, db } = await openStore({ idb });
    await seed(store, [["material", STUDS]]);
    await store.edit("material", "mat-1", "update", { purchased: true });
    db.close();
    await dbLib.remove(USER.id, idb);
    expect(await idb.databases()).toEqual([]);
    const fresh = await dbLib.open(USER.id, idb);
    const all = await dump(fresh);
    expect(all.materials).toEqual([]);
    expect(all.syncQueue).toEqual([]);
    expect(all.metadata).toEqual({});
  });
});
