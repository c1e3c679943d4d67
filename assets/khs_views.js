// @ts-check
/* KHS CRM field app: what each screen shows, computed from the store's rows.
 * Pure functions: plain data in, plain data out (the Python pages render it). */

/** @typedef {import("./khs_types.js").Config} Config */
/** @typedef {import("./khs_types.js").Limits} Limits */
/** @typedef {import("./khs_types.js").Mirror} Mirror */
/** @typedef {import("./khs_types.js").Job} Job */
/** @typedef {import("./khs_types.js").Material} Material */
/** @typedef {import("./khs_types.js").Issue} Issue */
/** @typedef {import("./khs_types.js").PhotoUpload} PhotoUpload */
/** @typedef {import("./khs_types.js").QueuedOperation} QueuedOperation */
/** @typedef {import("./khs_types.js").User} User */
/** @typedef {import("./khs_types.js").TimeEntry} TimeEntry */
/** @typedef {import("./khs_types.js").ChangeOrder} ChangeOrder */
/** @typedef {"idle" | "syncing" | "offline" | "stalled" | "signedOut"} SyncState */
import { language, locale, t, tn } from "./khs_i18n.js";

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

/** The screens' view models for this config.
 * @param {Pick<Config, "timezone" | "workflow" | "labels"> & Partial<Config>} config */
export function createViews({ timezone, workflow, labels, closed = [], upcoming = [], officeRoles = [], photoTags = {} }) {
  const CLOSED = new Set(closed); // jobs whose work is over
  const UPCOMING = new Set(upcoming); // jobs the supply run buys for
  const dayFmt = new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit" });
  /** Dates and times as the person's language writes them (en-US, es-US), made once per language. */
  const formats = { language: "", time: dayFmt, date: dayFmt };
  function fmt() {
    if (formats.language !== language()) {
      formats.language = language();
      formats.time = new Intl.DateTimeFormat(locale(), { timeZone: timezone, hour: "numeric", minute: "2-digit" });
      formats.date = new Intl.DateTimeFormat(locale(), { timeZone: timezone, weekday: "short", month: "short", day: "numeric" });
    }
    return formats;
  }

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
  /** "3 changes", "1 photo" @param {number} n */
  const changes = (n) => tn("{count} change", "{count} changes", n);
  /** @param {number} n */
  const photosText = (n) => tn("{count} photo", "{count} photos", n);

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
  function job(data, ctx) {
    const row = ctx.jobId ? data.jobs.get(ctx.jobId) : null;
    if (!row) return { bound: true, found: false, id: ctx.jobId || "", moves: [], materials: [], notes: [], materialError: "" };
    const pending = pendingIds(data);
    const moves = ((workflow[row.status] || {})[roleOf(ctx.user)] || []).map((value) => ({
      value,
      label: verb(row.status, value),
      ariaLabel: verb(row.status, value),
    }));
    const confirming = ctx.confirm && ctx.confirm.jobId === row.id ? ctx.confirm.status : "";
    const undo = ctx.undo && ctx.undo.jobId === row.id ? ctx.undo : null;
    const materials = [...data.materials.values()]
      .filter((m) => m.jobId === row.id)
      .sort((a, b) => (a.createdAt || "").localeCompare(b.createdAt || "") || a.name.localeCompare(b.name))
      .map((m) => material(m, pending, row.title));
    const notes = [...data.notes.values()]
      .filter((n) => n.jobId === row.id)
      .sort((a, b) => (b.createdAt || "").localeCompare(a.createdAt || ""))
      .map((n) => ({ id: n.id, body: n.body, author: n.authorName || "", when: n.createdAt ? `${date(n.createdAt)} ${time(n.createdAt)}` : "", pending: pending.has(n.id) }));
    const photos = jobPhotos(row.id, data, ctx);
    const refused = ctx.materialError && ctx.materialError.jobId === row.id ? ctx.materialError.message : "";
    return {
      ...jobCard(row, data, pending, openEntry(data, ctx)?.jobId),
      bound: true,
      found: true,
      description: row.description || "",
      moves,
      materials,
      notes,
      photos,
      materialError: refused,
      changeOrders: jobChangeOrders(row.id, data, pending),
      confirming: !!confirming,
      confirmValue: confirming,
      confirmText: confirming ? closingQuestion(confirming) : "",
      confirmLabel: confirming ? t("Yes, {move}", { move: verb(row.status, confirming).toLowerCase() }) : "",
      undoable: !!undo,
      undoText: undo ? t("Moved to {status}.", { status: label(undo.status) }) : "",
      undoLabel: undo ? t("Undo: move back to {status}", { status: label(String((data.queue.find((o) => o.opId === undo.opId)?.before || {}).status || "")) }) : "",
    };
  }

  // Change orders (docs/change_orders.md) ----------------------------------------------------

  /** @param {string} status */
  function coStatus(status) {
    if (status === "draft") return t("Draft: not signed yet");
    if (status === "signed") return t("Signed by the customer");
    if (status === "sent") return t("Priced, sent to the customer");
    if (status === "approved") return t("Approved by the office");
    if (status === "rejected") return t("Rejected by the office");
    if (status === "declined") return t("Declined by the customer");
    return status;
  }

  /** @param {ChangeOrder} co */
  function coNumber(co) {
    return co.number || t("Number pending");
  }

  /** @param {import("./khs_types.js").ChangeOrderLine} l */
  function coLine(l) {
    const qty = [l.quantity, l.unit].filter(Boolean).join(" ");
    const price = l.unitPrice === null || l.unitPrice === undefined ? t("to be priced by the office") : t("{price} each", { price: money(l.unitPrice) });
    return { text: `${l.description || t("Work")} · ${qty}`, price };
  }

  /** @param {string} amount */
  function money(amount) {
    const n = Number(amount);
    return Number.isFinite(n) ? new Intl.NumberFormat(locale(), { style: "currency", currency: "USD" }).format(n) : amount;
  }

  /** @param {string} jobId @param {Mirror} data @param {Set<string>} pending */
  function jobChangeOrders(jobId, data, pending) {
    return [...(data.changeOrders || new Map()).values()]
      .filter((co) => co.jobId === jobId)
      .sort((a, b) => (b.createdAt || "").localeCompare(a.createdAt || ""))
      .map((co) => ({
        id: co.id,
        number: coNumber(co),
        description: co.description,
        status: coStatus(co.status),
        href: "/field/change-order?id=" + encodeURIComponent(co.id),
        pending: pending.has(co.id),
      }));
  }

  /** The change-order page: large text for the customer, the signature pad while a draft,
   * the signature once signed (then nothing can change). @param {Mirror} data @param {Context} ctx */
  function changeOrder(data, ctx) {
    /** @type {ChangeOrder | null | undefined} */
    const co = ctx.changeOrderId ? data.changeOrders?.get(ctx.changeOrderId) : null;
    if (!co) return { bound: true, found: false, lines: [], photos: [], jobPhotos: [] };
    const job = data.jobs.get(co.jobId);
    const pending = pendingIds(data);
    const uploads = data.uploads || new Map();
    const priced = co.lines.length > 0 && co.lines.every((l) => l.unitPrice !== null && l.unitPrice !== undefined);
    const photoName = (/** @type {string} */ id) => data.photos.get(id)?.caption || uploads.get(id)?.caption || t("Job photo");
    const draft = co.status === "draft";
    return {
      bound: true,
      found: true,
      id: co.id,
      jobId: co.jobId,
      number: coNumber(co),
      jobTitle: job ? job.title : "",
      jobHref: "/field/job?id=" + encodeURIComponent(co.jobId),
      description: co.description,
      status: coStatus(co.status),
      draft,
      signed: !!co.signature,
      lines: co.lines.map(coLine),
      priceNote: priced ? "" : t("The price of this work will be confirmed by the office."),
      total: priced && co.total ? t("Total: {total}", { total: money(co.total) }) : "",
      photos: co.photoIds.map((id) => ({ id, name: data.photos.has(id) || uploads.has(id) ? photoName(id) : t("Photo pending") })),
      jobPhotos: draft
        ? [...data.photos.values(), ...uploads.values()]
            .filter((p) => p.jobId === co.jobId)
            .map((p) => ({ id: p.id, name: p.caption || t("Job photo"), chosen: co.photoIds.includes(p.id) }))
        : [],
      signerName: co.signature ? co.signature.name : "",
      signedText: co.signature ? t("Signed by {name}, {when}", { name: co.signature.name, when: `${date(co.signature.signedAt)} ${time(co.signature.signedAt)}` }) : "",
      svgPath: co.signature ? co.signature.svgPath : "",
      integrity: co.integrity === "mismatch" ? t("Warning: this change order was changed after it was signed.") : "",
      signError: ctx.signError || "",
      pending: pending.has(co.id),
    };
  }

  /** A status move as a verb on its button ("Start job", "Pause", "Resume", "Finish job").
   * @param {string} from @param {string} to */
  function verb(from, to) {
    if (to === "in_progress") return from === "on_hold" ? t("Resume") : t("Start job");
    if (to === "on_hold") return t("Pause");
    if (to === "completed") return t("Finish job");
    if (to === "cancelled") return t("Cancel job");
    return t("Move to {status}", { status: label(to) });
  }

  /** Asked before a move that closes the job. @param {string} to */
  function closingQuestion(to) {
    return to === "completed"
      ? t("Finish this job? After that only the office can change its status.")
      : t("Cancel this job? After that only the office can change its status.");
  }

  /** A job's photos, newest first: those on the server, then over them the phone's own.
   * @param {string} jobId @param {Mirror} data @param {Context} ctx */
  function jobPhotos(jobId, data, ctx) {
    const uploads = [...(data.uploads || new Map()).values()].filter((u) => u.jobId === jobId);
    const waiting = new Set(uploads.map((u) => u.id));
    /** @type {Array<{ id: string, src: string, href: string, caption: string, tag: string, at: string,
     *   state: "sent" | PhotoUpload["state"], error?: string }>} */
    const shown = [
      ...[...data.photos.values()]
        .filter((p) => p.jobId === jobId && !waiting.has(p.id))
        .map((p) => ({
          id: p.id,
          src: p.thumbnailUrl || p.fileUrl || "",
          href: p.fileUrl || "",
          caption: p.caption || "",
          tag: p.tag || "",
          at: p.takenAt || p.createdAt || "",
          state: /** @type {const} */ ("sent"),
        })),
      ...uploads.map((u) => ({
        id: u.id,
        src: ctx.localPhotoUrl ? ctx.localPhotoUrl(u.id) : "",
        href: "",
        caption: u.caption || "",
        tag: u.tag || "",
        at: u.takenAt || "",
        state: u.state,
        error: u.error || "",
      })),
    ];
    return shown
      .sort((a, b) => b.at.localeCompare(a.at))
      .map((p) => {
        const name = p.caption || t("Job photo");
        const named = p.at ? `${name} (${time(p.at)})` : name;
        return {
          id: p.id,
          src: p.src,
          href: p.href,
          alt: name,
          caption: p.caption,
          tagLabel: photoTags[p.tag] ? t(photoTags[p.tag]) : p.tag,
          when: p.at ? `${date(p.at)} ${time(p.at)}` : "",
          waiting: p.state === "waiting",
          failed: p.state === "failed",
          stateText: p.state === "waiting" ? t("Waiting to upload") : p.state === "failed" ? t("Not uploaded: {error}", { error: p.error || "" }) : "",
          openLabel: t("Open full size: {photo}", { photo: name }),
          discardLabel: t("Discard photo: {photo}", { photo: named }),
          retryLabel: t("Try again to upload: {photo}", { photo: named }),
        };
      });
  }

  /** "3 changes and 1 photo" — what is on this phone and not yet on the server.
   * @param {number} n @param {number} photos */
  function savedText(n, photos) {
    if (!photos) return changes(n);
    return n ? t("{changes} and {photos}", { changes: changes(n), photos: photosText(photos) }) : photosText(photos);
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

  /** One outbox operation in words.
   * @param {Pick<QueuedOperation, "entity" | "entityId" | "action" | "changes">} op
   * @param {Mirror} data @param {string} [subject] the row's name, should it be gone */
  function describe(op, data, subject = "") {
    const fields = op.changes || {};
    if (op.entity === "material") {
      const name = (data.materials.get(op.entityId) || fields).name || subject;
      if (!name) return t("Change a material");
      if (op.action === "create") return t("Add material “{name}”", { name });
      if ("purchased" in fields) return fields.purchased ? t("Tick “{name}” as bought", { name }) : t("Untick “{name}”", { name });
      return t("Change material “{name}”", { name });
    }
    if (op.entity === "job") {
      const title = (data.jobs.get(op.entityId) || {}).title || subject;
      if (!title) return t("Change a job");
      if ("status" in fields) return t("Move “{title}” to {status}", { title, status: label(String(fields.status)) });
      return t("Change job “{title}”", { title });
    }
    if (op.entity === "note") {
      const title = data.jobs.get(String(fields.jobId))?.title || "";
      const body = String(fields.body || "").slice(0, 40);
      return title ? t("Note on “{title}”: {body}", { title, body }) : t("Note: {body}", { body });
    }
    if (op.entity === "user" && "language" in fields) return t("Change your language");
    if (op.entity === "user" && "shareLocation" in fields) {
      return fields.shareLocation ? t("Add your location to clock-ins") : t("No location on clock-ins");
    }
    if (op.entity === "change_order") {
      const co = (data.changeOrders || new Map()).get(op.entityId);
      const what = (co && co.number) || t("a change order");
      if (op.action === "create") return t("Write up change order “{what}”", { what: String(fields.description || "").slice(0, 40) });
      if (fields.signature) return t("Customer signature on {what}", { what });
      return t("Change {what}", { what });
    }
    if (op.entity === "time_entry") {
      const entry = (data.timeEntries || new Map()).get(op.entityId);
      const title = data.jobs.get(String(fields.jobId || (entry && entry.jobId) || ""))?.title || t("a job");
      if (op.action === "create") return t("Clock in on “{job}”", { job: title });
      if (fields.endedAt) return t("Clock out of “{job}”", { job: title });
      if ("breaks" in fields) return t("Break on “{job}”", { job: title });
      if ("inLat" in fields || "outLat" in fields) return t("Location for the time on “{job}”", { job: title });
      return t("Time on “{job}”", { job: title });
    }
    return t("Change");
  }

  /** @param {Issue} item @param {Mirror} data */
  function issue(item, data) {
    const what = describe(item.op, data, item.subject);
    if (item.reason) {
      // Refused by the office's rules (the thing was deleted, a move not allowed): the
      // server's sentence names the thing, and the office has the record to review.
      return shown(item, t("Not applied"), t("{error} The office can see what you did.", { error: item.error }));
    }
    if (item.kind === "rejected") {
      return shown(item, t("Not accepted"), t("{what} — {error} It was undone on this phone.", { what, error: item.error }));
    }
    const fields = (item.conflicts || []).map((c) => c.field || c).filter((f) => typeof f === "string");
    const which = fields.length ? ` (${fields.join(", ")})` : "";
    const why = item.error ? ` ${item.error}` : "";
    return shown(item, t("Conflict"), t("{what} — the office changed this too{which}.{why} The office's version is shown; the office can see both.", { what, which, why }));
  }

  /** An item of "Needs your attention".
   * @param {{ id: string, at: string }} item @param {string} kind @param {string} text */
  function shown(item, kind, text) {
    return { id: item.id, kind, text, when: time(item.at), dismissLabel: t("Dismiss: {text}", { text }) };
  }

  /** What the sync loop is doing, in words. @param {SyncState} state */
  function stateText(state) {
    if (state === "idle") return t("Up to date");
    if (state === "syncing") return t("Syncing…");
    if (state === "offline") return t("Offline");
    if (state === "stalled") return t("Can't reach the office — will try again");
    return t("Signed out — sign in to send your changes");
  }

  /** @param {PhotoUpload} upload @param {Mirror} data */
  function photoText(upload, data) {
    const title = (data.jobs.get(upload.jobId) || {}).title || "";
    const caption = (upload.caption || "").slice(0, 40);
    if (!title) return caption ? t("Photo: {caption}", { caption }) : t("Photo");
    return caption ? t("Photo for “{title}”: {caption}", { title, caption }) : t("Photo for “{title}”", { title });
  }

  /** @param {Mirror} data @param {Context} ctx */
  function sync(data, ctx) {
    const uploads = [...(data.uploads || new Map()).values()].sort((a, b) => a.takenAt.localeCompare(b.takenAt));
    const waiting = uploads.filter((u) => u.state !== "failed");
    const ops = [
      ...data.queue.map((op, i) => ({ key: op.opId || String(i), text: describe(op, data), when: time(op.clientTimestamp) })),
      ...waiting.map((u) => ({ key: u.id, text: photoText(u, data), when: time(u.takenAt) })),
    ];
    // A refused photo stays on the phone until dismissed (it may belong to a job no longer here).
    const refused = uploads
      .filter((u) => u.state === "failed")
      .map((u) => shown({ id: u.id, at: u.takenAt }, t("Photo not uploaded"), t("{photo} — {error} Dismissing removes it from this phone.", { photo: photoText(u, data), error: u.error || "" })));
    const issues = [...refused, ...(data.meta.issues || []).map((item) => issue(item, data))];
    const last = data.meta.lastSyncAt;
    return {
      bound: true,
      pending: ops.length,
      pendingText: ops.length ? t("{saved} waiting to be sent", { saved: savedText(data.queue.length, waiting.length) }) : t("Nothing waiting to be sent"),
      stateText: stateText(ctx.online ? ctx.syncState : "offline"),
      detail: ctx.syncState === "stalled" ? ctx.syncDetail || "" : "",
      lastSyncText: last ? t("Last synced {when}", { when: `${date(last)} ${time(last)}` }) : t("Not synced yet"),
      ops,
      issues,
    };
  }

  /** What is on this phone and not on the server, and what needs the person: the strip on
   * every screen and the Sync screen count the same things. @param {Mirror} data */
  function counts(data) {
    const uploads = [...(data.uploads || new Map()).values()];
    const photos = uploads.filter((u) => u.state !== "failed").length;
    const refused = uploads.length - photos;
    return {
      changes: data.queue.length,
      photos,
      waiting: data.queue.length + photos,
      attention: (data.meta.issues || []).length + refused,
    };
  }

  /** @param {Mirror} data @param {Context} ctx */
  function status(data, ctx) {
    const { waiting, attention } = counts(data);
    const kept = waiting
      ? tn(
          "your changes are kept on this phone ({count} waiting)",
          "your changes are kept on this phone ({count} waiting)",
          waiting,
        )
      : t("your changes are kept on this phone");
    let bannerText = "";
    let bannerKind = "";
    if (attention) {
      bannerKind = "attention";
      bannerText = tn("{count} item needs your attention", "{count} items need your attention", attention);
      if (!ctx.online) bannerText = t("Offline — {rest}", { rest: bannerText });
    } else if (!ctx.online) {
      bannerKind = "offline";
      bannerText = t("Offline — {rest}", { rest: kept });
    } else if (ctx.syncState === "stalled" && waiting) {
      bannerKind = "offline";
      bannerText = t("Can't reach the office — {rest}", { rest: kept });
    }
    // The first download: say so, rather than "no jobs", until the first pull has finished.
    const downloading = !data.meta.lastSyncAt && (ctx.syncState === "idle" || ctx.syncState === "syncing") && ctx.online;
    return {
      ready: !!ctx.ready && !downloading,
      loadingText: downloading && ctx.ready ? t("Downloading your jobs to this phone…") : t("Loading…"),
      signedIn: !!ctx.user,
      userName: ctx.user ? ctx.user.name : "",
      pending: waiting,
      showBanner: !!bannerText,
      bannerText,
      bannerKind,
      bannerLink: bannerKind === "attention" && ctx.page !== "sync",
      updateReady: !!ctx.updateReady,
    };
  }

  // The time clock (docs/time.md): my entries, the device's time of each tap --------------

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

  /** The settings screen: the person's language; whether clock-ins carry where they are.
   * @param {Mirror} _data @param {Context} ctx */
  function settings(_data, ctx) {
    return { bound: true, language: language(), shareLocation: ctx.shareLocation === true };
  }

  return { today, jobs, job, supply, sync, status, settings, clock, week, changeOrder, openEntry, describe, roleOf, counts };
}
