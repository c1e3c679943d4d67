// @ts-check
/* KHS CRM field app (/field...): hands view data to the Python-rendered screens through
 * `window.khs.bind(name, setter)` and takes their taps. Its parts: khs_start.js (start-up: the
 * signed-in user's database on the phone, the sync loop), khs_edits.js (taps that change
 * rows), khs_photos.js (photos taken on the phone), khs_clock.js (the time clock) and
 * khs_change_order.js (change orders and the customer's signature). */
import * as device from "./khs_device.js";
import * as i18n from "./khs_i18n.js";
import { createViews } from "./khs_views.js";
import { createChangeOrders } from "./khs_change_order.js";
import { createClock } from "./khs_clock.js";
import { createEdits } from "./khs_edits.js";
import { createPhotos } from "./khs_photos.js";
import { createStart } from "./khs_start.js";
import { LAYER_ID, retire } from "./khs_first_paint.js";
import { emptyMirror } from "./khs_db.js";

/** @typedef {import("./khs_types.js").Mirror} Mirror */
/** @typedef {import("./khs_views.js").Context} Context */
/** @typedef {import("./khs_start.js").App} App */

/** @typedef {keyof typeof screens} ScreenName */
/** @typedef {(value: object) => void} Setter a ClientStateVar's setter (khs_crm/offline/views.py) */

const views = createViews(device.config);
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
const EMPTY = emptyMirror();
/** @type {Map<ScreenName, Setter>} */
const setters = new Map();
/** @type {App} */
const app = { store: null, sync: null, user: null, ready: false, syncState: "idle", syncDetail: "", error: "", updateReady: false };

const edits = createEdits({ app, views, render: renderAll });
const { saveError, edit } = edits;
const photos = createPhotos({ app, render: renderAll, saveError });
// The running clock counts every second; only its own view is computed again.
const tick = () => setters.has("clock") && render("clock");
const start = createStart({ app, views, render: renderAll, tick, saveError });

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

/** @returns {Context} */
function context() {
  return {
    now: new Date(),
    user: app.user,
    online: navigator.onLine,
    syncState: app.syncState,
    syncDetail: app.syncDetail,
    jobId: new URLSearchParams(location.search).get("id"),
    localPhotoUrl: photos.localPhotoUrl,
    ready: app.ready,
    updateReady: app.updateReady,
    ...edits.context(), // ticked, materialError, confirm, undo
    clockNotice: clock.notice(),
    askLocation: clock.asking(),
    shareLocation: clock.choice(),
    changeOrderId: /^\/field\/change-order/.test(location.pathname) ? new URLSearchParams(location.search).get("id") : null,
    signError: changeOrders.signError(),
    page: location.pathname.replace(/\/+$/, "").split("/").pop() || "",
  };
}

// What each view was last given, as JSON: a view that has not changed is not given again,
// so React does not draw the screens again for nothing (every text reads `words`). A screen
// that mounts later starts from the view's last value (a ClientStateVar keeps it). The words
// start as their default, none (English: khs_crm/offline/views.py WORDS).
/** @type {Map<ScreenName, string>} */
const given = new Map([["words", "{}"]]);

/** @param {ScreenName} name */
function render(name) {
  const setter = setters.get(name);
  if (!setter || !screens[name]) return;
  const value = screens[name](app.store ? app.store.mem : EMPTY, context());
  // What could not be done on this screen (saving, a photo): said in red until the next screen.
  if (name === "status" && app.error) Object.assign(value, { showBanner: true, bannerText: app.error, bannerKind: "attention", bannerLink: false });
  const json = JSON.stringify(value);
  if (given.get(name) !== json) {
    given.set(name, json);
    setter(value);
  }
  retireFirstPaint(name);
}

/** The early paint of a cold start's jobs (khs_first_paint.js) goes once React shows them from
 * the phone's data (the first pull is in), or the first pull failed, or another screen is
 * open; two frames later, when React has painted what goes under it, so nothing blinks.
 * A Clock in tapped on it is done then, on the phone's data (the job, any open entry).
 * @param {ScreenName} name */
function retireFirstPaint(name) {
  if (!document.getElementById(LAYER_ID) || !app.store) return;
  const shown = name === "today" && app.store.mem.meta.cursor != null;
  const elsewhere = location.pathname.replace(/\/+$/, "") !== "/field";
  const failed = app.syncState === "offline" || app.syncState === "stalled" || app.syncState === "signedOut";
  if (!shown && !elsewhere && !failed) return;
  const early = /** @type {Window & { khsTaps?: Array<[string, string]> }} */ (self);
  const taps = early.khsTaps || [];
  early.khsTaps = [];
  for (const [action, jobId] of taps) if (action === "clockIn") khs.clockIn(jobId);
  requestAnimationFrame(() => requestAnimationFrame(retire));
}

function renderAll() {
  photos.keepShown(() => {
    for (const name of setters.keys()) render(name);
  });
}

// What the screens' controls call (plain JS function Vars, see khs_crm/offline/views.py).
const khs = {
  /** A screen mounted: call `setter` with its view now and after every change.
   * @param {ScreenName} name @param {Setter} setter */
  bind(name, setter) {
    setters.set(name, setter);
    start.startField();
    render(name);
  },
  toggle: edits.toggle,
  setStatus: edits.setStatus,
  confirmStatus: edits.confirmStatus,
  cancelStatus: edits.cancelStatus,
  undo: edits.undo,
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
  addMaterial: edits.addMaterial,
  addNote: edits.addNote,
  addPhoto: photos.addPhoto,
  discardPhoto: photos.discardPhoto,
  retryPhoto: photos.retryPhoto,
  dismiss: edits.dismiss,
  setLanguage: start.setLanguage,
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

for (const args of page.khsQueue || []) khs.bind(...args); // screens that mounted first
page.khsQueue = [];
// On a field page start now: who is signed in, the device data and the first pull load
// while React is still downloading, so the screen fills in as soon as it mounts.
if (/^\/field(\/|$)/.test(location.pathname)) start.startField();
