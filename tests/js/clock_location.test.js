// The time clock's taps and its optional location stamp (assets/khs_clock.js), over the real
// store on a fake IndexedDB: a punch is written at once, whatever the position does; the
// question is asked once; a stamp is rounded and sent only for a person who shares it.
import { afterEach, describe, expect, it, vi } from "vitest";
import { asksLocation, choiceOf, coarse, createClock, findPosition, POSITION_WAIT_MS } from "../../assets/khs_clock.js";
import { CONFIG, JOB, USER, createViews, openStore, seed } from "./helpers.js";

const views = createViews(CONFIG);
const CHICAGO = { coords: { latitude: 41.878113, longitude: -87.629798 } };

/** A phone's geolocation: answers with `fix`, refuses (`"denied"`) or never answers (`"silent"`). */
function fakeGeo(fix) {
  const geo = { asked: 0, options: null };
  geo.getCurrentPosition = (ok, fail, options) => {
    geo.asked += 1;
    geo.options = options;
    if (fix === "denied") queueMicrotask(() => fail({ code: 1, message: "User denied Geolocation" }));
    else if (fix !== "silent") queueMicrotask(() => ok(fix));
  };
  return geo;
}

async function phone({ geo = fakeGeo(CHICAGO), shareLocation, waitMs } = {}) {
  const { store } = await openStore();
  await seed(store, [["job", JOB]]);
  const user = { ...USER, shareLocation };
  let tick = 0;
  const clock = createClock({
    store: () => store,
    user: () => user,
    openEntry: (mem) => views.openEntry(mem, { user }),
    edit: (entity, id, action, changes) => store.edit(entity, id, action, changes),
    setOwn: (changes) => store.setOwn(changes),
    render: () => {},
    geo: () => geo,
    now: () => new Date(Date.UTC(2026, 2, 10, 13, 0, tick++)),
    waitMs,
  });
  const ops = () => store.mem.queue.map((op) => [op.entity, op.action, op.changes]);
  return { store, clock, geo, ops };
}

afterEach(() => vi.useRealTimers());

describe("where the phone is", () => {
  it("is rounded to 3 decimals (~110 m), as the server keeps it", async () => {
    expect(coarse(41.878113)).toBe(41.878);
    expect(await findPosition(fakeGeo(CHICAGO))).toEqual({ lat: 41.878, lng: -87.63 });
  });

  it("is nothing when refused, missing, or slower than the wait", async () => {
    expect(await findPosition(fakeGeo("denied"))).toBeNull();
    expect(await findPosition(null)).toBeNull();
    vi.useFakeTimers();
    const waiting = findPosition(fakeGeo("silent"));
    vi.advanceTimersByTime(POSITION_WAIT_MS);
    expect(await waiting).toBeNull();
    expect(POSITION_WAIT_MS).toBeLessThanOrEqual(3000);
  });

  it("asks the phone for a cheap, recent fix within the wait", async () => {
    const geo = fakeGeo(CHICAGO);
    await findPosition(geo);
    expect(geo.options).toMatchObject({ enableHighAccuracy: false, timeout: POSITION_WAIT_MS });
  });
});

describe("the question, asked once", () => {
  it("is asked while clocked in and not answered; an unsent answer counts", () => {
    expect(choiceOf({ ...USER, shareLocation: null }, null)).toBeNull();
    expect(choiceOf({ ...USER, shareLocation: null }, true)).toBe(true);
    expect(choiceOf({ ...USER, shareLocation: true }, false)).toBe(false);
    expect(choiceOf(USER, null)).toBeNull(); // a user saved before the setting existed
    expect(asksLocation(null, true)).toBe(true);
    expect(asksLocation(null, false)).toBe(false);
    expect(asksLocation(false, true)).toBe(false);
  });

  it("comes after the first clock-in, which is saved without a position", async () => {
    const { clock, geo, ops } = await phone({ shareLocation: null });
    await clock.clockIn(JOB.id);
    expect(ops()).toEqual([["time_entry", "create", expect.objectContaining({ jobId: JOB.id, endedAt: null })]]);
    expect(geo.asked).toBe(0);
    expect(clock.asking()).toBe(true);
  });

  it("Yes: sent like the language, and the clock-in that asked gets its stamp", async () => {
    const { store, clock, ops } = await phone({ shareLocation: null });
    await clock.clockIn(JOB.id);
    await clock.setShareLocation(true);
    expect(clock.asking()).toBe(false);
    expect(ops().slice(1)).toEqual([
      ["user", "update", { shareLocation: true }],
      ["time_entry", "update", { inLat: 41.878, inLng: -87.63 }],
    ]);
    expect(store.mem.meta.user.shareLocation).toBe(true);
    expect(store.unsentSetting("shareLocation")).toBe(true);
  });

  it("No, or clocking out without an answer, is kept as No and never asked again", async () => {
    const { clock, geo, ops } = await phone({ shareLocation: null });
    await clock.clockIn(JOB.id);
    await clock.clockOut();
    expect(ops().map(([entity, , changes]) => [entity, Object.keys(changes)])).toEqual([
      ["time_entry", ["userId", "jobId", "startedAt", "endedAt", "breaks", "note"]],
      ["time_entry", ["endedAt", "breaks"]],
      ["user", ["shareLocation"]],
    ]);
    expect(ops()[2][2]).toEqual({ shareLocation: false });
    await clock.clockIn(JOB.id);
    expect(clock.asking()).toBe(false);
    expect(geo.asked).toBe(0);
  });
});

describe("a stamped clock", () => {
  it("clock in and out each get a second operation with the rounded position", async () => {
    const { clock, ops } = await phone({ shareLocation: true });
    await clock.clockIn(JOB.id);
    await clock.toggleBreak();
    await clock.clockOut();
    expect(ops().map(([, action, changes]) => [action, Object.keys(changes).join(",")])).toEqual([
      ["create", "userId,jobId,startedAt,endedAt,breaks,note"],
      ["update", "inLat,inLng"],
      ["update", "breaks"],
      ["update", "endedAt,breaks"],
      ["update", "outLat,outLng"],
    ]);
  });

  it("with the location refused, the punch stands and carries none", async () => {
    const { store, clock, ops } = await phone({ shareLocation: true, geo: fakeGeo("denied") });
    await clock.clockIn(JOB.id);
    expect(ops().map(([, action]) => action)).toEqual(["create"]);
    expect([...store.mem.timeEntries.values()][0]).toMatchObject({ endedAt: null, jobId: JOB.id });
  });

  it("never holds the punch: it is on the phone before the position could come", async () => {
    const { store, clock, ops } = await phone({ shareLocation: true, geo: fakeGeo("silent"), waitMs: 20 });
    const tapped = clock.clockIn(JOB.id); // the phone never answers
    expect(store.mem.timeEntries.size).toBe(1); // on screen at once, before any position
    expect(views.clock(store.mem, { now: new Date(), user: USER }).running).toBe(true);
    await tapped; // the wait ran out: no stamp, the punch stands
    expect(ops().map(([, action]) => action)).toEqual(["create"]);
  });

  it("someone who said No is never stamped", async () => {
    const { clock, geo, ops } = await phone({ shareLocation: false });
    await clock.clockIn(JOB.id);
    await clock.clockOut();
    expect(geo.asked).toBe(0);
    expect(ops().map(([, action]) => action)).toEqual(["create", "update"]);
  });

  it("switching jobs clocks out of the first, says so, and stamps both ends", async () => {
    const { store, clock, ops } = await phone({ shareLocation: true });
    const porch = { ...JOB, id: "job-2", title: "Porch" };
    await seed(store, [["job", porch]]);
    await clock.clockIn(JOB.id);
    await clock.clockIn(porch.id);
    expect(clock.notice()).toBe("Clocked out of “Deck build” and in on “Porch”.");
    expect(ops().slice(2).map(([, action, changes]) => [action, Object.keys(changes).join(",")])).toEqual([
      ["update", "endedAt,breaks"],
      ["create", "userId,jobId,startedAt,endedAt,breaks,note"],
      ["update", "outLat,outLng"],
      ["update", "inLat,inLng"],
    ]);
  });
});

describe("what the screens say", () => {
  it("the outbox names a location stamp and the choice", () => {
    const d = { jobs: new Map([[JOB.id, JOB]]), timeEntries: new Map([["t1", { id: "t1", jobId: JOB.id }]]) };
    expect(views.describe({ entity: "time_entry", entityId: "t1", action: "update", changes: { inLat: 1, inLng: 2 } }, d)).toBe(
      "Location for the time on “Deck build”",
    );
    expect(views.describe({ entity: "user", entityId: USER.id, action: "update", changes: { shareLocation: true } }, d)).toBe(
      "Add your location to clock-ins",
    );
  });

  it("the settings screen shows the choice, off unless it is on", () => {
    expect(views.settings({}, { shareLocation: true }).shareLocation).toBe(true);
    expect(views.settings({}, { shareLocation: null }).shareLocation).toBe(false);
  });
});
