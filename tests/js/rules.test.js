// The rules the field app applies offline are the server's, read from the config it sends
// (fixtures/config.json, written from client_config()), and the tel: rule is the office's
// (fixtures/tel_cases.json, the vectors tests/unit/test_js_fixtures.py checks in Python).
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { CONFIG, JOB, STUDS, USER, checkChanges, createViews, row, telHref } from "./helpers.js";

const require = createRequire(import.meta.url);
const TEL = require("./fixtures/tel_cases.json");
const views = createViews(CONFIG);
const LIMITS = CONFIG.limits;

describe("the tel: rule", () => {
  it.each(TEL.cases)("$phone dials $href ($why)", ({ phone, href }) => {
    expect(telHref(phone)).toBe(href);
  });

  it("the phone's job card dials the customer's extension as the office does", () => {
    const customer = row("customer", { id: "cust-1", phone: "555-0101 x23" });
    const data = { jobs: new Map([[JOB.id, JOB]]), customers: new Map([[customer.id, customer]]), materials: new Map(), notes: new Map(), photos: new Map(), uploads: new Map(), queue: [], meta: {} };
    const card = views.job(data, { now: new Date(), user: USER, jobId: JOB.id, ticked: new Set() });
    expect(card.telHref).toBe("tel:5550101;ext=23");
  });
});

describe("material limits, checked before anything is queued", () => {
  const name = LIMITS.material.create.name;

  it("a name over the server's limit is refused in the office's words", () => {
    const tooLong = { jobId: "job-1", name: "x".repeat(name.maxLength + 1), quantity: 1 };
    expect(checkChanges(LIMITS, "material", "create", tooLong)).toEqual({ field: "name", message: name.bounds });
    expect(name.bounds).toBe(`Shorten the material's name to ${name.maxLength} characters or fewer.`);
    expect(checkChanges(LIMITS, "material", "create", { ...tooLong, name: "x".repeat(name.maxLength) })).toBeNull();
  });

  it("counts characters as the server does, not UTF-16 units", () => {
    const emoji = "🧱".repeat(name.maxLength); // 2 UTF-16 units each
    expect(checkChanges(LIMITS, "material", "create", { name: emoji })).toBeNull();
  });

  it("a create needs a name; an edit need not carry one, but may not blank it", () => {
    expect(checkChanges(LIMITS, "material", "create", { jobId: "job-1" })).toEqual({ field: "name", message: "Enter what to buy." });
    expect(checkChanges(LIMITS, "material", "update", { purchased: true })).toBeNull();
    expect(checkChanges(LIMITS, "material", "update", { name: "" })).toEqual({ field: "name", message: "Enter what to buy." });
  });

  it("quantity must be a number above 0 and at most the server's maximum", () => {
    const { bounds, maximum } = LIMITS.material.create.quantity;
    for (const quantity of [0, -2, maximum + 1, Number.NaN, Number.POSITIVE_INFINITY, "3"]) {
      expect(checkChanges(LIMITS, "material", "update", { quantity })).toEqual({ field: "quantity", message: bounds });
    }
    expect(checkChanges(LIMITS, "material", "update", { quantity: 0.5 })).toBeNull();
    expect(checkChanges(LIMITS, "material", "update", { quantity: maximum })).toBeNull();
  });

  it("unit and supplier have the server's lengths; empty is fine", () => {
    const { unit, supplier } = LIMITS.material.update;
    expect(checkChanges(LIMITS, "material", "update", { unit: "u".repeat(unit.maxLength + 1) })).toEqual({ field: "unit", message: unit.bounds });
    expect(checkChanges(LIMITS, "material", "update", { supplier: "s".repeat(supplier.maxLength + 1) })?.field).toBe("supplier");
    expect(checkChanges(LIMITS, "material", "create", { name: "Nails", unit: "", supplier: "" })).toBeNull();
  });

  it("a photo caption has the server's length", () => {
    const { caption } = LIMITS.photo.create;
    const photo = { caption: "c".repeat(caption.maxLength + 1), tag: CONFIG.photoTag };
    expect(checkChanges(LIMITS, "photo", "create", photo)).toEqual({ field: "caption", message: caption.bounds });
  });

  it("the job screen shows why the form's material was not added, on that job only", () => {
    const data = { jobs: new Map([[JOB.id, JOB]]), customers: new Map(), materials: new Map([[STUDS.id, STUDS]]), notes: new Map(), photos: new Map(), uploads: new Map(), queue: [], meta: {} };
    const ctx = { now: new Date(), user: USER, jobId: JOB.id, ticked: new Set(), materialError: { jobId: JOB.id, message: name.bounds } };
    expect(views.job(data, ctx).materialError).toBe(name.bounds);
    expect(views.job(data, { ...ctx, materialError: { jobId: "job-9", message: name.bounds } }).materialError).toBe("");
    expect(views.job(data, { ...ctx, materialError: null }).materialError).toBe("");
  });
});

describe("roles, statuses and tags come from the server", () => {
  it("office roles are the server's list; anyone else is crew", () => {
    expect(CONFIG.officeRoles).toEqual(["owner", "admin"]);
    expect(views.roleOf({ role: "owner" })).toBe("office");
    expect(views.roleOf({ role: "admin" })).toBe("office");
    expect(views.roleOf({ role: "worker" })).toBe("worker");
    expect(views.roleOf({ role: "someone-new" })).toBe("worker"); // never office by default
    expect(views.roleOf(null)).toBe("worker");
  });

  it("closed jobs leave the lists; the supply run buys for upcoming ones", () => {
    const now = new Date("2026-03-10T14:00:00Z");
    const jobs = [...CONFIG.closed, ...CONFIG.upcoming, "lead"].map((status, i) => ({ ...JOB, id: `job-${status}`, title: `T${i}`, status }));
    const materials = jobs.map((j) => ({ ...STUDS, id: `mat-${j.status}`, jobId: j.id, supplier: "" }));
    const data = { jobs: new Map(jobs.map((j) => [j.id, j])), customers: new Map(), materials: new Map(materials.map((m) => [m.id, m])), notes: new Map(), photos: new Map(), uploads: new Map(), queue: [], meta: {} };
    const ctx = { now, user: USER, ticked: new Set() };
    const listed = views.jobs(data, ctx).items.map((j) => j.status);
    expect(listed.sort()).toEqual([...CONFIG.upcoming, "lead"].sort());
    const bought = views.supply(data, ctx).groups[0].items.map((i) => i.id);
    expect(bought.sort()).toEqual(CONFIG.upcoming.map((s) => `mat-${s}`).sort());
  });

  it("photo tags are labelled as the office labels them", () => {
    expect(Object.keys(CONFIG.photoTags)).toContain(CONFIG.photoTag);
    const photos = Object.keys(CONFIG.photoTags).map((tag, i) => row("photo", { id: `ph-${i}`, jobId: JOB.id, tag }));
    const data = { jobs: new Map([[JOB.id, JOB]]), customers: new Map(), materials: new Map(), notes: new Map(), photos: new Map(photos.map((p) => [p.id, p])), uploads: new Map(), queue: [], meta: {} };
    const shown = views.job(data, { now: new Date(), user: USER, jobId: JOB.id, ticked: new Set() }).photos;
    expect(shown.map((p) => p.tagLabel).sort()).toEqual(Object.values(CONFIG.photoTags).sort());
  });
});
