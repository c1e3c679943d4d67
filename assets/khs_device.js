// @ts-check
/* KHS CRM, every page: the service worker (registration, "new version" notice) and sign-out,
 * which warns about changes still on the phone and clears the device before the form posts.
 * The field app (khs_app.js) imports this module and plugs into `hooks` when it runs. */
import { open as openDb, remove as removeDb, req } from "./khs_db.js";
import { t, tn } from "./khs_i18n.js";

/** @typedef {import("./khs_types.js").Config} Config */
/** @typedef {import("./khs_types.js").User} User */

/** The settings every page carries (<script id="khs-config">, khs_crm/offline/pwa.py).
 * @type {Config} */
export const config = JSON.parse(document.getElementById("khs-config")?.textContent || "{}");
export const USER_KEY = "khs.lastUser";
const DB_PREFIX = "khs-user-";
const REFLEX_TOKEN_KEY = "token"; // Reflex's own key (reflex_base/.templates/web/utils/state.js)
export const channel = "BroadcastChannel" in self ? new BroadcastChannel("khs") : null;
/**
 * What the field app plugs in while it runs.
 * @type {{ pending: (() => number) | null, stop: () => void, update: (() => void) | null, sync: () => void }}
 */
export const hooks = {
  pending: null, // () => number of unsent changes, while the field app runs
  stop: () => {}, // close the field app's database before it is deleted
  update: null, // () => show the field app's own "new version" notice
  sync: () => {}, // Background Sync fired: sync now
};
/** @type {ServiceWorker | null} the new version, installed and waiting */
let waiting = null;
let reloadOnUpdate = false;

/** The last user signed in on this device, kept for offline starts.
 * @returns {User | null} */
export function lastUser() {
  try {
    return JSON.parse(localStorage.getItem(USER_KEY) || "null");
  } catch {
    return null;
  }
}

/** @param {{ type: string, id?: string }} message for the service worker (sw.js "message") */
export function tellWorker(message) {
  const sw = navigator.serviceWorker;
  if (sw) sw.ready.then((reg) => reg.active && reg.active.postMessage(message)).catch(() => {});
}

/** Changes and photos only on this phone (the field app counts them while it runs). */
async function pendingOnDevice() {
  if (hooks.pending) return hooks.pending();
  const last = lastUser();
  if (!last) return 0;
  const db = await openDb(last.id, indexedDB);
  try {
    const tx = db.transaction(["syncQueue", "photoUploads"]);
    const counts = ["syncQueue", "photoUploads"].map((name) => req(tx.objectStore(name).count()));
    return (await Promise.all(counts)).reduce((a, b) => a + b, 0);
  } finally {
    db.close();
  }
}

/** Every user's database, the last-user pointer and the cached API answers. */
async function clearDevice() {
  const last = lastUser();
  const ids = new Set(last ? [last.id] : []);
  hooks.stop();
  if (indexedDB.databases) {
    for (const { name } of await indexedDB.databases()) {
      if (name && name.startsWith(DB_PREFIX)) ids.add(name.slice(DB_PREFIX.length));
    }
  }
  for (const id of ids) await removeDb(id, indexedDB);
  localStorage.removeItem(USER_KEY);
  if (self.caches) {
    for (const key of await caches.keys()) if (key.startsWith("khs-api-")) await caches.delete(key);
  }
  tellWorker({ type: "signout" });
  if (channel) channel.postMessage({ type: "signout" });
  // Reflex keeps this tab's server-side state under the token in sessionStorage: the next
  // person to sign in here gets a new token, so nothing loaded for this one reaches them.
  sessionStorage.removeItem(REFLEX_TOKEN_KEY);
}

/** @param {number | null} n changes on the phone; null: they could not be counted */
function signOutQuestion(n) {
  if (n === null) {
    return t("This phone's saved changes and photos could not be checked. Signing out deletes anything not yet sent. Sign out anyway?");
  }
  return tn(
    "{count} change has not reached the office yet (photos count as changes). Signing out deletes it from this phone. Sign out anyway?",
    "{count} changes have not reached the office yet (photos count as changes). Signing out deletes them from this phone. Sign out anyway?",
    n,
  );
}

// The sign-out button is a plain form post: stop it, warn, clear, then let it go.
document.addEventListener(
  "submit",
  async (ev) => {
    const form = ev.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains("signout")) return;
    ev.preventDefault();
    ev.stopPropagation();
    const pending = await pendingOnDevice().catch(() => null); // unknown: ask anyway
    if (pending && !confirm(signOutQuestion(pending))) return;
    await clearDevice().catch((err) => console.error("khs: clear", err));
    HTMLFormElement.prototype.submit.call(form);
  },
  true,
);

export function applyUpdate() {
  reloadOnUpdate = true;
  if (waiting) waiting.postMessage({ type: "SKIP_WAITING" });
  else location.reload();
}

function showNotice() {
  if (document.getElementById("khs-update")) return;
  const box = document.createElement("div");
  box.id = "khs-update";
  box.className = "update-banner";
  box.setAttribute("role", "status");
  box.textContent = t("A new version of KHS CRM is ready.") + " ";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "btn btn-primary";
  button.textContent = t("Reload");
  button.onclick = applyUpdate;
  box.appendChild(button);
  document.body.appendChild(box);
}

// A new version installs in the background and waits: the page offers a reload rather
// than running the old bundle against the new server.
/** @param {ServiceWorkerRegistration} reg */
function offerUpdate(reg) {
  if (!navigator.serviceWorker.controller || !reg.waiting) return;
  waiting = reg.waiting;
  if (hooks.update) hooks.update();
  else showNotice();
}

function registerWorker() {
  const sw = navigator.serviceWorker;
  if (!sw || !config.swUrl) return;
  sw.register(config.swUrl, { scope: "/" })
    .then((reg) => {
      offerUpdate(reg);
      reg.addEventListener("updatefound", () => {
        const next = reg.installing;
        if (next) next.addEventListener("statechange", () => next.state === "installed" && offerUpdate(reg));
      });
    })
    .catch((err) => console.warn("khs: service worker", err));
  // A page whose navigation started while the worker was activating is not controlled yet.
  sw.ready.then((reg) => !sw.controller && reg.active && reg.active.postMessage({ type: "CLAIM" }));
  sw.addEventListener("controllerchange", () => reloadOnUpdate && location.reload());
  sw.addEventListener("message", (ev) => ev.data && ev.data.type === "khs-sync" && hooks.sync());
}

if (document.readyState === "complete") registerWorker();
else addEventListener("load", registerWorker);
