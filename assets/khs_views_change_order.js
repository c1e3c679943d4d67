// @ts-check
/* KHS CRM field app: the views of change orders (docs/change_orders.md): the list on the job
 * page and the change-order page the customer reads and signs. */

/** @typedef {import("./khs_types.js").Mirror} Mirror */
/** @typedef {import("./khs_types.js").ChangeOrder} ChangeOrder */
/** @typedef {import("./khs_views.js").Context} Context */
/** @typedef {import("./khs_views.js").Kit} Kit */
import { locale, t } from "./khs_i18n.js";

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

/** The job page's list of change orders, newest first.
 * @param {string} jobId @param {Mirror} data @param {Set<string>} pending */
export function jobChangeOrders(jobId, data, pending) {
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

/** The change-order page's view (its dates in the company's time zone). @param {Kit} kit */
export function createChangeOrderViews({ date, time, pendingIds }) {
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

  return { changeOrder };
}
