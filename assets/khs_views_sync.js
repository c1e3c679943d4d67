// @ts-check
/* KHS CRM field app: the views of what is waiting and what went wrong: the status strip on every
 * screen, the Sync screen (the outbox in words, "Needs your attention"), and Settings. */

/** @typedef {import("./khs_types.js").Mirror} Mirror */
/** @typedef {import("./khs_types.js").Issue} Issue */
/** @typedef {import("./khs_types.js").PhotoUpload} PhotoUpload */
/** @typedef {import("./khs_types.js").QueuedOperation} QueuedOperation */
/** @typedef {import("./khs_views.js").Context} Context */
/** @typedef {import("./khs_views.js").Kit} Kit */
/** @typedef {import("./khs_views.js").SyncState} SyncState */
import { language, t, tn } from "./khs_i18n.js";

/** The strip, Sync and Settings views. @param {Kit} kit */
export function createSyncViews({ time, date, label }) {
  /** "3 changes", "1 photo" @param {number} n */
  const changes = (n) => tn("{count} change", "{count} changes", n);
  /** @param {number} n */
  const photosText = (n) => tn("{count} photo", "{count} photos", n);

  /** "3 changes and 1 photo" — what is on this phone and not yet on the server.
   * @param {number} n @param {number} photos */
  function savedText(n, photos) {
    if (!photos) return changes(n);
    return n ? t("{changes} and {photos}", { changes: changes(n), photos: photosText(photos) }) : photosText(photos);
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

  /** The settings screen: the person's language; whether clock-ins carry where they are.
   * @param {Mirror} _data @param {Context} ctx */
  function settings(_data, ctx) {
    return { bound: true, language: language(), shareLocation: ctx.shareLocation === true };
  }

  return { sync, status, settings, describe, counts };
}
