/* KHS CRM: browser glue for every page. Registers the service worker, clears the device at
 * sign-out and, once a field screen binds its views, runs the local-first app: opens the signed-in
 * user's database, hands view data to the Python-rendered screens through `window.khs.bind`,
 * turns taps into edits and keeps the sync loop going. */
(function () {
  "use strict";
  const lib = self.khsLib;
  const cfg = JSON.parse((document.getElementById("khs-config") || {}).textContent || "{}");
  const USER_KEY = "khs.lastUser";
  const views = lib.views.createViews(cfg);
  const channel = "BroadcastChannel" in self ? new BroadcastChannel("khs") : null;
  const EMPTY = { customers: new Map(), jobs: new Map(), materials: new Map(), notes: new Map(), queue: [], meta: {} };
  const setters = new Map();
  const ticked = new Set(); // materials ticked on this visit stay listed on the Supply run
  const app = { store: null, sync: null, user: null, ready: false, syncState: "idle", syncDetail: "", error: "", updateReady: false, waiting: null, reloadOnUpdate: false };

  function context() {
    return {
      now: new Date(),
      user: app.user,
      online: navigator.onLine,
      syncState: app.syncState,
      syncDetail: app.syncDetail,
      jobId: new URLSearchParams(location.search).get("id"),
      ticked,
      ready: app.ready,
      updateReady: app.updateReady,
    };
  }

  function render(name) {
    const setter = setters.get(name);
    if (!setter || !views[name]) return;
    const value = views[name](app.store ? app.store.mem : EMPTY, context());
    if (name === "status" && app.error) Object.assign(value, { showBanner: true, bannerText: app.error });
    setter(value);
  }

  function renderAll() {
    for (const name of setters.keys()) render(name);
  }

  function lastUser() {
    try {
      return JSON.parse(localStorage.getItem(USER_KEY) || "null");
    } catch {
      return null;
    }
  }

  function toLogin() {
    location.assign("/login?next=" + encodeURIComponent(location.pathname + location.search));
  }

  function afterEdit() {
    if (app.sync) app.sync.trigger();
    if (navigator.serviceWorker) {
      navigator.serviceWorker.ready.then((reg) => reg.sync && reg.sync.register("khs-sync")).catch(() => {});
    }
  }

  async function start(user) {
    const db = await lib.db.open(user.id, indexedDB);
    db.onversionchange = () => db.close();
    const store = lib.store.createStore({
      db,
      dbLib: lib.db,
      user,
      uuid: () => crypto.randomUUID(),
      onCommit(why) {
        if (channel) channel.postMessage({ type: "changed", userId: user.id });
        if (why === "edit") afterEdit();
      },
    });
    app.user = user;
    app.store = store;
    store.subscribe(renderAll);
    await store.load();
    app.sync = lib.sync.createSync({
      store,
      fetch: (url, init) => fetch(url, init),
      scope: user.role === "worker" ? "all" : "week",
      locks: navigator.locks || null,
      lockName: "khs-sync-" + user.id,
      isOnline: () => navigator.onLine,
      onUnauthorized: toLogin,
      onState(state, detail) {
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
  }

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
    const last = lastUser();
    if (last) await start(last).catch((err) => console.error("khs: local data", err));
    const me = await whoAmI();
    if (me === "signed-out") return toLogin();
    if (me) {
      const user = { id: me.id, name: me.name, role: me.role };
      if (!app.user || app.user.id !== user.id) {
        stop();
        await start(user);
      }
      app.user = user;
      localStorage.setItem(USER_KEY, JSON.stringify(user));
      tellWorker({ type: "user", id: user.id });
    }
    app.ready = true;
    renderAll();
    if (app.sync) app.sync.run();
  }

  function edit(...args) {
    if (!app.store) return;
    app.store.edit(...args).catch((err) => {
      app.error = "Could not save on this phone: " + err.message;
      renderAll();
    });
  }

  function role() {
    return app.user && app.user.role !== "worker" ? "office" : "worker";
  }

  function submit(ev) {
    const form = ev && ev.target;
    if (!app.store || !form || !form.dataset) return;
    const data = Object.fromEntries(new FormData(form));
    const jobId = data.jobId;
    const createdAt = new Date().toISOString();
    if (form.dataset.kind === "material" && (data.name || "").trim()) {
      const changes = {
        jobId,
        name: data.name.trim(),
        quantity: Number(data.quantity) || 1,
        unit: (data.unit || "").trim(),
        supplier: (data.supplier || "").trim(),
      };
      edit("material", crypto.randomUUID(), "create", changes, { purchased: false, createdAt });
    } else if (form.dataset.kind === "note" && (data.body || "").trim()) {
      const extra = { authorId: app.user.id, authorName: app.user.name, createdAt };
      edit("note", crypto.randomUUID(), "create", { jobId, body: data.body.trim() }, extra);
    }
  }

  const khs = {
    bind(name, setter) {
      setters.set(name, setter);
      startField();
      render(name);
    },
    toggle(materialId) {
      const row = app.store && app.store.mem.materials.get(materialId);
      if (!row) return;
      ticked.add(materialId);
      edit("material", materialId, "update", { purchased: !row.purchased });
    },
    setStatus(jobId, status) {
      const row = app.store && app.store.mem.jobs.get(jobId);
      const moves = row ? (cfg.workflow[row.status] || {})[role()] || [] : [];
      if (moves.includes(status)) edit("job", jobId, "update", { status });
    },
    submit,
    dismiss(issueId) {
      if (app.store) app.store.dismissIssue(issueId);
    },
    syncNow() {
      app.error = "";
      if (app.sync) app.sync.run();
    },
    applyUpdate() {
      app.reloadOnUpdate = true;
      if (app.waiting) app.waiting.postMessage({ type: "SKIP_WAITING" });
      else location.reload();
    },
  };
  self.khs = khs;

  // Sign-out: warn about changes still on the phone, clear the device, then let the form post.
  async function pendingOnDevice() {
    if (app.store) return app.store.pendingCount();
    const last = lastUser();
    if (!last) return 0;
    const db = await lib.db.open(last.id, indexedDB);
    const count = await lib.db.req(db.transaction("syncQueue").objectStore("syncQueue").count());
    db.close();
    return count;
  }

  async function clearDevice() {
    const ids = new Set([lastUser(), app.user].filter(Boolean).map((u) => u.id));
    stop();
    if (indexedDB.databases) {
      for (const { name } of await indexedDB.databases()) {
        if (name && name.startsWith("khs-user-")) ids.add(name.slice("khs-user-".length));
      }
    }
    for (const id of ids) await lib.db.remove(id, indexedDB);
    localStorage.removeItem(USER_KEY);
    if (self.caches) {
      for (const key of await caches.keys()) if (key.startsWith("khs-api-")) await caches.delete(key);
    }
    tellWorker({ type: "signout" });
    if (channel) channel.postMessage({ type: "signout" });
  }

  document.addEventListener(
    "submit",
    async (ev) => {
      const form = ev.target;
      if (!(form instanceof HTMLFormElement) || !form.classList.contains("signout")) return;
      ev.preventDefault();
      ev.stopPropagation();
      const pending = await pendingOnDevice().catch(() => 0);
      const ask = `${pending} change${pending === 1 ? " has" : "s have"} not reached the office yet. Signing out deletes ${pending === 1 ? "it" : "them"} from this phone. Sign out anyway?`;
      if (pending && !confirm(ask)) return;
      await clearDevice().catch((err) => console.error("khs: clear", err));
      HTMLFormElement.prototype.submit.call(form);
    },
    true,
  );

  // Service worker: registered after load; a new version waits until the user reloads.
  function tellWorker(message) {
    const sw = navigator.serviceWorker;
    if (sw) sw.ready.then((reg) => reg.active && reg.active.postMessage(message)).catch(() => {});
  }

  function offerUpdate(reg) {
    if (!navigator.serviceWorker.controller || !reg.waiting) return;
    app.waiting = reg.waiting;
    app.updateReady = true;
    renderAll();
    if (!fieldStarted && !document.getElementById("khs-update")) {
      const box = document.createElement("div");
      box.id = "khs-update";
      box.className = "update-banner";
      box.setAttribute("role", "status");
      box.textContent = "A new version of KHS CRM is ready. ";
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-primary";
      button.textContent = "Reload";
      button.onclick = khs.applyUpdate;
      box.appendChild(button);
      document.body.appendChild(box);
    }
  }

  function registerWorker() {
    const sw = navigator.serviceWorker;
    if (!sw || !cfg.swUrl) return;
    sw.register(cfg.swUrl, { scope: "/" })
      .then((reg) => {
        offerUpdate(reg);
        reg.addEventListener("updatefound", () => {
          const next = reg.installing;
          if (next) next.addEventListener("statechange", () => next.state === "installed" && offerUpdate(reg));
        });
      })
      .catch((err) => console.warn("khs: service worker", err));
    sw.addEventListener("controllerchange", () => app.reloadOnUpdate && location.reload());
    sw.addEventListener("message", (ev) => ev.data && ev.data.type === "khs-sync" && app.sync && app.sync.trigger());
  }

  if (document.readyState === "complete") registerWorker();
  else addEventListener("load", registerWorker);

  // The field screens call bind() when they mount: that starts the local-first app.
  let fieldStarted = false;
  function startField() {
    if (fieldStarted) return;
    fieldStarted = true;
    addEventListener("online", () => {
      renderAll();
      if (app.sync) app.sync.trigger();
    });
    addEventListener("offline", renderAll);
    document.addEventListener("visibilitychange", () => document.visibilityState === "visible" && app.sync && app.sync.trigger());
    setInterval(() => document.visibilityState === "visible" && app.sync && app.sync.trigger(), 60000);
    if (channel) {
      channel.onmessage = (ev) => {
        const msg = ev.data || {};
        if (msg.type === "changed" && app.store && app.user && msg.userId === app.user.id) app.store.reload();
        if (msg.type === "signout") {
          stop();
          toLogin();
        }
      };
    }
    boot().catch((err) => console.error("khs: start", err));
  }
})();
