// @ts-check
/* KHS CRM field app: change orders on the phone (docs/change_orders.md). Written up on site and
 * kept on the phone at once (numbered by the office when it arrives), lines and job photos
 * added while a draft, then signed by the customer: their typed name, a drawing in the box,
 * the phone's time and the fingerprint of the content (khs_signing.js); from then on nobody
 * can change it. */
import { t } from "./khs_i18n.js";
import { contentHash, line as coLine } from "./khs_signing.js";

/** @typedef {import("./khs_store.js").Store} Store */
/** @typedef {{ strokes: string[], drawing: boolean }} Pad the drawing: SVG path data, one "M … L …" run per stroke */

/** Draw on the signature box: each stroke is kept as SVG path data in the box's own
 * coordinates (CSS pixels), drawn at the screen's resolution.
 * @param {HTMLCanvasElement} canvas @param {Pad} pad */
function attachPad(canvas, pad) {
  if (canvas.dataset.ready) return;
  canvas.dataset.ready = "1";
  const ratio = window.devicePixelRatio || 1;
  const box = canvas.getBoundingClientRect();
  canvas.width = Math.round(box.width * ratio);
  canvas.height = Math.round(box.height * ratio);
  const ctx = canvas.getContext("2d");
  if (!ctx) return;
  ctx.scale(ratio, ratio);
  ctx.lineWidth = 2.5;
  ctx.lineCap = ctx.lineJoin = "round";
  ctx.strokeStyle = "#111827";
  /** @param {PointerEvent} ev */
  const at = (ev) => {
    const r = canvas.getBoundingClientRect();
    return [Math.round((ev.clientX - r.left) * 10) / 10, Math.round((ev.clientY - r.top) * 10) / 10];
  };
  canvas.addEventListener("pointerdown", (ev) => {
    ev.preventDefault();
    canvas.setPointerCapture(ev.pointerId);
    const [x, y] = at(ev);
    pad.drawing = true;
    pad.strokes.push(`M${x} ${y}`);
    ctx.beginPath();
    ctx.moveTo(x, y);
  });
  canvas.addEventListener("pointermove", (ev) => {
    if (!pad.drawing) return;
    const [x, y] = at(ev);
    pad.strokes[pad.strokes.length - 1] += ` L${x} ${y}`;
    ctx.lineTo(x, y);
    ctx.stroke();
  });
  const end = () => (pad.drawing = false);
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
}

/** A line from the form's fields (kind, description, quantity, unit).
 * @param {(name: string) => string} text */
function formLine(text) {
  return coLine({ kind: text("kind") || "labor", description: text("lineDescription"), quantity: text("quantity") || "1", unit: text("unit") });
}

/**
 * The change-order actions for the field app (`window.khs`), over its store.
 * @param {object} deps
 * @param {() => Store | null} deps.store
 * @param {(entity: "change_order", id: string, action: "update", changes: Record<string, unknown>) => void} deps.edit queued, a failure said in the banner
 * @param {(err: unknown) => void} deps.saveError
 * @param {() => void} deps.render
 */
export function createChangeOrders({ store, edit, saveError, render }) {
  /** Why a signature was not taken. */
  let signError = "";
  /** @type {Pad} */
  const pad = { strokes: [], drawing: false };

  /** @param {string} id */
  function draft(id) {
    const co = store()?.mem.changeOrders?.get(id);
    return co && co.status === "draft" ? co : null;
  }

  return {
    signError: () => signError,
    /** Write up extra work agreed on site: kept on the phone at once, numbered by the office
     * when it arrives; then its page, for photos and the customer's signature.
     * @param {string} jobId @param {Record<string, unknown>} values */
    async createChangeOrder(jobId, values) {
      const s = store();
      const text = (/** @type {string} */ name) => String(values[name] || "").trim();
      const description = text("description");
      if (!s || !jobId || !description) return;
      const first = text("lineDescription") ? [formLine(text)] : [];
      const id = crypto.randomUUID();
      const changes = { jobId, number: null, description, lines: first, photoIds: [], status: "draft" };
      try {
        await s.edit("change_order", id, "create", changes, { createdAt: new Date().toISOString(), signature: null });
        location.assign("/field/change-order?id=" + encodeURIComponent(id));
      } catch (err) {
        saveError(err);
      }
    },
    /** @param {string} id @param {Record<string, unknown>} values */
    addChangeOrderLine(id, values) {
      const co = draft(id);
      const text = (/** @type {string} */ name) => String(values[name] || "").trim();
      if (!co || !text("lineDescription")) return;
      edit("change_order", id, "update", { lines: [...co.lines, formLine(text)] });
    },
    /** @param {string} id @param {string} photoId */
    toggleChangeOrderPhoto(id, photoId) {
      const co = draft(id);
      if (!co) return;
      const photoIds = co.photoIds.includes(photoId) ? co.photoIds.filter((p) => p !== photoId) : [...co.photoIds, photoId];
      edit("change_order", id, "update", { photoIds });
    },
    /** The signature box mounted: draw with a finger, a pen or the mouse. */
    padReady() {
      const canvas = document.getElementById("signature-pad");
      if (canvas instanceof HTMLCanvasElement) attachPad(canvas, pad);
    },
    padClear() {
      pad.strokes = [];
      const canvas = document.getElementById("signature-pad");
      if (canvas instanceof HTMLCanvasElement) canvas.getContext("2d")?.clearRect(0, 0, canvas.width, canvas.height);
    },
    /** The customer signs what the screen shows: their name, the drawing, the phone's time
     * and the fingerprint of the content; from then on nobody can change it.
     * @param {string} id @param {Record<string, unknown>} values */
    async signChangeOrder(id, values) {
      const co = draft(id);
      if (!co) return;
      const name = String(values.signer || "").trim();
      signError = !name ? t("Type the customer's name first.") : !pad.strokes.length ? t("The customer signs in the box first.") : "";
      if (signError) return render();
      const signedAt = new Date().toISOString();
      const svgPath = pad.strokes.join(" ");
      const hash = await contentHash(co, name, signedAt);
      edit("change_order", id, "update", { signature: { name, svgPath, signedAt, contentHash: hash }, status: "signed" });
      pad.strokes = [];
    },
  };
}
