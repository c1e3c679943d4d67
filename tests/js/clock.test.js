import { describe, expect, it } from "vitest";
import { CONFIG, CUSTOMER, JOB, USER, createViews } from "./helpers.js";

const views = createViews(CONFIG);
const NOW = new Date("2026-03-10T16:00:00Z"); // Tuesday 11:00 in Chicago

function data(entries = [], queue = []) {
  const map = (rows) => new Map(rows.map((r) => [r.id, r]));
  return {
    jobs: map([JOB]),
    customers: map([CUSTOMER]),
    materials: new Map(),
    notes: new Map(),
    photos: new Map(),
    uploads: new Map(),
    timeEntries: map(entries),
    queue,
    meta: {},
  };
}
const ctx = (extra = {}) => ({ now: NOW, user: USER, online: false, syncState: "idle", ticked: new Set(), ready: true, ...extra });
const entry = (extra) => ({ id: "t1", version: null, userId: USER.id, jobId: JOB.id, startedAt: "2026-03-10T13:00:00Z", endedAt: null, breaks: [], note: "", ...extra });

describe("the time clock on the phone", () => {
  it("counts the time worked since clocking in, breaks left out", () => {
    const running = entry({ breaks: [{ startedAt: "2026-03-10T14:00:00Z", endedAt: "2026-03-10T14:30:00Z" }] });
    const clock = views.clock(data([running]), ctx());
    expect(clock).toMatchObject({ running: true, onBreak: false, jobId: JOB.id, breakLabel: "Break" });
    expect(clock.text).toBe("On the clock · Deck build · 2:30:00");
    const onBreak = entry({ breaks: [{ startedAt: "2026-03-10T15:00:00Z", endedAt: null }] });
    const paused = views.clock(data([onBreak]), ctx());
    expect(paused).toMatchObject({ onBreak: true, breakLabel: "Back to work" });
    expect(paused.text).toBe("On a break · Deck build · 2:00:00");
    expect(views.clock(data([entry({ userId: "someone-else" })]), ctx()).running).toBe(false);
  });

  it("marks the card of the job I am clocked in on", () => {
    const today = { ...JOB, scheduledStart: "2026-03-10T13:00:00Z", scheduledEnd: "2026-03-10T21:00:00Z" };
    const d = { ...data([entry()]), jobs: new Map([[today.id, today]]) };
    const [card] = views.today(d, ctx()).items;
    expect(card).toMatchObject({ clockedIn: true, clockLabel: "Clocked in" });
    const [idle] = views.today({ ...d, timeEntries: new Map() }, ctx()).items;
    expect(idle).toMatchObject({ clockedIn: false, clockLabel: "Clock in", clockAria: "Clock in on Deck build" });
  });

  it("my week: hours per day as the office rounds them, this week only", () => {
    const monday = entry({ id: "m", startedAt: "2026-03-09T13:00:00Z", endedAt: "2026-03-09T21:20:30Z", approved: true });
    const tuesday = entry({ id: "t", startedAt: "2026-03-10T13:00:00Z", endedAt: null });
    const lastWeek = entry({ id: "old", startedAt: "2026-03-06T13:00:00Z", endedAt: "2026-03-06T15:00:00Z" });
    const week = views.week(data([monday, tuesday, lastWeek]), ctx());
    expect(week.days.map((d) => [d.title, d.hours])).toEqual([
      ["Mon, Mar 9", "8.34 h"], // 8 h 20 min 30 s, half-up to 2 places
      ["Tue, Mar 10", "3.00 h"],
    ]);
    expect(week.days[0].entries[0]).toMatchObject({ approved: true, times: "8:00 AM – 4:20 PM" });
    expect(week.days[1].entries[0]).toMatchObject({ open: true, times: "8:00 AM – now" });
    expect(week.total).toBe("This week: 11.34 h");
  });

  it("says what a queued clock operation does", () => {
    const d = data([entry()]);
    expect(views.describe({ entity: "time_entry", entityId: "t1", action: "create", changes: { jobId: JOB.id } }, d)).toBe("Clock in on “Deck build”");
    expect(views.describe({ entity: "time_entry", entityId: "t1", action: "update", changes: { endedAt: "x" } }, d)).toBe("Clock out of “Deck build”");
    expect(views.describe({ entity: "time_entry", entityId: "t1", action: "update", changes: { breaks: [] } }, d)).toBe("Break on “Deck build”");
  });
});

describe("real-user speed", async () => {
  const { clsOf, inpOf, pageOf } = await import("../../assets/khs_vitals.js");
  it("counts layout shifts in session windows, as web-vitals does", () => {
    expect(clsOf([])).toBe(0);
    const shifts = [
      { startTime: 100, value: 0.05 },
      { startTime: 600, value: 0.05 }, // same window
      { startTime: 3000, value: 0.02 }, // a gap over 1 s: a new window
    ];
    expect(clsOf(shifts)).toBeCloseTo(0.1);
  });
  it("INP is the slowest interaction, or the 98th percentile's with many", () => {
    expect(inpOf([])).toBeNull();
    expect(inpOf([40, 200, 80])).toBe(200);
    const many = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(inpOf(many)).toBe(98); // one slowest skipped per 50 interactions
  });
  it("a page is its path: no ids, no query", () => {
    expect(pageOf("/field/job/")).toBe("/field/job");
    expect(pageOf("/")).toBe("/");
  });
});
