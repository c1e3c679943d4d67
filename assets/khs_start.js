// @ts-check
/* KHS CRM field app: start-up. Who is signed in (asked of the server while the phone's data
 * opens), their data on this phone, the sync loop and the language they speak. Offline it
 * runs for the last signed-in user; only a 401 from the server (never a network error) sends
 * it to /login, and the outbox stays on the phone. */
import * as device from "./khs_device.js";
import { open as openDb } from "./khs_db.js";
import { createStore } from "./khs_store.js";
import { createSync } from "./khs_sync.js";
import { FIRST_PAGE, coldStart } from "./khs_first_paint.js";
import * as i18n from "./khs_i18n.js";
import * as vitals from "./khs_vitals.js";

/** @typedef {import("./khs_types.js").User} User */
/** @typedef {import("./khs_store.js").Store} Store */
/** @typedef {import("./khs_sync.js").Sync} Sync */
/** @typedef {import("./khs_views.js").SyncState} SyncState */
/** @typedef {ReturnType<typeof import("./khs_views.js").createViews>} Views */
/**
 * The field app's state, which its parts share (khs_app.js holds it).
 * @typedef {{ store: Store | null, sync: Sync | null, user: User | null, ready: boolean, syncState: SyncState,
 *   syncDetail: string, error: string, updateReady: boolean }} App
 */

/** Start-up (`startField`), and the language chosen in Settings.
 * @param {{ app: App, views: Views, render: () => void, tick: () => unknown, saveError: (err: unknown) => void }} deps
 *   `tick`: called every second (the running clock) */
export function createStart({ app, views, render: renderAll, tick, saveError }) {
  // The first page of changes of a cold start (nothing on this phone yet), asked for together
  // with "who am I" before this module loaded (khs_first_paint.js), so the jobs arrive sooner.
  /** @type {{ url: string, response: Promise<import("./khs_sync.js").Answer> } | null} */
  let early = null;

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
   * @param {Promise<Response> | null} asked the question already on its way, if it is
   * @returns {Promise<User | "signed-out" | null>} */
  async function whoAmI(asked) {
    try {
      const res = await (asked || fetch("/api/auth/me", { credentials: "same-origin" }));
      if (res.status === 401) return "signed-out";
      return res.ok ? (await res.json()).data : null;
    } catch {
      return null; // offline: carry on with the last signed-in user
    }
  }

  async function boot() {
    const cold = coldStart(); // null when the phone has a user's data
    const asking = whoAmI(cold && cold.me); // in parallel with opening the device's data
    const last = device.lastUser();
    if (cold) early = cold.pull;
    if (last) await start(last).catch((err) => console.error("khs: local data", err));
    const me = await asking;
    // Signed out, the server says (never when it cannot be asked): to /login, and back here.
    if (me === "signed-out") return toLogin();
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

  /** The person's language, chosen in Settings: the screens switch now (no reload, offline
   * too) and the office gets it with the next sync. @param {string} lang */
  function setLanguage(lang) {
    const code = i18n.languageOf(lang);
    const store = app.store;
    if (!store || !app.user) return;
    if (code === languageFor(app.user)) return;
    app.user = { ...app.user, language: code };
    localStorage.setItem(device.USER_KEY, JSON.stringify(app.user));
    useLanguage(code);
    store.setLanguage(code).catch(saveError);
  }

  // Started by the first screen that binds, or at once on a /field page (khs_app.js).
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
    setInterval(tick, 1000); // the running clock counts every second
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

  return { startField, setLanguage };
}
