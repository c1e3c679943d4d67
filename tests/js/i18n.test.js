import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import * as i18n from "../../assets/khs_i18n.js";
import { CONFIG, CUSTOMER, JOB, USER, createViews } from "./helpers.js";

// The catalog the phone precaches, as scripts/i18n compiled it from the PO.
const ES = JSON.parse(readFileSync(new URL("../../assets/i18n/es.json", import.meta.url), "utf8"));
const fetchCatalog = async (url) => ({ ok: true, json: async () => JSON.parse(readFileSync(new URL(`../../assets${url}`, import.meta.url), "utf8")) });

afterEach(() => i18n.use(null));

describe("i18n", () => {
  it("English is the source: a message is its own text, placeholders filled", () => {
    expect(i18n.language()).toBe("en");
    expect(i18n.t("Call {name}", { name: "Ana" })).toBe("Call Ana");
    expect(i18n.tn("{count} change", "{count} changes", 1)).toBe("1 change");
    expect(i18n.tn("{count} change", "{count} changes", 3)).toBe("3 changes");
  });

  it("Spanish from the compiled catalog, fetched once", async () => {
    let asked = 0;
    const counting = (url) => ((asked += 1), fetchCatalog(url));
    i18n.use(await i18n.load("es", counting));
    await i18n.load("es-US", counting);
    expect(asked).toBe(1);
    expect(i18n.language()).toBe("es");
    expect(i18n.locale()).toBe("es-US");
    expect(i18n.t("Call {name}", { name: "Ana" })).toBe("Llamar a Ana");
    expect(i18n.t("Not a message of ours")).toBe("Not a message of ours");
    expect(await i18n.load("fr", counting)).toBeNull(); // unknown: English
  });

  // One test per plural rule of each language (CLDR categories through Intl.PluralRules).
  it.each([
    ["en", 1, "1 change"],
    ["en", 0, "0 changes"],
    ["en", 2, "2 changes"],
    ["es", 1, "1 cambio"],
    ["es", 0, "0 cambios"],
    ["es", 3, "3 cambios"],
    ["es", 1000000, "1,000,000 de cambios"],
  ])("plural %s %d → %s", (lang, count, text) => {
    i18n.use(lang === "es" ? ES : null);
    expect(i18n.tn("{count} change", "{count} changes", count)).toBe(text);
  });

  it("every plural message of the catalog has one form per category", () => {
    for (const [id, forms] of Object.entries(ES.messages)) {
      if (Array.isArray(forms)) expect(forms.length, id).toBe(ES.categories.length);
    }
  });

  it("the screens' static words are the single messages only", () => {
    i18n.use(ES);
    const words = i18n.words();
    expect(words["Sign out"]).toBe("Salir");
    expect(Object.values(words).every((w) => typeof w === "string")).toBe(true);
    i18n.use(null);
    expect(i18n.words()).toEqual({});
  });

  it("the views speak Spanish: labels, dates, counts, the offline strip", () => {
    i18n.use(ES);
    const views = createViews(CONFIG);
    const job = { ...JOB, scheduledStart: "2026-03-10T13:00:00Z", siteAddress: "1 Oak St" };
    const d = {
      jobs: new Map([[job.id, job]]),
      customers: new Map([[CUSTOMER.id, CUSTOMER]]),
      materials: new Map(),
      notes: new Map(),
      photos: new Map(),
      uploads: new Map(),
      queue: [{ opId: "o1", entity: "job", entityId: job.id, action: "update", changes: { status: "in_progress" }, clientTimestamp: "2026-03-10T14:00:00Z" }],
      meta: {},
    };
    const ctx = { now: new Date("2026-03-10T14:00:00Z"), user: USER, online: false, syncState: "idle", ticked: new Set(), ready: true };
    const card = views.today(d, ctx).items[0];
    expect(card.statusLabel).toBe("Programado");
    expect(card.callLabel).toBe("Llamar a Maria Garcia");
    expect(card.when).toBe("mar, 10 de mar · 8:00 a.m."); // es-US
    expect(views.status(d, ctx).bannerText).toBe("Sin señal — tus cambios se guardan en este teléfono (1 esperando)");
    const sync = views.sync(d, ctx);
    expect(sync.stateText).toBe("Sin señal");
    expect(sync.ops[0].text).toBe("Pasar “Deck build” a En proceso");
  });
});

describe("limits in the person's language", () => {
  it("a refused material is named in Spanish, with the server's numbers", async () => {
    const { checkChanges } = await import("../../assets/khs_views.js");
    i18n.use(ES);
    const refused = checkChanges(CONFIG.limits, "material", "create", { jobId: "j", name: "x".repeat(201) });
    expect(refused).toEqual({ field: "name", message: "Acorta el nombre del material a 200 caracteres o menos." });
    const empty = checkChanges(CONFIG.limits, "material", "create", { jobId: "j", name: "" });
    expect(empty && empty.message).toBe("Escribe qué hay que comprar.");
    i18n.use(null);
    expect(checkChanges(CONFIG.limits, "material", "create", { jobId: "j", name: "" })).toEqual({ field: "name", message: "Enter what to buy." });
  });
});
