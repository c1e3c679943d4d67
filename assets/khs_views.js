// @ts-check
/* KHS CRM field app: what each screen shows, computed from the store's rows.
 * Pure functions: plain data in, plain data out (the Python pages render it). One module per
 * group of screens (Today/Jobs/Supply, the job page, change orders, the time clock, Sync and
 * Settings); this one holds what they share (the `Kit`: dates in the company's time zone, the
 * person's role, their open clock entry) and puts them together in `createViews`. */

/** @typedef {import("./khs_types.js").Config} Config */
/** @typedef {import("./khs_types.js").Limits} Limits */
/** @typedef {import("./khs_types.js").Mirror} Mirror */
/** @typedef {import("./khs_types.js").User} User */
/** @typedef {import("./khs_types.js").TimeEntry} TimeEntry */
/** @typedef {"idle" | "syncing" | "offline" | "stalled" | "signedOut"} SyncState */
/** @typedef {Pick<Config, "timezone" | "workflow" | "labels"> & Partial<Config>} ViewConfig */
import { language, locale, t } from "./khs_i18n.js";
import { createChangeOrderViews } from "./khs_views_change_order.js";
import { createClockViews } from "./khs_views_clock.js";
import { createJobPage } from "./khs_views_job_page.js";
import { createJobViews } from "./khs_views_jobs.js";
import { createSyncViews } from "./khs_views_sync.js";
export { telHref } from "./khs_views_jobs.js";

/**
 * What the screens know besides the rows (khs_app.js `context()`).
 * @typedef {object} Context
 * @property {Date} now
 * @property {User | null} user
 * @property {boolean} online
 * @property {SyncState} syncState
 * @property {string} syncDetail
 * @property {string | null} jobId the job page's ?id=
 * @property {Set<string>} ticked materials ticked on this visit (they stay on the Supply run)
 * @property {(id: string) => string} [localPhotoUrl] where to show a photo only on this phone
 * @property {boolean} ready
 * @property {boolean} updateReady
 * @property {{ jobId: string, message: string } | null} materialError
 * @property {{ jobId: string, status: string } | null} [confirm] a closing move waiting for "Yes"
 * @property {{ jobId: string, opId: string, status: string } | null} [undo] a move that can still be undone
 * @property {string} [page] the screen showing ("sync" on the Sync screen)
 * @property {string} [clockNotice] what the last clock tap did, said once (a switch of jobs)
 * @property {boolean} [askLocation] ask "Add your location to clock-ins?" (khs_clock.js)
 * @property {boolean | null} [shareLocation] the person's choice (null: not asked yet)
 * @property {string | null} [changeOrderId] the change-order page's ?id=
 * @property {string} [signError] why the signature was not taken
 */

// The rules below come from the server's config (khs_crm/offline/pwa.py), never typed here.
// Every word goes through `t`/`tn` (khs_i18n.js): the screens speak the person's language.

/** The first field of `changes` outside the server's limits for this entity and action
 * (config `limits`): `{ field, message }` in the office's words, or null when it may be
 * queued. A value the server would refuse never reaches the outbox.
 * @param {Limits | undefined} limits
 * @param {string} entity
 * @param {string} action
 * @param {Record<string, unknown>} changes
 * @returns {{ field: string, message: string } | null} */
export function checkChanges(limits, entity, action, changes) {
  const fields = ((limits || {})[entity] || {})[action === "create" ? "create" : "update"] || {};
  for (const [field, rule] of Object.entries(fields)) {
    const value = changes[field];
    const said = (rule.words || {})[language()] || rule; // in the person's language
    const refused = { field, message: said.bounds };
    if (value === undefined || value === null) {
      if (rule.required) return { field, message: said.empty || said.bounds };
      continue;
    }
    if (rule.type === "string") {
      if (typeof value !== "string") return refused;
      const length = [...value].length; // characters, as the server counts them
      if (rule.minLength != null && length < rule.minLength) return { field, message: said.empty || said.bounds };
      if (rule.maxLength != null && length > rule.maxLength) return refused;
    } else if (rule.type === "number" || rule.type === "integer") {
      if (typeof value !== "number" || !Number.isFinite(value)) return refused;
      if (rule.type === "integer" && !Number.isInteger(value)) return refused;
      if (rule.exclusiveMinimum != null && !(value > rule.exclusiveMinimum)) return refused;
      if (rule.minimum != null && value < rule.minimum) return refused;
      if (rule.maximum != null && value > rule.maximum) return refused;
      if (rule.exclusiveMaximum != null && !(value < rule.exclusiveMaximum)) return refused;
    }
  }
  return null;
}

/** @type {Map<string, Intl.DateTimeFormat>} */
const formatters = new Map();

/** A date formatter, made once per page for each locale, time zone and shape (making one
 * costs milliseconds on a phone, and a cold start's first paint and the app both need them).
 * @param {string} locale @param {string} timeZone @param {Intl.DateTimeFormatOptions} options */
function formatter(locale, timeZone, options) {
  const key = JSON.stringify([locale, timeZone, options]);
  let made = formatters.get(key);
  if (!made) formatters.set(key, (made = new Intl.DateTimeFormat(locale, { ...options, timeZone })));
  return made;
}

/** What the screens of every group use: days and times in the company's time zone, in the
 * person's language; status labels; who is doing what.
 * @param {ViewConfig} config */
function createKit({ timezone, labels, officeRoles = [] }) {
  const dayFmt = formatter("en-CA", timezone, { year: "numeric", month: "2-digit", day: "2-digit" });
  /** Dates and times as the person's language writes them (en-US, es-US). */
  let formats = { locale: "", time: dayFmt, date: dayFmt };
  function fmt() {
    const loc = locale();
    if (formats.locale !== loc) {
      formats = {
        locale: loc,
        time: formatter(loc, timezone, { hour: "numeric", minute: "2-digit" }),
        date: formatter(loc, timezone, { weekday: "short", month: "short", day: "numeric" }),
      };
    }
    return formats;
  }
  fmt(); // made now, not in the middle of the first screen's drawing

  /** @param {string | null | undefined} iso */
  const day = (iso) => (iso ? dayFmt.format(new Date(iso)) : "");
  /** @param {string | null | undefined} iso */
  const time = (iso) => (iso ? fmt().time.format(new Date(iso)) : "");
  /** @param {string | null | undefined} iso */
  const date = (iso) => (iso ? fmt().date.format(new Date(iso)) : "");
  /** @param {string | null | undefined} status */
  const label = (status) => {
    const text = status && labels[status] ? t(labels[status]) : status || "";
    return text.charAt(0).toUpperCase() + text.slice(1);
  };

  /** @param {Mirror} data */
  function pendingIds(data) {
    return new Set(data.queue.map((op) => op.entityId));
  }

  /** "office" (sees every job, makes the office's moves) or "worker", as the server decides.
   * @param {User | null | undefined} user
   * @returns {"office" | "worker"} */
  function roleOf(user) {
    return user && officeRoles.includes(user.role) ? "office" : "worker";
  }

  /** My open entry (clocked in), if any. @param {Mirror} data @param {Context} ctx
   * @returns {TimeEntry | undefined} */
  function openEntry(data, ctx) {
    const me = ctx.user ? ctx.user.id : "";
    let found;
    for (const e of (data.timeEntries || new Map()).values()) {
      if (e.userId === me && !e.endedAt && (!found || e.startedAt > found.startedAt)) found = e;
    }
    return found;
  }

  return { day, time, date, label, pendingIds, roleOf, openEntry };
}
/** @typedef {ReturnType<typeof createKit>} Kit */

/** The screens' view models for this config.
 * @param {ViewConfig} config */
export function createViews(config) {
  const kit = createKit(config);
  const { jobCard, material, today, jobs, supply } = createJobViews(kit, config);
  const { job } = createJobPage(kit, config, { jobCard, material });
  const { changeOrder } = createChangeOrderViews(kit);
  const { sync, status, settings, describe, counts } = createSyncViews(kit);
  const { clock, week } = createClockViews(kit);
  const { openEntry, roleOf } = kit;
  return { today, jobs, job, supply, sync, status, settings, clock, week, changeOrder, openEntry, describe, roleOf, counts };
}
