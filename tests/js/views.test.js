import { describe, expect, it } from "vitest";
import { CONFIG, CUSTOMER, JOB, STUDS, USER, createViews, row } from "./helpers.js";

const views = createViews(CONFIG); // the workflow, labels, statuses and roles the server sends

function data({ jobs = [], materials = [], photos = [], uploads = [], queue = [], meta = {} } = {}) {
  const map = (rows) => new Map(rows.map((r) => [r.id, r]));
  return { jobs: map(jobs), customers: map([CUSTOMER]), materials: map(materials), notes: new Map(), photos: map(photos), uploads: map(uploads), queue, meta };
}

// 2026-03-10 09:00 in Chicago (CDT, UTC-5)
const NOW = new Date("2026-03-10T14:00:00Z");
const ctx = (extra = {}) => ({ now: NOW, user: USER, online: true, syncState: "idle", ticked: new Set(), ready: true, ...extra });
const TODAY_JOB = { ...JOB, scheduledStart: "2026-03-10T13:00:00Z", scheduledEnd: "2026-03-10T21:00:00Z", siteAddress: "1 Oak St, Austin" };

describe("views", () => {
  it("Today lists my jobs for today in the company's time zone, with call and map links", () => {
    const late = { ...TODAY_JOB, id: "job-late", scheduledStart: "2026-03-11T04:30:00Z", scheduledEnd: null }; // 11:30 PM on the 10th in Chicago
    const tomorrow = { ...TODAY_JOB, id: "job-2", scheduledStart: "2026-03-11T14:00:00Z", scheduledEnd: "2026-03-11T20:00:00Z" };
    const other = { ...TODAY_JOB, id: "job-3", assignedUserIds: ["someone-else"] };
    const list = views.today(data({ jobs: [TODAY_JOB, late, tomorrow, other] }), ctx()).items;
    expect(list.map((j) => j.id)).toEqual(["job-1", "job-late"]);
    expect(list[0]).toMatchObject({
      customerName: "Maria Garcia",
      telHref: "tel:5125550001",
      callLabel: "Call Maria Garcia",
      mapHref: "https://maps.google.com/?q=1%20Oak%20St%2C%20Austin",
      statusLabel: "Scheduled",
      href: "/field/job?id=job-1",
    });
    expect(list[0].when).toContain("8:00 AM");
  });

  it("the job screen offers only the moves the workflow allows for my role", () => {
    const d = data({ jobs: [TODAY_JOB], materials: [STUDS] });
    expect(views.job(d, ctx({ jobId: "job-1" })).moves.map((m) => m.value)).toEqual(["in_progress"]);
    const office = views.job(d, ctx({ jobId: "job-1", user: { ...USER, role: "owner" } }));
    expect(office.moves.map((m) => m.label)).toEqual(["Start job", "Pause", "Move to Quoted", "Cancel job"]);
    const started = { ...TODAY_JOB, status: "in_progress" };
    const worker = views.job(data({ jobs: [started] }), ctx({ jobId: "job-1" }));
    expect(worker.moves.map((m) => m.label)).toEqual(["Pause", "Finish job"]);
    const asking = views.job(data({ jobs: [started] }), ctx({ jobId: "job-1", confirm: { jobId: "job-1", status: "completed" } }));
    expect(asking).toMatchObject({ confirming: true, confirmValue: "completed", confirmLabel: "Yes, finish job" });
    expect(asking.confirmText).toBe("Finish this job? After that only the office can change its status.");
    const paused = { ...TODAY_JOB, status: "on_hold" };
    expect(views.job(data({ jobs: [paused] }), ctx({ jobId: "job-1" })).moves.map((m) => m.label)).toEqual(["Resume"]);
    expect(views.job(d, ctx({ jobId: "nope" })).found).toBe(false);
  });

  it("the jobs screen groups my open jobs by day", () => {
    const at = (iso, extra = {}) => ({ ...TODAY_JOB, id: iso || "none", title: iso || "none", scheduledStart: iso, scheduledEnd: null, ...extra });
    const jobs = [
      at("2026-03-10T20:00:00Z"), // today
      at("2026-03-11T14:00:00Z"), // tomorrow
      at("2026-03-14T14:00:00Z"), // this week
      at("2026-03-30T14:00:00Z"), // later
      at(null), // unscheduled
      at("2026-03-02T14:00:00Z"), // earlier, still open
      at("2026-03-09T14:00:00Z", { status: "completed" }), // closed: not listed
    ];
    const { groups } = views.jobs(data({ jobs }), ctx());
    expect(groups.map((g) => [g.title, g.items.length])).toEqual([
      ["Earlier, still open", 1],
      ["Today", 1],
      ["Tomorrow", 1],
      ["This week", 1],
      ["Later", 1],
      ["Unscheduled", 1],
    ]);
  });

  it("the supply run groups what is left to buy by supplier, keeping this visit's ticks", () => {
    const bought = { ...STUDS, id: "mat-2", name: "Screws", supplier: "Lowe's", purchased: true };
    const nails = { ...STUDS, id: "mat-3", name: "Nails", supplier: "" };
    const { groups } = views.supply(data({ jobs: [TODAY_JOB], materials: [STUDS, bought, nails] }), ctx());
    expect(groups.map((g) => [g.supplier, g.items.map((i) => i.name)])).toEqual([
      ["Home Depot", ["2x4 stud"]],
      ["Any supplier", ["Nails"]],
    ]);
    // Two jobs called the same are told apart by customer and day.
    expect(groups[0].items[0].forWhat).toBe("Deck build · Maria Garcia · Tue, Mar 10");
    const ticked = views.supply(data({ jobs: [TODAY_JOB], materials: [bought] }), ctx({ ticked: new Set(["mat-2"]) })).groups;
    expect(ticked[0]).toMatchObject({ supplier: "Lowe's", count: "0 to buy" });
  });

  it("the banner counts the changes saved on the phone while offline and clears when synced", () => {
    const queue = [{ opId: "a", entity: "material", entityId: "mat-1", action: "update", changes: { purchased: true } }];
    const d = data({ jobs: [TODAY_JOB], materials: [STUDS], queue: [...queue, { ...queue[0], opId: "b" }] });
    expect(views.status(d, ctx({ online: false })).bannerText).toBe("Offline — your changes are kept on this phone (2 waiting)");
    expect(views.status(d, ctx({ online: false })).bannerKind).toBe("offline");
    expect(views.status(data(), ctx({ online: false })).bannerText).toBe("Offline — your changes are kept on this phone");
    expect(views.status(data(), ctx()).showBanner).toBe(false);
    const sync = views.sync(d, ctx({ online: false }));
    expect(sync.ops.map((o) => o.text)).toEqual(["Tick “2x4 stud” as bought", "Tick “2x4 stud” as bought"]);
    expect(sync.stateText).toBe("Offline");
  });

  it("says it is downloading, not that there are no jobs, until the first pull is done", () => {
    const first = views.status(data(), ctx({ syncState: "syncing" }));
    expect(first).toMatchObject({ ready: false, loadingText: "Downloading your jobs to this phone…" });
    expect(views.status(data({ meta: { lastSyncAt: NOW.toISOString() } }), ctx()).ready).toBe(true);
    expect(views.status(data(), ctx({ online: false })).ready).toBe(true); // offline: show what is here
    expect(views.status(data(), ctx({ syncState: "stalled" })).ready).toBe(true);
  });

  it("the sync screen explains rejected changes and conflicts", () => {
    const issues = [
      { id: "a", kind: "rejected", error: "Job is closed.", op: { entity: "job", entityId: "job-1", action: "update", changes: { status: "in_progress" } }, at: NOW.toISOString() },
      { id: "b", kind: "conflict", conflicts: [{ field: "quantity" }], op: { entity: "material", entityId: "mat-1", action: "update", changes: { quantity: 3 } }, at: NOW.toISOString() },
    ];
    const d = data({ jobs: [TODAY_JOB], materials: [STUDS], meta: { issues } });
    const items = views.sync(d, ctx()).issues;
    expect(items[0]).toMatchObject({ kind: "Not accepted" });
    expect(items[0].text).toContain("Move “Deck build” to In progress — Job is closed.");
    expect(items[1].text).toContain("(quantity)");
    expect(views.status(d, ctx()).bannerText).toBe("2 items need your attention");
    expect(views.status(d, ctx()).bannerKind).toBe("attention");
    expect(views.status(d, ctx()).bannerLink).toBe(true);
    expect(views.status(d, ctx({ page: "sync" })).bannerLink).toBe(false);
  });

  it("refused work names the thing even after the office deleted it", () => {
    const message = "Quartz countertop on Deck build was deleted by the office; your tick was not applied.";
    const issues = [{ id: "c", kind: "conflict", reason: "deleted_by_office", subject: "Quartz countertop", error: message, conflicts: [], op: { entity: "material", entityId: "gone", action: "update", changes: { purchased: true } }, at: NOW.toISOString() }];
    const item = views.sync(data({ jobs: [TODAY_JOB], meta: { issues } }), ctx()).issues[0];
    expect(item).toMatchObject({ kind: "Not applied" });
    expect(item.text).toBe(`${message} The office can see what you did.`);
    expect(views.sync(data({ jobs: [TODAY_JOB], meta: { issues: [{ ...issues[0], reason: "" }] } }), ctx()).issues[0].text).toContain("Tick “Quartz countertop” as bought");
  });

  it("the job screen shows its photos newest first, the phone's own marked until uploaded", () => {
    const sent = row("photo", { id: "ph-1", jobId: "job-1", caption: "Old deck", tag: "before", takenAt: "2026-03-09T15:00:00Z", fileUrl: "/api/photos/ph-1/file", thumbnailUrl: "/api/photos/ph-1/thumbnail" });
    const fresh = row("photo", { id: "ph-2", jobId: "job-1", caption: "", tag: "progress", takenAt: "2026-03-09T16:00:00Z", fileUrl: "/api/photos/ph-2/file", thumbnailUrl: null });
    const otherJob = { ...sent, id: "ph-3", jobId: "job-9" };
    const waiting = { id: "up-1", jobId: "job-1", caption: "New joists", tag: "progress", takenAt: "2026-03-10T14:00:00Z", state: "waiting", error: "" };
    const refused = { id: "up-2", jobId: "job-1", caption: "", tag: "issue", takenAt: "2026-03-10T13:00:00Z", state: "failed", error: "Not a JPEG, PNG, WebP or HEIC image." };
    const d = data({ jobs: [TODAY_JOB], photos: [sent, fresh, otherJob], uploads: [waiting, refused] });
    const photos = views.job(d, ctx({ jobId: "job-1", localPhotoUrl: (id) => `blob:${id}` })).photos;
    expect(photos.map((p) => p.id)).toEqual(["up-1", "up-2", "ph-2", "ph-1"]);
    expect(photos[0]).toMatchObject({ src: "blob:up-1", href: "", alt: "New joists", tagLabel: "Progress", waiting: true, failed: false, stateText: "Waiting to upload" });
    expect(photos[1]).toMatchObject({ alt: "Job photo", tagLabel: "Issue", waiting: false, failed: true, stateText: "Not uploaded: Not a JPEG, PNG, WebP or HEIC image.", discardLabel: "Discard photo: Job photo (8:00 AM)", retryLabel: "Try again to upload: Job photo (8:00 AM)" });
    expect(photos[2]).toMatchObject({ src: "/api/photos/ph-2/file", waiting: false, failed: false, stateText: "" }); // no thumbnail yet
    expect(photos[3]).toMatchObject({ src: "/api/photos/ph-1/thumbnail", href: "/api/photos/ph-1/file", tagLabel: "Before" });
  });

  it("counts photos waiting on the phone in the banner and lists them on the sync screen", () => {
    const waiting = { id: "up-1", jobId: "job-1", caption: "New joists", tag: "progress", takenAt: "2026-03-10T14:00:00Z", state: "waiting", error: "" };
    const d = data({ jobs: [TODAY_JOB], uploads: [waiting], queue: [{ opId: "op-1", entity: "job", entityId: "job-1", action: "update", changes: { status: "in_progress" } }] });
    expect(views.status(d, ctx({ online: false })).bannerText).toBe("Offline — your changes are kept on this phone (2 waiting)");
    const screen = views.sync(d, ctx());
    expect(screen.pendingText).toBe("1 change and 1 photo waiting to be sent");
    expect(screen.ops.map((o) => o.text)).toEqual(["Move “Deck build” to In progress", "Photo for “Deck build”: New joists"]);
  });

  it("a refused photo is an issue on the sync screen, not something waiting, until dismissed", () => {
    const refused = { id: "up-2", jobId: "job-gone", caption: "Sill", tag: "issue", takenAt: "2026-03-10T13:00:00Z", state: "failed", error: "Not found." };
    const d = data({ jobs: [TODAY_JOB], uploads: [refused] });
    const screen = views.sync(d, ctx());
    expect(screen.ops).toEqual([]);
    expect(screen.pendingText).toBe("Nothing waiting to be sent");
    expect(screen.issues).toEqual([
      {
        id: "up-2",
        kind: "Photo not uploaded",
        text: "Photo: Sill — Not found. Dismissing removes it from this phone.",
        when: "8:00 AM",
        dismissLabel: "Dismiss: Photo: Sill — Not found. Dismissing removes it from this phone.",
      },
    ]);
    expect(views.status(d, ctx()).bannerText).toBe("1 item needs your attention");
    expect(views.status(d, ctx({ online: false })).bannerText).toBe("Offline — 1 item needs your attention");
    // The strip and the Sync screen count the same things.
    expect(views.counts(d)).toEqual({ changes: 0, photos: 0, waiting: 0, attention: 1 });
    expect(views.sync(d, ctx()).issues.length).toBe(views.counts(d).attention);
  });
});
