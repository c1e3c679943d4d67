/* KHS CRM field app: what each screen shows, computed from the store's rows.
 * Pure functions: plain data in, plain data out (the Python pages render it). */
(function (root, factory) {
  const lib = factory();
  if (typeof module === "object" && module.exports) module.exports = lib;
  else (root.khsLib = root.khsLib || {}).views = lib;
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  // The rules below come from the server's config (khs_crm/offline/pwa.py), never typed here.

  /** The `tel:` link for a phone number: its digits (and a leading +) before any extension
   * marker (x, ext, ext., #, ;ext=) that follows them, the extension's digits as RFC 3966
   * `;ext=`. The office's `tel_href` (khs_crm/office/views.py) is the same rule: both pass
   * tests/js/fixtures/tel_cases.json. */
  function telHref(phone) {
    const text = String(phone || "");
    const first = text.search(/[0-9]/);
    if (first < 0) return "";
    const marker = /;ext=|ext\.?|x|#/i.exec(text.slice(first));
    const end = marker ? first + marker.index : text.length;
    const main = text.slice(0, end);
    const plus = main.match(/[0-9+]/)[0] === "+" ? "+" : "";
    const ext = marker ? (text.slice(end + marker[0].length).match(/[0-9]+/) || [""])[0] : "";
    return `tel:${plus}${main.replace(/[^0-9]/g, "")}${ext ? ";ext=" + ext : ""}`;
  }

  /** The first field of `changes` outside the server's limits for this entity and action
   * (config `limits`): `{ field, message }` in the office's words, or null when it may be
   * queued. A value the server would refuse never reaches the outbox. */
  function checkChanges(limits, entity, action, changes) {
    const fields = ((limits || {})[entity] || {})[action === "create" ? "create" : "update"] || {};
    for (const [field, rule] of Object.entries(fields)) {
      const value = changes[field];
      const refused = { field, message: rule.bounds };
      if (value === undefined || value === null) {
        if (rule.required) return { field, message: rule.empty || rule.bounds };
        continue;
      }
      if (rule.type === "string") {
        if (typeof value !== "string") return refused;
        const length = [...value].length; // characters, as the server counts them
        if (rule.minLength != null && length < rule.minLength) return { field, message: rule.empty || rule.bounds };
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

  function createViews({ timezone, workflow, labels, closed = [], upcoming = [], officeRoles = [], photoTags = {} }) {
    const CLOSED = new Set(closed); // jobs whose work is over
    const UPCOMING = new Set(upcoming); // jobs the supply run buys for
    const dayFmt = new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit" });
    const timeFmt = new Intl.DateTimeFormat("en-US", { timeZone: timezone, hour: "numeric", minute: "2-digit" });
    const dateFmt = new Intl.DateTimeFormat("en-US", { timeZone: timezone, weekday: "short", month: "short", day: "numeric" });

    const day = (iso) => (iso ? dayFmt.format(new Date(iso)) : "");
    const time = (iso) => (iso ? timeFmt.format(new Date(iso)) : "");
    const date = (iso) => (iso ? dateFmt.format(new Date(iso)) : "");
    const label = (status) => {
      const text = labels[status] || status || "";
      return text.charAt(0).toUpperCase() + text.slice(1);
    };
    const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

    function pendingIds(data) {
      return new Set(data.queue.map((op) => op.entityId));
    }

    /** "office" (sees every job, makes the office's moves) or "worker", as the server decides. */
    function roleOf(user) {
      return user && officeRoles.includes(user.role) ? "office" : "worker";
    }

    function mine(job, ctx) {
      if (ctx.user && roleOf(ctx.user) === "worker" && Array.isArray(job.assignedUserIds)) {
        return job.assignedUserIds.includes(ctx.user.id);
      }
      return true;
    }

    function byStart(a, b) {
      return (a.scheduledStart || "9999").localeCompare(b.scheduledStart || "9999") || a.title.localeCompare(b.title);
    }

    function jobCard(job, data, pending) {
      const customer = data.customers.get(job.customerId) || {};
      const address = job.siteAddress || customer.address || "";
      const phone = customer.phone || "";
      const toBuy = [...data.materials.values()].filter((m) => m.jobId === job.id && !m.purchased).length;
      return {
        id: job.id,
        title: job.title,
        status: job.status,
        statusLabel: label(job.status),
        customerName: customer.name || "",
        phone,
        telHref: telHref(phone),
        callLabel: `Call ${customer.name || "the customer"}`,
        address,
        mapHref: address ? "https://maps.google.com/?q=" + encodeURIComponent(address) : "",
        mapLabel: `Map: ${address}`,
        when: job.scheduledStart ? `${date(job.scheduledStart)} · ${time(job.scheduledStart)}` : "Not scheduled",
        href: "/field/job?id=" + encodeURIComponent(job.id),
        toBuy: toBuy ? `${toBuy} to buy` : "",
        pending: pending.has(job.id),
      };
    }

    function today(data, ctx) {
      const key = day(ctx.now.toISOString());
      const pending = pendingIds(data);
      const items = [...data.jobs.values()]
        .filter((j) => j.scheduledStart && !CLOSED.has(j.status) && mine(j, ctx))
        .filter((j) => day(j.scheduledStart) <= key && key <= day(j.scheduledEnd || j.scheduledStart))
        .sort(byStart)
        .map((j) => jobCard(j, data, pending));
      return { bound: true, items };
    }

    function jobs(data, ctx) {
      const pending = pendingIds(data);
      const items = [...data.jobs.values()]
        .filter((j) => !CLOSED.has(j.status) && mine(j, ctx))
        .sort(byStart)
        .map((j) => jobCard(j, data, pending));
      return { bound: true, items };
    }

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
        pending: pending.has(m.id),
      };
    }

    function job(data, ctx) {
      const row = ctx.jobId ? data.jobs.get(ctx.jobId) : null;
      if (!row) return { bound: true, found: false, id: ctx.jobId || "", moves: [], materials: [], notes: [], materialError: "" };
      const pending = pendingIds(data);
      const moves = ((workflow[row.status] || {})[roleOf(ctx.user)] || []).map((value) => ({
        value,
        label: label(value),
        ariaLabel: `Set status to ${label(value)}`,
      }));
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
      return { ...jobCard(row, data, pending), bound: true, found: true, description: row.description || "", moves, materials, notes, photos, materialError: refused };
    }

    /** A job's photos, newest first: those on the server, then over them the phone's own. */
    function jobPhotos(jobId, data, ctx) {
      const uploads = [...(data.uploads || new Map()).values()].filter((u) => u.jobId === jobId);
      const waiting = new Set(uploads.map((u) => u.id));
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
            state: "sent",
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
        .map((p) => ({
          id: p.id,
          src: p.src,
          href: p.href,
          alt: p.caption || "Job photo",
          caption: p.caption,
          tagLabel: photoTags[p.tag] || p.tag,
          when: p.at ? `${date(p.at)} ${time(p.at)}` : "",
          waiting: p.state === "waiting",
          failed: p.state === "failed",
          stateText: p.state === "waiting" ? "Waiting to upload" : p.state === "failed" ? `Not uploaded: ${p.error}` : "",
          discardLabel: `Discard photo: ${p.caption || "Job photo"}${p.at ? ` (${time(p.at)})` : ""}`,
          retryLabel: `Try again to upload: ${p.caption || "Job photo"}${p.at ? ` (${time(p.at)})` : ""}`,
        }));
    }

    /** "3 changes and 1 photo" — what is on this phone and not yet on the server. */
    function savedText(n, photos) {
      if (!photos) return plural(n, "change");
      return n ? `${plural(n, "change")} and ${plural(photos, "photo")}` : plural(photos, "photo");
    }

    function supply(data, ctx) {
      const key = day(ctx.now.toISOString());
      const pending = pendingIds(data);
      const ahead = new Map();
      for (const j of data.jobs.values()) {
        if (UPCOMING.has(j.status) && mine(j, ctx) && (!j.scheduledEnd || day(j.scheduledEnd) >= key)) ahead.set(j.id, j);
      }
      const groups = new Map();
      const items = [...data.materials.values()]
        .filter((m) => ahead.has(m.jobId) && (!m.purchased || ctx.ticked.has(m.id)))
        .sort((a, b) => byStart(ahead.get(a.jobId), ahead.get(b.jobId)) || a.name.localeCompare(b.name));
      for (const m of items) {
        const supplier = m.supplier || "Any supplier";
        if (!groups.has(supplier)) groups.set(supplier, []);
        groups.get(supplier).push(material(m, pending, ahead.get(m.jobId).title));
      }
      const list = [...groups.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([supplier, rows]) => ({ supplier, count: `${rows.filter((i) => !i.purchased).length} to buy`, items: rows }));
      return { bound: true, groups: list };
    }

    function describe(op, data, subject = "") {
      const changes = op.changes || {};
      if (op.entity === "material") {
        const name = (data.materials.get(op.entityId) || changes).name || subject || "a material";
        if (op.action === "create") return `Add material “${name}”`;
        if ("purchased" in changes) return changes.purchased ? `Tick “${name}” as bought` : `Untick “${name}”`;
        return `Change material “${name}”`;
      }
      if (op.entity === "job") {
        const title = (data.jobs.get(op.entityId) || {}).title || subject || "a job";
        if ("status" in changes) return `Move “${title}” to ${label(changes.status)}`;
        return `Change job “${title}”`;
      }
      if (op.entity === "note") {
        const title = (data.jobs.get(changes.jobId) || {}).title || "a job";
        const body = (changes.body || "").slice(0, 40);
        return `Note on “${title}”: ${body}`;
      }
      return `${op.action} ${op.entity}`;
    }

    function issue(item, data) {
      const what = describe(item.op, data, item.subject);
      if (item.reason) {
        // Refused by the office's rules (the thing was deleted, a move not allowed): the
        // server's sentence names the thing, and the office has the record to review.
        return { id: item.id, kind: "Not applied", text: `${item.error} The office can see what you did.`, when: time(item.at) };
      }
      if (item.kind === "rejected") {
        return { id: item.id, kind: "Not accepted", text: `${what} — ${item.error} It was undone on this phone.`, when: time(item.at) };
      }
      const fields = (item.conflicts || []).map((c) => c.field || c).filter((f) => typeof f === "string");
      const which = fields.length ? ` (${fields.join(", ")})` : "";
      const why = item.error ? ` ${item.error}` : "";
      return { id: item.id, kind: "Conflict", text: `${what} — the office changed this too${which}.${why} The office's version is shown; the office can see both.`, when: time(item.at) };
    }

    const STATE_TEXT = {
      idle: "Up to date",
      syncing: "Syncing…",
      offline: "Offline",
      stalled: "Can't reach the office — will try again",
      signedOut: "Signed out — sign in to send your changes",
    };

    function photoText(upload, data) {
      const title = (data.jobs.get(upload.jobId) || {}).title || "a job";
      return `Photo for “${title}”${upload.caption ? `: ${upload.caption.slice(0, 40)}` : ""}`;
    }

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
        .map((u) => ({ id: u.id, kind: "Photo not uploaded", text: `${photoText(u, data)} — ${u.error} Dismissing removes it from this phone.`, when: time(u.takenAt) }));
      const issues = [...refused, ...(data.meta.issues || []).map((item) => issue(item, data))];
      const last = data.meta.lastSyncAt;
      return {
        bound: true,
        pending: ops.length,
        pendingText: ops.length ? `${savedText(data.queue.length, waiting.length)} waiting to be sent` : "Nothing waiting to be sent",
        stateText: ctx.online ? STATE_TEXT[ctx.syncState] || "" : STATE_TEXT.offline,
        detail: ctx.syncState === "stalled" ? ctx.syncDetail || "" : "",
        lastSyncText: last ? `Last synced ${date(last)} ${time(last)}` : "Not synced yet",
        ops,
        issues,
      };
    }

    function status(data, ctx) {
      const photos = (data.uploads || new Map()).size;
      const n = data.queue.length + photos;
      const saved = `${savedText(data.queue.length, photos)} saved on this phone`;
      const issues = (data.meta.issues || []).length;
      const refusedPhotos = [...(data.uploads || new Map()).values()].filter((u) => u.state === "failed").length;
      let bannerText = "";
      if (!ctx.online) bannerText = `Offline — ${saved}`;
      else if (ctx.syncState === "stalled" && n) bannerText = `Can't reach the office — ${saved}`;
      else if (issues) bannerText = `${plural(issues, "change")} not accepted or in conflict — see Sync`;
      else if (refusedPhotos) bannerText = `${plural(refusedPhotos, "photo")} not uploaded — see Sync`;
      // The first download: say so, rather than "no jobs", until the first pull has finished.
      const downloading = !data.meta.lastSyncAt && (ctx.syncState === "idle" || ctx.syncState === "syncing") && ctx.online;
      return {
        ready: !!ctx.ready && !downloading,
        loadingText: downloading && ctx.ready ? "Downloading your jobs to this phone…" : "Loading…",
        signedIn: !!ctx.user,
        userName: ctx.user ? ctx.user.name : "",
        pending: n,
        showBanner: !!bannerText,
        bannerText,
        updateReady: !!ctx.updateReady,
      };
    }

    return { today, jobs, job, supply, sync, status, describe, roleOf };
  }

  return { createViews, telHref, checkChanges };
});
