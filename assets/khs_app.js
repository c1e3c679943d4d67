// @ts-check
/* KHS CRM field app (/field...), and the one script every page loads (its imports bring the
 * rest): opens the signed-in user's database, hands view data to the Python-rendered screens
 * through `window.khs.bind(name, setter)`, turns taps into edits and keeps the sync loop
 * going. Offline it runs for the last signed-in user; only a 401 from the server (never a
 * network error) sends it to /login, and the outbox stays on the phone. */
import * as device from "./khs_device.js";
import { open as openDb } from "./khs_db.js";
import { createStore } from "./khs_store.js";
import { SYNC_HEADERS, createSync, pullUrl } from "./khs_sync.js";
import * as i18n from "./khs_i18n.js";
import { checkChanges, createViews } from "./khs_views.js";
import * as vitals from "./khs_vitals.js";
import { createChangeOrders } from "./khs_change_order.js";
import { createClock } from "./khs_clock.js";
const { t } = i18n;

/** @typedef {import("./khs_types.js").Config} Config */
/** @typedef {import("./khs_types.js").Mirror} Mirror */
/** @typedef {import("./khs_types.js").User} User */
/** @typedef {import("./khs_store.js").Store} Store */
/** @typedef {import("./khs_sync.js").Sync} Sync */
/** @typedef {import("./khs_views.js").Context} Context */
/** @typedef {import("./khs_views.js").SyncState} SyncState */

/** @typedef {keyof typeof screens} ScreenName */
/** @typedef {(value: object) => void} Setter a ClientStateVar's setter (khs_crm/offline/views.py) */

const cfg = device.config;
const views = createViews(cfg);
// The views a screen can bind, by the names khs_crm/offline/views.py gives them.
const screens = {
  status: views.status,
  today: views.today,
  jobs: views.jobs,
  job: views.job,
  supply: views.supply,
  sync: views.sync,
  settings: views.settings,
  clock: views.clock,
  week: views.week,
  changeOrder: views.changeOrder,
  words: () => i18n.words(), // the screens' own words (khs_crm/offline/words.py)
};
/** @type {Mirror} */
const EMPTY = {
  customers: new Map(),
  jobs: new Map(),
  materials: new Map(),
  notes: new Map(),
  photos: new Map(),
  timeEntries: new Map(),
  changeOrders: new Map(),
  uploads: new Map(),
  queue: [],
  meta: {},
};
/** @type {Map<string, string>} photo id → object URL of the bytes kept on this phone ("" while read) */
const photoUrls = new Map();
/** @type {Set<string>} the phone's own photos the last render showed */
const shownPhotos = new Set();
/** @type {Map<ScreenName, Setter>} */
const setters = new Map();
/** @type {Set<string>} materials ticked on this visit stay listed on the Supply run */
const ticked = new Set();
/** @type {{ store: Store | null, sync: Sync | null, user: User | null, ready: boolean, syncState: SyncState,
 *   syncDetail: string, error: string, updateReady: boolean }} */
const app = { store: null, sync: null, user: null, ready: false, syncState: "idle", syncDetail: "", error: "", updateReady: false };
/** @type {Context["materialError"]} why the add-material form was not queued */
let materialError = null;
/** @type {Context["confirm"]} a move that closes a job, waiting for "Yes" */
let confirming = null;
/** @type {Context["undo"]} the last status move, while it can be taken back */
let undoable = null;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let undoTimer;
// How long a status move stays on the phone, unsent, so that Undo can take it back.
const UNDO_MS = 5000;

/** @returns {Context} */
function context() {
  return {
    now: new Date(),
    user: app.user,
    online: navigator.onLine,
    syncState: app.syncState,
    syncDetail: app.syncDetail,
    jobId: new URLSearchParams(location.search).get("id"),
    ticked,
    localPhotoUrl,
    ready: app.ready,
    updateReady: app.updateReady,
    materialError,
    confirm: confirming,
    undo: undoable,
    clockNotice: clock.notice(),
    askLocation: clock.asking(),
    shareLocation: clock.choice(),
    changeOrderId: /^\/field\/change-order/.test(location.pathname) ? new URLSearchParams(location.search).get("id") : null,
    signError: changeOrders.signError(),
    page: location.pathname.replace(/\/+$/, "").split("/").pop() || "",
  };
}

/** @param {ScreenName} name */
function render(name) {
  const setter = setters.get(name);
  if (!setter || !screens[name]) return;
  const value = screens[name](app.store ? app.store.mem : EMPTY, context());
  // What could not be done on this screen (saving, a photo): said in red until the next screen.
  if (name === "status" && app.error) Object.assign(value, { showBanner: true, bannerText: app.error, bannerKind: "attention", bannerLink: false });
  setter(value);
}

function renderAll() {
  shownPhotos.clear();
  for (const name of setters.keys()) render(name);
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

/** Speak `lang` on every screen (its catalog is precached: this works offline) and say so
 * to the browser (`<html lang>`). @param {string | null | undefined} lang */
async function useLanguage(lang) {
  const code = i18n.languageOf(lang);
  try {
    i18n.use(await i18n.load(code, (url) => fetch(url)));
  } catch (err) {
    console.error("khs: language", err); // the words stay as they were
    return;
  }
  document.documentElement.lang = i18n.language();
  renderAll();
}

/** The language this person's words are in: one chosen on this phone and not yet sent wins
 * over what the server last said. @param {User | null} user */
function languageFor(user) {
  return (app.store && app.store.unsentLanguage()) || (user && user.language) || "en";
}

function toLogin() {
  location.assign("/login?next=" + encodeURIComponent(location.pathname + location.search));
}

function afterEdit() {
  if (app.sync) app.sync.trigger();
  if (navigator.serviceWorker) {
    // Background Sync (Chromium): the worker wakes a page to sync once the phone is online.
    const ready = /** @type {Promise<ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } }>} */ (
      navigator.serviceWorker.ready
    );
    ready.then((reg) => reg.sync && reg.sync.register("khs-sync")).catch(() => {});
  }
}

// The first page of changes, asked for on a cold start (nothing on this phone yet) together
// with "who am I", so the jobs arrive one round trip sooner. A worker's scope: for anyone
// else the loop asks again with theirs.
const FIRST_PAGE = 500;
/** @type {{ url: string, response: Promise<import("./khs_sync.js").Answer> } | null} */
let early = null;

/** Open this user's data on the phone and start syncing it. @param {User} user */
async function start(user) {
  const db = await openDb(user.id, indexedDB);
  db.onversionchange = () => db.close(); // sign-out in another tab deletes it
  const store = createStore({
    db,
    user,
    uuid: () => crypto.randomUUID(),
    onCommit(why) {
      if (device.channel) device.channel.postMessage({ type: "changed", userId: user.id });
      if (why === "edit") afterEdit();
    },
  });
  app.user = user;
  app.store = store;
  store.subscribe(renderAll);
  await store.load();
  await useLanguage(languageFor(user));
  device.hooks.pending = () => store.pendingCount();
  app.sync = createSync({
    store,
    fetch: (url, init) => fetch(url, init),
    scope: views.roleOf(user) === "office" ? "week" : "all",
    locks: navigator.locks || null,
    lockName: "khs-sync-" + user.id,
    isOnline: () => navigator.onLine,
    onUnauthorized: toLogin,
    pageSize: FIRST_PAGE,
    early: views.roleOf(user) === "office" ? null : early,
    onState(state, detail) {
      if (state === "stalled" && detail) vitals.report(detail, "sync");
      app.syncState = state;
      app.syncDetail = detail;
      renderAll();
    },
  });
}

function stop() {
  if (app.sync) app.sync.stop();
  if (app.store) app.store.close();
  app.store = app.sync = app.user = null;
  device.hooks.pending = null;
}

/** Who the server says is signed in: a user, "signed-out", or null when it cannot be asked.
 * @returns {Promise<User | "signed-out" | null>} */
async function whoAmI() {
  try {
    const res = await fetch("/api/auth/me", { credentials: "same-origin" });
    if (res.status === 401) return "signed-out";
    return res.ok ? (await res.json()).data : null;
  } catch {
    return null; // offline: carry on with the last signed-in user
  }
}

async function boot() {
  const asking = whoAmI(); // in parallel with opening the device's data
  const last = device.lastUser();
  if (!last) {
    const url = pullUrl(0, FIRST_PAGE, "all");
    early = { url, response: fetch(url, { credentials: "same-origin", headers: SYNC_HEADERS }) };
    early.response.catch(() => {}); // offline: the loop asks again, and says so
  }
  if (last) await start(last).catch((err) => console.error("khs: local data", err));
  const me = await asking;
  // Signed out while the server answers: the page's own session check (Reflex on_load)
  // redirects to /login in-app; this is the fallback should that not happen.
  if (me === "signed-out") return setTimeout(() => /^\/field(\/|$)/.test(location.pathname) && toLogin(), 3000);
  if (me) {
    const user = { id: me.id, name: me.name, role: me.role, language: i18n.languageOf(me.language), shareLocation: me.shareLocation ?? null };
    if (!app.user || app.user.id !== user.id) {
      stop();
      await start(user);
    }
    user.language = languageFor(user);
    app.user = user;
    localStorage.setItem(device.USER_KEY, JSON.stringify(user));
    if (user.language !== i18n.language()) await useLanguage(user.language);
    device.tellWorker({ type: "user", id: user.id });
  }
  app.ready = true;
  renderAll();
  if (app.sync) app.sync.run();
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

// The time clock (khs_clock.js): its taps, and the location stamp the person may choose.
const clock = createClock({
  store: () => app.store,
  user: () => app.user,
  // Only the user counts to find my open entry (the whole context would ask the clock again).
  openEntry: (mem) => views.openEntry(mem, /** @type {Context} */ (/** @type {unknown} */ ({ user: app.user }))),
  edit: (entity, id, action, changes) => (app.store ? app.store.edit(entity, id, action, changes) : Promise.resolve()),
  setOwn: (changes) => (app.store ? app.store.setOwn(changes) : Promise.resolve()),
  render: () => renderAll(),
  geo: () => navigator.geolocation || null,
});

// Change orders written up on the phone and signed there (khs_change_order.js).
const changeOrders = createChangeOrders({ store: () => app.store, edit, saveError, render: () => renderAll() });

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

/** Move a job to `status` if the workflow lets this person; the move waits unsent for
 * UNDO_MS, while the screen offers Undo. @param {string} jobId @param {string} status */
function moveJob(jobId, status) {
  const store = app.store;
  const row = store && store.mem.jobs.get(jobId);
  const moves = row ? (cfg.workflow[row.status] || {})[views.roleOf(app.user)] || [] : [];
  if (!store || !moves.includes(status)) return renderAll();
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

// What the screens' controls call (plain JS function Vars, see khs_crm/offline/views.py).
const khs = {
  /** A screen mounted: call `setter` with its view now and after every change.
   * @param {ScreenName} name @param {Setter} setter */
  bind(name, setter) {
    setters.set(name, setter);
    startField();
    render(name);
  },
  /** @param {string} materialId */
  toggle(materialId) {
    const row = app.store && app.store.mem.materials.get(materialId);
    if (!row) return;
    ticked.add(materialId);
    editMaterial(materialId, "update", { purchased: !row.purchased });
  },
  /** A status button: a move that closes the job asks first; any move can be undone for a
   * few seconds (it waits unsent on the phone meanwhile). @param {string} jobId @param {string} status */
  setStatus(jobId, status) {
    if ((cfg.closed || []).includes(status) && !(confirming && confirming.jobId === jobId && confirming.status === status)) {
      confirming = { jobId, status };
      return renderAll();
    }
    confirming = null;
    moveJob(jobId, status);
  },
  /** "Yes" to the question a closing move asked. */
  confirmStatus() {
    if (!confirming) return;
    const { jobId, status } = confirming;
    confirming = null;
    moveJob(jobId, status);
  },
  cancelStatus() {
    confirming = null;
    renderAll();
  },
  /** Take the last status move back: out of the outbox while unsent, else the reverse move
   * when the workflow allows it. */
  async undo() {
    const last = undoable;
    const store = app.store;
    if (!last || !store) return;
    undoable = null;
    clearTimeout(undoTimer);
    const before = String((store.mem.queue.find((o) => o.opId === last.opId)?.before || {}).status || "");
    if (await store.cancel(last.opId).catch(() => false)) return renderAll();
    const row = store.mem.jobs.get(last.jobId);
    const moves = row ? (cfg.workflow[row.status] || {})[views.roleOf(app.user)] || [] : [];
    if (before && moves.includes(before)) edit("job", last.jobId, "update", { status: before });
    renderAll();
  },
  clockIn: (/** @type {string} */ jobId) => void clock.clockIn(jobId).catch(saveError),
  clockOut: () => void clock.clockOut().catch(saveError),
  toggleBreak: () => void clock.toggleBreak().catch(saveError),
  /** @param {string} entryId @param {Record<string, unknown>} values */
  saveTimeNote: (entryId, values) => void clock.saveTimeNote(entryId, values).catch(saveError),
  /** Yes / No to "Add your location to clock-ins?", or the switch in Settings.
   * @param {boolean} share */
  setShareLocation(share) {
    if (!app.user) return;
    clock.setShareLocation(!!share).catch(saveError); // reads the choice before it changes here
    app.user = { ...app.user, shareLocation: !!share };
    localStorage.setItem(device.USER_KEY, JSON.stringify(app.user));
  },
  // Change orders and the customer's signature (khs_change_order.js).
  createChangeOrder: changeOrders.createChangeOrder,
  addChangeOrderLine: changeOrders.addChangeOrderLine,
  toggleChangeOrderPhoto: changeOrders.toggleChangeOrderPhoto,
  padReady: changeOrders.padReady,
  padClear: changeOrders.padClear,
  signChangeOrder: changeOrders.signChangeOrder,
  /** The header's back arrow: where the person came from in the app, else Today. */
  back() {
    const fromHere = document.referrer && new URL(document.referrer).origin === location.origin;
    if (fromHere && history.length > 1) history.back();
    else location.assign("/field");
  },
  /** The job page's action bar. */
  openCamera() {
    const input = document.getElementById("photo-camera");
    if (input instanceof HTMLInputElement) input.click();
  },
  /** @param {string} id the element to bring into view (and focus, for a field) */
  goTo(id) {
    const el = document.getElementById(id);
    if (!el) return;
    el.scrollIntoView({ behavior: "smooth", block: "center" });
    if (el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement) el.focus({ preventScroll: true });
  },
  addMaterial,
  addNote,
  addPhoto,
  /** @param {string} id */
  discardPhoto(id) {
    if (app.store) app.store.discardUpload(id).catch(saveError);
  },
  /** @param {string} id */
  retryPhoto(id) {
    if (app.store) app.store.retryUpload(id).catch(saveError); // its commit triggers a sync
  },
  /** @param {string} issueId */
  dismiss(issueId) {
    if (!app.store) return;
    if (app.store.mem.uploads.has(issueId)) app.store.discardUpload(issueId).catch(saveError); // a refused photo
    else app.store.dismissIssue(issueId);
  },
  /** The person's language, chosen in Settings: the screens switch now (no reload, offline
   * too) and the office gets it with the next sync. @param {string} lang */
  setLanguage(lang) {
    const code = i18n.languageOf(lang);
    const store = app.store;
    if (!store || !app.user) return;
    if (code === languageFor(app.user)) return;
    app.user = { ...app.user, language: code };
    localStorage.setItem(device.USER_KEY, JSON.stringify(app.user));
    useLanguage(code);
    store.setLanguage(code).catch(saveError);
  },
  syncNow() {
    app.error = "";
    if (app.sync) app.sync.run();
  },
  applyUpdate: device.applyUpdate,
};
// The page's globals: the screens call `window.khs`, and queue their binds in `khsQueue`
// should they mount before this module has run.
const page = /** @type {Window & { khs?: typeof khs, khsQueue?: Array<[ScreenName, Setter]> }} */ (self);
page.khs = khs;

// Started by the first screen that binds, or at once on a /field page (below).
let started = false;
function startField() {
  if (started) return;
  started = true;
  vitals.start();
  Object.assign(device.hooks, {
    stop,
    sync: () => app.sync && app.sync.trigger(),
    update() {
      app.updateReady = true;
      renderAll();
    },
  });
  const trigger = () => app.sync && app.sync.trigger();
  addEventListener("online", () => (renderAll(), trigger()));
  addEventListener("offline", renderAll);
  // The running clock counts every second; only its own view is computed again.
  setInterval(() => setters.has("clock") && render("clock"), 1000);
  document.addEventListener("visibilitychange", () => document.visibilityState === "visible" && trigger());
  setInterval(() => document.visibilityState === "visible" && trigger(), 60000);
  if (device.channel) {
    device.channel.onmessage = (ev) => {
      const msg = ev.data || {};
      if (msg.type === "changed" && app.store && app.user && msg.userId === app.user.id) app.store.reload();
      if (msg.type === "signout") (stop(), toLogin());
    };
  }
  boot().catch((err) => console.error("khs: start", err));
}

for (const args of page.khsQueue || []) khs.bind(...args); // screens that mounted first
page.khsQueue = [];
// On a field page start now: who is signed in, the device data and the first pull load
// while React is still downloading, so the screen fills in as soon as it mounts.
if (/^\/field(\/|$)/.test(location.pathname)) startField();
