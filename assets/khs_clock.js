// @ts-check
/* KHS CRM field app: the time clock's taps (docs/time.md). Each tap is written on the phone at
 * once with the device's time (clock in, break, back, clock out) and synced as `time_entry`
 * operations; nothing waits for the network or for a position.
 *
 * The location stamp is the person's choice (`shareLocation` on their user: null until asked,
 * then true or false; off unless true). The question is asked once, on the clock strip right
 * after their first clock-in ("Add your location to clock-ins?"), never before it: clocking in
 * is never held up. Yes or No is sent like the language setting (`user`/`update`); clocking
 * out without answering counts as No (the default), so no one is asked twice. When it is on,
 * each clock-in and clock-out gets a second operation with the position, if the phone finds
 * one within POSITION_WAIT_MS (denied, no fix, offline without GPS: no stamp, and the punch
 * stands). The phone rounds to 3 decimals (~110 m) and the server rounds again. */
import { t } from "./khs_i18n.js";

/** @typedef {import("./khs_types.js").TimeEntry} TimeEntry */
/** @typedef {import("./khs_types.js").User} User */
/** @typedef {import("./khs_types.js").Mirror} Mirror */
/** @typedef {import("./khs_store.js").Store} Store */
/** @typedef {{ lat: number, lng: number }} Position */
/** @typedef {Pick<Geolocation, "getCurrentPosition">} Geo */

// The longest a stamp may take to find: after this the punch simply carries none.
export const POSITION_WAIT_MS = 3000;
// A fix this recent is good enough (the phone has not moved off the site in 5 minutes).
const POSITION_MAX_AGE_MS = 5 * 60 * 1000;

/** A coordinate as the server keeps it: 3 decimals, ~110 m. @param {number} value */
export function coarse(value) {
  return Math.round(value * 1000) / 1000;
}

/**
 * Where the phone is, within `waitMs`, or null: never rejects, never waits longer (a browser
 * that neither answers nor times out is cut short by our own timer).
 * @param {Geo | null | undefined} geo @param {number} [waitMs]
 * @returns {Promise<Position | null>}
 */
export function findPosition(geo, waitMs = POSITION_WAIT_MS) {
  if (!geo) return Promise.resolve(null);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), waitMs);
    /** @param {Position | null} found */
    const done = (found) => (clearTimeout(timer), resolve(found));
    try {
      geo.getCurrentPosition(
        (p) => done({ lat: coarse(p.coords.latitude), lng: coarse(p.coords.longitude) }),
        () => done(null),
        { enableHighAccuracy: false, timeout: waitMs, maximumAge: POSITION_MAX_AGE_MS },
      );
    } catch {
      done(null);
    }
  });
}

/**
 * The person's choice: one made on this phone and not yet sent wins over what the server
 * last said. null: not asked yet.
 * @param {User | null} user @param {unknown} unsent
 * @returns {boolean | null}
 */
export function choiceOf(user, unsent) {
  if (typeof unsent === "boolean") return unsent;
  return user && typeof user.shareLocation === "boolean" ? user.shareLocation : null;
}

/** Ask "Add your location to clock-ins?" while clocked in and not yet answered.
 * @param {boolean | null} choice @param {boolean} clockedIn */
export function asksLocation(choice, clockedIn) {
  return clockedIn && choice === null;
}

/** A break still running ends at `at`.
 * @param {TimeEntry["breaks"] | undefined} breaks @param {string} at */
export function closedBreaks(breaks, at) {
  return (breaks || []).map((b) => (b.endedAt ? b : { ...b, endedAt: at }));
}

/**
 * The clock's actions for the field app (`window.khs`), over its store and user.
 * @param {object} deps
 * @param {() => Store | null} deps.store
 * @param {() => User | null} deps.user
 * @param {(mem: Mirror) => TimeEntry | undefined} deps.openEntry my open entry
 * @param {(entity: "time_entry", id: string, action: "create" | "update", changes: Record<string, unknown>) => Promise<unknown>} deps.edit
 * @param {(changes: { shareLocation: boolean }) => Promise<unknown>} deps.setOwn the person's own setting, kept and queued
 * @param {() => void} deps.render
 * @param {() => Geo | null} [deps.geo]
 * @param {() => string} [deps.uuid]
 * @param {() => Date} [deps.now]
 * @param {number} [deps.waitMs] the longest a stamp may take (POSITION_WAIT_MS)
 */
export function createClock({ store, user, openEntry, edit, setOwn, render, geo = () => null, uuid = () => crypto.randomUUID(), now = () => new Date(), waitMs = POSITION_WAIT_MS }) {
  /** What the last clock tap did (a switch of jobs), said on the clock strip. */
  let notice = "";

  function choice() {
    const s = store();
    return choiceOf(user(), s ? s.unsentSetting("shareLocation") : null);
  }

  /** Stamp these entries' clock-in (`in`) or clock-out (`out`) with where the phone is, as a
   * second operation each, if the person shares it and a position comes in time.
   * @param {Array<[string, "in" | "out"]>} stamps entry id and which end */
  async function stamp(stamps) {
    if (choice() !== true || !stamps.length) return;
    const at = await findPosition(geo(), waitMs);
    const s = store();
    if (!at || !s) return;
    for (const [id, end] of stamps) {
      if (!s.mem.timeEntries?.has(id)) continue;
      const changes = end === "in" ? { inLat: at.lat, inLng: at.lng } : { outLat: at.lat, outLng: at.lng };
      await edit("time_entry", id, "update", changes);
    }
  }

  /** Clock in on a job (the time of this tap); on the clock elsewhere, that entry is clocked
   * out first, and the strip says so. @param {string} jobId */
  function clockIn(jobId) {
    const s = store();
    const me = user();
    if (!s || !me || !jobId) return Promise.resolve();
    const at = now().toISOString();
    const open = openEntry(s.mem);
    if (open && open.jobId === jobId) return Promise.resolve();
    const title = (/** @type {string} */ id) => s.mem.jobs.get(id)?.title || "";
    /** @type {Array<[string, "in" | "out"]>} */
    const stamps = [];
    /** @type {Promise<unknown>[]} */
    const writes = [];
    if (open) {
      writes.push(edit("time_entry", open.id, "update", { endedAt: at, breaks: closedBreaks(open.breaks, at) }));
      stamps.push([open.id, "out"]);
      notice = t("Clocked out of “{from}” and in on “{to}”.", { from: title(open.jobId), to: title(jobId) });
    } else notice = "";
    const id = uuid();
    writes.push(edit("time_entry", id, "create", { userId: me.id, jobId, startedAt: at, endedAt: null, breaks: [], note: "" }));
    stamps.push([id, "in"]);
    return Promise.all(writes).then(() => stamp(stamps));
  }

  /** Clock out; a question still unanswered is answered No (it is asked once). */
  function clockOut() {
    const s = store();
    const open = s && openEntry(s.mem);
    if (!open) return Promise.resolve();
    const at = now().toISOString();
    notice = "";
    const unanswered = choice() === null;
    const out = edit("time_entry", open.id, "update", { endedAt: at, breaks: closedBreaks(open.breaks, at) });
    return out.then(() => (unanswered ? setOwn({ shareLocation: false }) : stamp([[open.id, "out"]])));
  }

  /** Break, or back to work. */
  function toggleBreak() {
    const s = store();
    const open = s && openEntry(s.mem);
    if (!open) return Promise.resolve();
    const at = now().toISOString();
    const breaks = open.breaks || [];
    const onBreak = breaks.some((b) => !b.endedAt);
    return edit("time_entry", open.id, "update", { breaks: onBreak ? closedBreaks(breaks, at) : [...breaks, { startedAt: at, endedAt: null }] });
  }

  /** A note on one of my time entries (not on an approved week's).
   * @param {string} entryId @param {Record<string, unknown>} values */
  function saveTimeNote(entryId, values) {
    const row = store()?.mem.timeEntries?.get(entryId);
    if (!row || row.approved) return Promise.resolve();
    return edit("time_entry", entryId, "update", { note: String(values.note || "").trim() });
  }

  /** The answer to "Add your location to clock-ins?", or a change in Settings. Yes while
   * clocked in stamps the clock-in that asked. @param {boolean} share */
  async function setShareLocation(share) {
    const s = store();
    if (!s || choice() === share) return;
    const asked = choice() === null;
    await setOwn({ shareLocation: share });
    render();
    const open = openEntry(s.mem);
    if (share && asked && open && open.inLat == null) await stamp([[open.id, "in"]]);
  }

  return {
    clockIn,
    clockOut,
    toggleBreak,
    saveTimeNote,
    setShareLocation,
    choice,
    notice: () => notice,
    /** Whether the clock strip asks the question now. */
    asking() {
      const s = store();
      return asksLocation(choice(), !!(s && openEntry(s.mem)));
    },
  };
}

/** @typedef {ReturnType<typeof createClock>} Clock */
