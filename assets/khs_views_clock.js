// @ts-check
/* KHS CRM field app: the views of the time clock (docs/time.md): the running clock on every
 * screen and my week, from my entries and the device's time of each tap. */

/** @typedef {import("./khs_types.js").Mirror} Mirror */
/** @typedef {import("./khs_types.js").TimeEntry} TimeEntry */
/** @typedef {import("./khs_views.js").Context} Context */
/** @typedef {import("./khs_views.js").Kit} Kit */
import { locale, t } from "./khs_i18n.js";

/** The clock and week views. @param {Kit} kit */
export function createClockViews({ day, time, date, pendingIds, openEntry }) {
  /** Seconds worked in an entry up to `now` (or its end), breaks left out.
   * @param {TimeEntry} e @param {Date} now */
  function workedSeconds(e, now) {
    const end = e.endedAt ? Date.parse(e.endedAt) : now.getTime();
    let ms = Math.max(0, end - Date.parse(e.startedAt));
    for (const b of e.breaks || []) ms -= Math.max(0, (b.endedAt ? Date.parse(b.endedAt) : end) - Date.parse(b.startedAt));
    return Math.max(0, Math.floor(ms / 1000));
  }

  /** "1:05:09" @param {number} seconds */
  function duration(seconds) {
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const sec = seconds % 60;
    return `${h}:${String(m).padStart(2, "0")}:${String(sec).padStart(2, "0")}`;
  }

  /** Hours as the office counts them: exact seconds, half-up to 2 places. @param {number} seconds */
  function hoursText(seconds) {
    return new Intl.NumberFormat(locale(), { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(Math.round((seconds / 3600) * 100) / 100);
  }

  /** The running clock on every screen. @param {Mirror} data @param {Context} ctx */
  function clock(data, ctx) {
    const e = openEntry(data, ctx);
    const notice = ctx.clockNotice || "";
    if (!e) return { bound: true, running: false, notice, askLocation: false };
    const job = data.jobs.get(e.jobId);
    const title = job ? job.title : t("a job");
    const onBreak = (e.breaks || []).some((b) => !b.endedAt);
    const elapsed = duration(workedSeconds(e, ctx.now));
    return {
      bound: true,
      running: true,
      notice,
      entryId: e.id,
      jobId: e.jobId,
      jobHref: "/field/job?id=" + encodeURIComponent(e.jobId),
      onBreak,
      text: onBreak ? t("On a break · {job} · {elapsed}", { job: title, elapsed }) : t("On the clock · {job} · {elapsed}", { job: title, elapsed }),
      since: t("since {time}", { time: time(e.startedAt) }),
      breakLabel: onBreak ? t("Back to work") : t("Break"),
      pending: pendingIds(data).has(e.id),
      askLocation: !!ctx.askLocation,
    };
  }

  /** My week: hours per day and per job, the entries of each day. Weeks start on Monday in
   * the company's time zone (the office's default). @param {Mirror} data @param {Context} ctx */
  function week(data, ctx) {
    const me = ctx.user ? ctx.user.id : "";
    const today = day(ctx.now.toISOString());
    const weekday = (new Date(today + "T12:00:00Z").getUTCDay() + 6) % 7; // Monday 0
    const monday = day(new Date(Date.parse(today + "T12:00:00Z") - weekday * 86400000).toISOString());
    const pending = pendingIds(data);
    const mine = [...(data.timeEntries || new Map()).values()]
      .filter((e) => e.userId === me && day(e.startedAt) >= monday)
      .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    /** @type {Map<string, TimeEntry[]>} */
    const days = new Map();
    for (const e of mine) days.set(day(e.startedAt), [...(days.get(day(e.startedAt)) || []), e]);
    let total = 0;
    const list = [...days.entries()].map(([key, entries]) => {
      const seconds = entries.reduce((sum, e) => sum + workedSeconds(e, ctx.now), 0);
      total += seconds;
      return {
        key,
        title: date(entries[0].startedAt),
        hours: t("{hours} h", { hours: hoursText(seconds) }),
        entries: entries.map((e) => {
          const job = data.jobs.get(e.jobId);
          const worked = workedSeconds(e, ctx.now);
          return {
            id: e.id,
            job: job ? job.title : t("a job"),
            times: e.endedAt ? `${time(e.startedAt)} – ${time(e.endedAt)}` : t("{start} – now", { start: time(e.startedAt) }),
            hours: t("{hours} h", { hours: hoursText(worked) }),
            note: e.note || "",
            approved: !!e.approved,
            open: !e.endedAt,
            pending: pending.has(e.id),
            noteLabel: t("Note for {job}, {times}", { job: job ? job.title : "", times: time(e.startedAt) }),
          };
        }),
      };
    });
    return { bound: true, days: list, total: t("This week: {hours} h", { hours: hoursText(total) }) };
  }

  return { clock, week };
}
