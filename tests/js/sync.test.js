import { describe, expect, it, vi } from "vitest";
import { JOB, STUDS, createSync, fakeServer, openStore, recordingSync, reply, seed } from "./helpers.js";

async function setup(options = {}) {
  const { store } = await openStore();
  await seed(store, [["job", JOB], ["material", STUDS], ["material", { ...STUDS, id: "mat-2", name: "Nails" }]]);
  const server = fakeServer();
  return { store, server, ...recordingSync(store, server.fetch, options) };
}

const networkDown = async () => {
  throw new TypeError("Failed to fetch");
};

describe("pushing the outbox", () => {
  it("sends every op in seq order with the contract's fields and empties the queue", async () => {
    const { store, server, sync } = await setup();
    await store.edit("material", "mat-2", "update", { purchased: true });
    await store.edit("job", "job-1", "update", { status: "in_progress" });
    await store.edit("material", "mat-1", "update", { purchased: true });
    await sync.run();
    const [body] = server.pushes;
    expect(body.clientId).toBe(store.mem.meta.clientId);
    expect(body.operations.map((o) => o.seq)).toEqual([1, 2, 3]);
    expect(Object.keys(body.operations[1]).sort()).toEqual(
      ["action", "baseVersion", "changes", "clientTimestamp", "entity", "entityId", "opId", "seq"],
    );
    expect(body.operations[1]).toMatchObject({ entity: "job", entityId: "job-1", changes: { status: "in_progress" }, baseVersion: 3 });
    expect(store.pendingCount()).toBe(0);
    expect(sync.state()).toBe("idle");
    expect(store.mem.meta.lastSyncAt).toBeTruthy();
  });

  it("sends cookie writes with the CSRF header", async () => {
    const calls = [];
    const { store, server, sync } = await setup();
    sync.stop();
    const spy = createSync({ store, fetch: (url, init) => (calls.push(init), server.fetch(url, init)), sleep: async () => {} });
    await store.edit("material", "mat-1", "update", { purchased: true });
    await spy.run();
    expect(calls[0]).toMatchObject({ method: "POST", credentials: "same-origin", headers: { "X-KHS-CSRF": "1" } });
  });

  it("retries a lost response with the same op ids and the server applies them once", async () => {
    const { store, server, sync } = await setup();
    let lost = 1;
    const realPush = server.push;
    server.push = (body) => {
      realPush(body); // it reached the server...
      if (lost-- > 0) throw new TypeError("connection reset"); // ...but the answer was lost
      return realPush(body);
    };
    await store.edit("material", "mat-1", "update", { purchased: true });
    await sync.run();
    expect(server.pushes.map((b) => b.operations[0].opId)).toEqual(Array(3).fill(server.pushes[0].operations[0].opId));
    expect(server.applied.size).toBe(1);
    expect(store.pendingCount()).toBe(0);
  });

  it("backs off exponentially with jitter, at most 3 retries, then stalls with the queue intact", async () => {
    const { store, sync, sleeps, events } = await setup({ fetch: networkDown });
    await store.edit("material", "mat-1", "update", { purchased: true });
    await sync.run();
    expect(sleeps).toEqual([750, 1500, 3000]); // 1 s × 2^attempt × (0.5 + random/2), random = 0.5
    expect(sync.state()).toBe("stalled");
    expect(store.pendingCount()).toBe(1);
    expect(events.states.at(-1)).toBe("stalled");
  });

  it("keeps the queue on a 5xx and tries again on the next trigger", async () => {
    let fail = true;
    const server = fakeServer();
    const { store, sync } = await setup({ fetch: (url, init) => (fail ? reply(503, {}) : server.fetch(url, init)) });
    await store.edit("material", "mat-1", "update", { purchased: true });
    await sync.run();
    expect(sync.state()).toBe("stalled");
    expect(store.pendingCount()).toBe(1);
    fail = false;
    await sync.run();
    expect(store.pendingCount()).toBe(0);
    expect(server.applied.size).toBe(1);
  });

  it("on a 401 keeps the queue and asks the user to sign in", async () => {
    const { store, sync, events, sleeps } = await setup({ fetch: async () => reply(401, { error: { message: "Sign in" } }) });
    await store.edit("material", "mat-1", "update", { purchased: true });
    await sync.run();
    expect(events.unauthorized).toBe(1);
    expect(sleeps).toEqual([]);
    expect(sync.state()).toBe("signedOut");
    expect(store.pendingCount()).toBe(1);
  });

  it("on a 413 keeps the queue and sends smaller batches", async () => {
    const server = fakeServer();
    const sizes = [];
    const fetch = async (url, init) => {
      if (init.method !== "POST") return server.fetch(url, init);
      const body = JSON.parse(init.body);
      sizes.push(body.operations.length);
      return body.operations.length > 1 ? reply(413, {}) : server.push(body);
    };
    const { store, sync } = await setup({ fetch, batchSize: 4 });
    for (const purchased of [true, false, true]) await store.edit("material", "mat-1", "update", { purchased });
    await sync.run();
    expect(sizes).toEqual([3, 2, 1, 1, 1]);
    expect(store.pendingCount()).toBe(0);
  });

  it("shows a rejected op to the user and reverts its row; the rest still go through", async () => {
    const server = fakeServer();
    const realPush = server.push;
    server.push = (body) => {
      const res = realPush(body);
      const rejectFirst = async () => {
        const data = await res.json();
        data.data.results[0] = { ...data.data.results[0], status: "rejected", error: "Job is closed.", serverRow: { ...STUDS, version: 50 } };
        return data;
      };
      return { ...res, json: rejectFirst };
    };
    const { store, sync } = await setup({ fetch: server.fetch });
    await store.edit("material", "mat-1", "update", { purchased: true });
    await store.edit("material", "mat-2", "update", { purchased: true });
    await sync.run();
    expect(store.mem.materials.get("mat-1")).toMatchObject({ purchased: false, version: 50 });
    expect(store.mem.materials.get("mat-2").purchased).toBe(true);
    expect(store.mem.meta.issues).toHaveLength(1);
    expect(store.pendingCount()).toBe(0);
  });
});

describe("pulling changes", () => {
  it("pages through with the cursor until hasMore is false", async () => {
    const { store, server, sync } = await setup();
    server.changes = [1, 2, 3, 4, 5].map((n) => ({
      entity: "material",
      entityId: `pulled-${n}`,
      action: "upsert",
      version: 10 + n,
      row: { ...STUDS, id: `pulled-${n}`, version: 10 + n },
    }));
    server.changes.push({ entity: "material", entityId: "mat-2", action: "delete", version: 16, row: null });
    await sync.run();
    expect(server.pulls.map((u) => new URL(u, "http://x").searchParams.get("cursor"))).toEqual(["10", "12", "14"]);
    expect(new URL(server.pulls[0], "http://x").searchParams.get("scope")).toBe("all");
    expect([...store.mem.materials.keys()].sort()).toEqual(["mat-1", "pulled-1", "pulled-2", "pulled-3", "pulled-4", "pulled-5"]);
    expect(store.mem.meta.cursor).toBe(16);
  });
});

describe("when it runs", () => {
  it("debounces a burst of triggers into one sync", async () => {
    const { store, server, sync } = await setup({ debounceMs: 30 });
    await store.edit("material", "mat-1", "update", { purchased: true });
    for (let i = 0; i < 5; i++) sync.trigger();
    expect(server.pushes).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 60));
    await sync.run(); // joins the run the timer started
    expect(server.pushes).toHaveLength(1);
    expect(server.pulls).toHaveLength(2); // one per cycle: the timer's and this one
  });

  it("does nothing while offline", async () => {
    const { store, server, sync } = await setup({ isOnline: () => false });
    await store.edit("material", "mat-1", "update", { purchased: true });
    await sync.run();
    expect(server.pushes).toHaveLength(0);
    expect(sync.state()).toBe("offline");
  });

  it("lets one tab sync at a time: a second tab waits for the lock", async () => {
    let inFlight = 0;
    let most = 0;
    const server = fakeServer();
    const fetch = async (url, init) => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      return server.fetch(url, init);
    };
    let tail = Promise.resolve();
    const locks = {
      request(name, options, fn) {
        const run = tail.then(() => fn({ name }));
        tail = run.catch(() => {});
        return run;
      },
    };
    const { store, sync } = await setup({ fetch, locks });
    const otherTab = createSync({ store, fetch, locks });
    await store.edit("material", "mat-1", "update", { purchased: true });
    await Promise.all([sync.run(), otherTab.run()]);
    expect(most).toBe(1);
    expect(server.applied.size).toBe(1);
    expect(store.pendingCount()).toBe(0);
  });

  it("takes the lock from a tab that never lets go (frozen, or kept in the back/forward cache)", async () => {
    const asked = [];
    const frozen = {
      request(name, options, fn) {
        asked.push(options.steal ? "steal" : "wait");
        if (options.steal) return fn({ name });
        return new Promise((_, reject) => options.signal.addEventListener("abort", () => reject(options.signal.reason)));
      },
    };
    const { store, server, sync } = await setup({ locks: frozen, lockWaitMs: 20 });
    await store.edit("material", "mat-1", "update", { purchased: true });
    await sync.run();
    expect(asked).toEqual(["wait", "steal"]);
    expect(server.applied.size).toBe(1);
  });

  it("a tab robbed of the lock mid-cycle lets its cycle finish and starts no second one", async () => {
    const asked = [];
    let finishPush;
    const server = fakeServer();
    const fetch = async (url, init) => {
      if (init.method === "POST") await new Promise((resolve) => (finishPush = resolve)); // a slow push
      return server.fetch(url, init);
    };
    const robbing = {
      request(name, options, fn) {
        asked.push(options.steal ? "steal" : "wait");
        fn({ name }); // the cycle runs on...
        const robbed = new DOMException("The lock was stolen.", "AbortError");
        return Promise.reject(robbed); // ...while another tab takes the lock
      },
    };
    const { store, sync } = await setup({ fetch, locks: robbing });
    await store.edit("material", "mat-1", "update", { purchased: true });
    await sync.run();
    expect(asked).toEqual(["wait"]); // no steal back, no second cycle
    await vi.waitFor(() => expect(finishPush).toBeTypeOf("function"));
    finishPush();
    await vi.waitFor(() => expect(store.pendingCount()).toBe(0));
    expect(server.pushes).toHaveLength(1);
  });
});
