// @ts-check
/* KHS CRM field app: the job's photos taken on the phone. Each is saved on the phone at once
 * (the store's `addPhoto`) and uploaded by the sync loop; until then the screens show it from
 * its bytes on the phone, read once and let go of when no screen shows it any more. */
import { config as cfg } from "./khs_device.js";
import { t } from "./khs_i18n.js";
import { checkChanges } from "./khs_views.js";

/** @typedef {import("./khs_start.js").App} App */

/** The photo form and the phone's own photos on the screens.
 * @param {{ app: App, render: () => void, saveError: (err: unknown) => void }} deps */
export function createPhotos({ app, render: renderAll, saveError }) {
  /** @type {Map<string, string>} photo id → object URL of the bytes kept on this phone ("" while read) */
  const photoUrls = new Map();
  /** @type {Set<string>} the phone's own photos the last render showed */
  const shownPhotos = new Set();

  /** A full render (`draw`): the photos it shows stay read, the others are let go of.
   * @param {() => void} draw */
  function keepShown(draw) {
    shownPhotos.clear();
    draw();
    prunePhotoUrls();
  }

  /** Where to show a photo that is still only on this phone (read once, kept while shown).
   * @param {string} id */
  function localPhotoUrl(id) {
    shownPhotos.add(id);
    const known = photoUrls.get(id);
    if (known !== undefined) return known;
    const store = app.store;
    if (!store) return "";
    photoUrls.set(id, "");
    store
      .photoBytes(id)
      .then((bytes) => {
        const upload = store.mem.uploads.get(id);
        if (!bytes) return photoUrls.delete(id); // not committed yet: the store tells us when
        if (!upload || photoUrls.get(id) !== "") return;
        photoUrls.set(id, URL.createObjectURL(new Blob([bytes], { type: upload.type })));
        renderAll();
      })
      .catch(() => photoUrls.delete(id));
    return "";
  }

  /** Full-size bytes are large: let go of every one the screens no longer show. */
  function prunePhotoUrls() {
    for (const [id, url] of photoUrls) {
      if (shownPhotos.has(id)) continue;
      if (url) URL.revokeObjectURL(url);
      photoUrls.delete(id);
    }
  }

  /** The photo form: every picked or taken file is saved on the phone under a new id.
   * @param {string} jobId */
  async function addPhoto(jobId) {
    const form = document.getElementById("photo-form");
    const store = app.store;
    if (!store || !jobId || !(form instanceof HTMLFormElement)) return;
    const values = new FormData(form);
    const files = values.getAll("file").filter((f) => f instanceof File && f.size).map((f) => /** @type {File} */ (f));
    if (!files.length) {
      app.error = t("Take a photo or choose one first.");
      return renderAll();
    }
    const caption = String(values.get("caption") || "").trim();
    const picked = String(values.get("tag") || "");
    const tag = Object.prototype.hasOwnProperty.call(cfg.photoTags || {}, picked) ? picked : cfg.photoTag;
    const refused = checkChanges(cfg.limits, "photo", "create", { caption, tag });
    if (refused) {
      app.error = refused.message;
      return renderAll();
    }
    form.reset();
    app.error = "";
    // The photos may be the only copy: ask the browser not to evict this site's storage.
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
    const tooBig = files.filter((f) => cfg.maxPhotoBytes && f.size > cfg.maxPhotoBytes);
    if (tooBig.length) {
      const limit = Math.round(cfg.maxPhotoBytes / 1048576);
      app.error = t("Too large to upload (over {limit} MB): {files}", { limit, files: tooBig.map((f) => f.name).join(", ") });
      renderAll();
    }
    for (const file of files.filter((f) => !tooBig.includes(f))) {
      try {
        const bytes = await file.arrayBuffer();
        const takenAt = new Date(file.lastModified || Date.now()).toISOString();
        await store.addPhoto({ id: crypto.randomUUID(), jobId, caption, tag, takenAt, bytes, type: file.type, name: file.name });
      } catch (err) {
        app.error = t("Could not save the photo on this phone: {error}", { error: err instanceof Error ? err.message : String(err) });
        renderAll();
      }
    }
  }

  /** @param {string} id */
  function discardPhoto(id) {
    if (app.store) app.store.discardUpload(id).catch(saveError);
  }

  /** @param {string} id */
  function retryPhoto(id) {
    if (app.store) app.store.retryUpload(id).catch(saveError); // its commit triggers a sync
  }

  return { keepShown, localPhotoUrl, addPhoto, discardPhoto, retryPhoto };
}
