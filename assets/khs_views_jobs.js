// @ts-check
/* KHS CRM field app: the views of the job lists (Today, Jobs, the Supply run) and the job card
 * each of them shows; the job page (khs_views_job_page.js) starts from the same card. */

/** @typedef {import("./khs_types.js").Mirror} Mirror */
/** @typedef {import("./khs_types.js").Job} Job */
/** @typedef {import("./khs_types.js").Material} Material */
/** @typedef {import("./khs_views.js").Context} Context */
/** @typedef {import("./khs_views.js").Kit} Kit */
/** @typedef {import("./khs_views.js").ViewConfig} ViewConfig */
import { t, tn } from "./khs_i18n.js";

/** The `tel:` link for a phone number: its digits (and a leading +) before any extension
 * marker (x, ext, ext., #, ;ext=) that follows them, the extension's digits as RFC 3966
 * `;ext=`. The office's `tel_href` (khs_crm/office/views.py) is the same rule: both pass
 * tests/js/fixtures/tel_cases.json.
 * @param {string | null | undefined} phone
 * @returns {string} */
export function telHref(phone) {
  const text = String(phone || "");
  const first = text.search(/[0-9]/);
  if (first < 0) return "";
  const marker = /;ext=|ext\.?|x|#/i.exec(text.slice(first));
  const end = marker ? first + marker.index : text.length;
  const main = text.slice(0, end);
  const plus = main.match(/[0-9+]/)?.[0] === "+" ? "+" : "";
  const ext = marker ? (text.slice(end + marker[0].length).match(/[0-9]+/) || [""])[0] : "";
  return `tel:${plus}${main.replace(/[^0-9]/g, "")}${ext ? ";ext=" + ext : ""}`;
}

/** The lists' views, and the card and material row the job page shows too.
 * @param {Kit} kit @param {ViewConfig} config */
export function createJobViews({ day, time, date, label, pendingIds, roleOf, openEntry }, { closed = [], upcoming = [] }) {
  const CLOSED = new Set(closed); // jobs whose work is over
  const UPCOMING = new Set(upcoming); // jobs the supply run buys for

  /** @param {Job} job @param {Context} ctx */
  function mine(job, ctx) {
    if (ctx.user && roleOf(ctx.user) === "worker" && Array.isArray(job.assignedUserIds)) {
      return job.assignedUserIds.includes(ctx.user.id);
    }
    return true;
  }

  /** @param {Job} a @param {Job} b */
  function byStart(a, b) {
    return (a.scheduledStart || "9999").localeCompare(b.scheduledStart || "9999") || a.title.localeCompare(b.title);
  }

  /** @param {Job} job @param {Mirror} data @param {Set<string>} pending @param {string} [clockedInOn] */
  function jobCard(job, data, pending, clockedInOn = "") {
    const customer = data.customers.get(job.customerId);
    const address = job.siteAddress || customer?.address || "";
    const phone = customer?.phone || "";
    const toBuy = [...data.materials.values()].filter((m) => m.jobId === job.id && !m.purchased).length;
    return {
      id: job.id,
      title: job.title,
      status: job.status,
      statusLabel: label(job.status),
      customerName: customer?.name || "",
      phone,
      telHref: telHref(phone),
      callText: customer?.name ? t("Call {name}", { name: customer.name }) : t("Call the customer"),
      callLabel: customer?.name ? t("Call {name}", { name: customer.name }) : t("Call the customer"),
      address,
      mapHref: address ? "https://maps.google.com/?q=" + encodeURIComponent(address) : "",
      mapLabel: t("Map: {address}", { address }),
      when: job.scheduledStart ? `${date(job.scheduledStart)} · ${time(job.scheduledStart)}` : t("Not scheduled"),
      href: "/field/job?id=" + encodeURIComponent(job.id),
      toBuy: toBuy ? tn("{count} to buy", "{count} to buy", toBuy) : "",
      pending: pending.has(job.id),
      clockedIn: clockedInOn === job.id,
      clockLabel: clockedInOn === job.id ? t("Clocked in") : t("Clock in"),
      clockAria: clockedInOn === job.id ? t("Clocked in on {job}", { job: job.title }) : t("Clock in on {job}", { job: job.title }),
    };
  }

  /** @param {Mirror} data @param {Context} ctx */
  function today(data, ctx) {
    const key = day(ctx.now.toISOString());
    const pending = pendingIds(data);
    const items = [...data.jobs.values()]
      .filter((j) => j.scheduledStart && !CLOSED.has(j.status) && mine(j, ctx))
      .filter((j) => day(j.scheduledStart) <= key && key <= day(j.scheduledEnd || j.scheduledStart))
      .sort(byStart)
      .map((j) => jobCard(j, data, pending, openEntry(data, ctx)?.jobId));
    return { bound: true, items };
  }

  /** Which group of the Jobs screen a job is in, by its days in the company's time zone.
   * @param {Job} job @param {string} today "YYYY-MM-DD" @param {string} tomorrow @param {string} weekEnd */
  function when(job, today, tomorrow, weekEnd) {
    if (!job.scheduledStart) return "unscheduled";
    const first = day(job.scheduledStart);
    const last = day(job.scheduledEnd || job.scheduledStart);
    if (first <= today && today <= last) return "today";
    if (last < today) return "earlier";
    if (first === tomorrow) return "tomorrow";
    return first <= weekEnd ? "week" : "later";
  }

  /** Every open job of mine, grouped: Earlier (still open), Today, Tomorrow, This week,
   * Later, Unscheduled. @param {Mirror} data @param {Context} ctx */
  function jobs(data, ctx) {
    const pending = pendingIds(data);
    const at = (/** @type {number} */ days) => day(new Date(ctx.now.getTime() + days * 86400000).toISOString());
    const [today, tomorrow, weekEnd] = [at(0), at(1), at(6)];
    const titles = {
      earlier: t("Earlier, still open"),
      today: t("Today"),
      tomorrow: t("Tomorrow"),
      week: t("This week"),
      later: t("Later"),
      unscheduled: t("Unscheduled"),
    };
    /** @type {Map<string, ReturnType<typeof jobCard>[]>} */
    const groups = new Map(Object.keys(titles).map((key) => [key, []]));
    const open = [...data.jobs.values()].filter((j) => !CLOSED.has(j.status) && mine(j, ctx)).sort(byStart);
    const on = openEntry(data, ctx)?.jobId;
    for (const j of open) groups.get(when(j, today, tomorrow, weekEnd))?.push(jobCard(j, data, pending, on));
    const list = [...groups.entries()]
      .filter(([, items]) => items.length)
      .map(([key, items]) => ({ key, title: titles[/** @type {keyof typeof titles} */ (key)], items }));
    return { bound: true, items: open.map((j) => jobCard(j, data, pending)), groups: list };
  }

  /** @param {Material} m @param {Set<string>} pending @param {string} jobTitle */
  function material(m, pending, jobTitle) {
    const qty = [m.quantity ?? "", m.unit || ""].join(" ").trim();
    return {
      id: m.id,
      name: m.name,
      qty,
      supplier: m.supplier || "",
      jobTitle: jobTitle || "",
      purchased: !!m.purchased,
      label: `${m.name}${qty ? ` (${qty})` : ""}`,
      checkLabel: t("{material} for {job}", { material: `${m.name}${qty ? ` (${qty})` : ""}`, job: jobTitle || "" }),
      pending: pending.has(m.id),
    };
  }

  /** @param {Mirror} data @param {Context} ctx */
  function supply(data, ctx) {
    const key = day(ctx.now.toISOString());
    const pending = pendingIds(data);
    /** @type {Map<string, Job>} */
    const ahead = new Map();
    for (const j of data.jobs.values()) {
      if (UPCOMING.has(j.status) && mine(j, ctx) && (!j.scheduledEnd || day(j.scheduledEnd) >= key)) ahead.set(j.id, j);
    }
    /** @type {Map<string, Array<ReturnType<typeof material> & { forWhat: string }>>} */
    const groups = new Map();
    const items = [...data.materials.values()]
      .flatMap((m) => {
        const j = ahead.get(m.jobId);
        return j && (!m.purchased || ctx.ticked.has(m.id)) ? [{ m, j }] : [];
      })
      .sort((a, b) => byStart(a.j, b.j) || a.m.name.localeCompare(b.m.name));
    for (const { m, j } of items) {
      const supplier = m.supplier || t("Any supplier");
      const group = groups.get(supplier) || [];
      groups.set(supplier, group);
      const customer = data.customers.get(j.customerId)?.name || "";
      const needed = j.scheduledStart ? date(j.scheduledStart) : t("Not scheduled");
      group.push({ ...material(m, pending, j.title), forWhat: [j.title, customer, needed].filter(Boolean).join(" · ") });
    }
    // Suppliers in the order their things are first needed (the items are sorted so already).
    const list = [...groups.entries()]
      .map(([supplier, rows]) => ({ supplier, count: tn("{count} to buy", "{count} to buy", rows.filter((i) => !i.purchased).length), items: rows }));
    return { bound: true, groups: list };
  }

  return { jobCard, material, today, jobs, supply };
}
