// @ts-check
/* KHS CRM field app: the taps that change rows: materials (within the server's limits, config
 * `limits`), notes, a job's status (a move that closes the job asks first; any move can be
 * undone for a few seconds) and the Sync screen's Dismiss. Each is written on the phone at
 * once (the store's `edit`) and synced later; a failure to save shows in the banner. */
import { config as cfg } from "./khs_device.js";
import { t } from "./khs_i18n.js";
import { checkChanges } from "./khs_views.js";

/** @typedef {import("./khs_types.js").Job} Job */
/** @typedef {import("./khs_store.js").Store} Store */
/** @typedef {import("./khs_views.js").Context} Context */
/** @typedef {ReturnType<typeof import("./khs_views.js").createViews>} Views */
/** @typedef {import("./khs_start.js").App} App */

// How long a status move stays on the phone, unsent, so that Undo can take it back.
const UNDO_MS = 5000;

/** The edits, and what the screens show of them (`context()`: the Supply run's ticks, the
 * add-material form's refusal, the question and the Undo of a status move).
 * @param {{ app: App, views: Views, render: () => void }} deps */
export function createEdits({ app, views, render: renderAll }) {
  /** @type {Set<string>} materials ticked on this visit stay listed on the Supply run */
  const ticked = new Set();
  /** @type {Context["materialError"]} why the add-material form was not queued */
  let materialError = null;
  /** @type {Context["confirm"]} a move that closes a job, waiting for "Yes" */
  let confirming = null;
  /** @type {Context["undo"]} the last status move, while it can be taken back */
  let undoable = null;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let undoTimer;

  /** @returns {Pick<Context, "ticked" | "materialError" | "confirm" | "undo">} */
  function context() {
    return { ticked, materialError, confirm: confirming, undo: undoable };
  }

  /** @param {unknown} err */
  function saveError(err) {
    app.error = t("Could not save on this phone: {error}", { error: err instanceof Error ? err.message : String(err) });
    renderAll();
  }

  /** A field edit (see the store's `edit`); a failure to save shows in the banner.
   * @param {Parameters<Store["edit"]>} args */
  function edit(...args) {
    if (!app.store) return;
    app.store.edit(...args).catch(saveError);
  }

  /** A material edit, queued only when it is within the server's limits (config `limits`):
   * otherwise the reason, in the office's words, and nothing queued. */
  /** @param {string} id @param {"create" | "update"} action @param {Record<string, unknown>} changes
   * @param {Record<string, unknown>} [extra] */
  function editMaterial(id, action, changes, extra) {
    const refused = checkChanges(cfg.limits, "material", action, changes);
    if (!refused) edit("material", id, action, changes, extra);
    return refused;
  }

  /** The add-material form. A refused value is named next to the form, which keeps what
   * was typed; once queued, the form is cleared. */
  /** @param {string} jobId @param {Record<string, unknown>} values the form's, by field name */
  function addMaterial(jobId, values) {
    if (!app.store || !jobId) return;
    /** @param {string} name */
    const text = (name) => String(values[name] || "").trim();
    /** @type {Record<string, unknown>} */
    const changes = { jobId, name: text("name"), unit: text("unit"), supplier: text("supplier") };
    const rules = ((cfg.limits || {}).material || {}).create || {};
    const typed = text("quantity"); // left empty: the server's default quantity
    if (typed !== "") changes.quantity = Number(typed);
    else if (rules.quantity && rules.quantity.default !== undefined) changes.quantity = rules.quantity.default;
    const extra = { purchased: false, createdAt: new Date().toISOString() };
    const refused = editMaterial(crypto.randomUUID(), "create", changes, extra);
    materialError = refused ? { jobId, message: refused.message } : null;
    if (!refused) {
      const form = document.getElementById("material-form");
      if (form instanceof HTMLFormElement) form.reset();
    }
    renderAll();
  }

  /** The moves the workflow lets this person make from a job's status.
   * @param {Job | null | undefined} row */
  function movesFrom(row) {
    return row ? (cfg.workflow[row.status] || {})[views.roleOf(app.user)] || [] : [];
  }

  /** Move a job to `status` if the workflow lets this person; the move waits unsent for
   * UNDO_MS, while the screen offers Undo. @param {string} jobId @param {string} status */
  function moveJob(jobId, status) {
    const store = app.store;
    const row = store && store.mem.jobs.get(jobId);
    if (!store || !movesFrom(row).includes(status)) return renderAll();
    store
      .edit("job", jobId, "update", { status }, {}, { holdMs: UNDO_MS })
      .then((op) => {
        undoable = { jobId, opId: op.opId, status };
        clearTimeout(undoTimer);
        undoTimer = setTimeout(() => {
          if (undoable && undoable.opId === op.opId) undoable = null;
          renderAll();
        }, UNDO_MS);
        renderAll();
      })
      .catch(saveError);
  }

  /** @param {string} jobId @param {Record<string, unknown>} values the form's, by field name */
  function addNote(jobId, values) {
    const body = String(values.body || "").trim();
    if (!app.store || !app.user || !jobId || !body) return;
    const extra = { authorId: app.user.id, authorName: app.user.name, createdAt: new Date().toISOString() };
    edit("note", crypto.randomUUID(), "create", { jobId, body }, extra);
  }

  /** @param {string} materialId */
  function toggle(materialId) {
    const row = app.store && app.store.mem.materials.get(materialId);
    if (!row) return;
    ticked.add(materialId);
    editMaterial(materialId, "update", { purchased: !row.purchased });
  }

  /** A status button: a move that closes the job asks first; any move can be undone for a
   * few seconds (it waits unsent on the phone meanwhile). @param {string} jobId @param {string} status */
  function setStatus(jobId, status) {
    if ((cfg.closed || []).includes(status) && !(confirming && confirming.jobId === jobId && confirming.status === status)) {
      confirming = { jobId, status };
      return renderAll();
    }
    confirming = null;
    moveJob(jobId, status);
  }

  /** "Yes" to the question a closing move asked. */
  function confirmStatus() {
    if (!confirming) return;
    const { jobId, status } = confirming;
    confirming = null;
    moveJob(jobId, status);
  }

  function cancelStatus() {
    confirming = null;
    renderAll();
  }

  /** Take the last status move back: out of the outbox while unsent, else the reverse move
   * when the workflow allows it. */
  async function undo() {
    const last = undoable;
    const store = app.store;
    if (!last || !store) return;
    undoable = null;
    clearTimeout(undoTimer);
    const before = String((store.mem.queue.find((o) => o.opId === last.opId)?.before || {}).status || "");
    if (await store.cancel(last.opId).catch(() => false)) return renderAll();
    if (before && movesFrom(store.mem.jobs.get(last.jobId)).includes(before)) edit("job", last.jobId, "update", { status: before });
    renderAll();
  }

  /** @param {string} issueId */
  function dismiss(issueId) {
    if (!app.store) return;
    if (app.store.mem.uploads.has(issueId)) app.store.discardUpload(issueId).catch(saveError); // a refused photo
    else app.store.dismissIssue(issueId);
  }

  return { context, saveError, edit, addMaterial, addNote, toggle, setStatus, confirmStatus, cancelStatus, undo, dismiss };
}
