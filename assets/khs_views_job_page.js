// @ts-check
/* KHS CRM field app: the job page's view: the job's card, its status moves (a closing move asks
 * first, the last move can be undone), materials, notes, photos and change orders. */

/** @typedef {import("./khs_types.js").Mirror} Mirror */
/** @typedef {import("./khs_types.js").PhotoUpload} PhotoUpload */
/** @typedef {import("./khs_views.js").Context} Context */
/** @typedef {import("./khs_views.js").Kit} Kit */
/** @typedef {import("./khs_views.js").ViewConfig} ViewConfig */
/** @typedef {ReturnType<typeof import("./khs_views_jobs.js").createJobViews>} JobViews */
import { t } from "./khs_i18n.js";
import { jobChangeOrders } from "./khs_views_change_order.js";

/** The job page, built on the lists' job card and material row.
 * @param {Kit} kit @param {ViewConfig} config
 * @param {Pick<JobViews, "jobCard" | "material">} parts */
export function createJobPage({ date, time, label, pendingIds, roleOf, openEntry }, { workflow, photoTags = {} }, { jobCard, material }) {
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

  return { job };
}
