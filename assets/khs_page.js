// @ts-check
/* KHS CRM: the one script every page loads. It brings what every page needs (the service
 * worker, the "new version" notice, the sign-out that protects unsent work: khs_device.js)
 * and, on the field app's pages only, the field app itself (store, views, sync loop), which
 * starts the first pull while React is still loading. A field screen reached without a page
 * load (an in-app redirect) asks for it through `khsField` when it binds (khs_crm/offline/views.py).
 *
 * On a field page Reflex's runtime waits for this script ("khs:runtime", khs_crm/first_paint.py):
 * - the field screens hold no server state and send no Reflex event (they render from the
 *   phone's data and call the REST API), so the runtime is told there is no backend to
 *   connect to (Reflex's own switch, the `backend-enabled` cookie, kept to /field): no
 *   websocket, no state round trip on every page load of a crew's phone;
 * - a cold start of the Today screen first paints the jobs (khs_first_paint.js). */
import "./khs_device.js";

const page = /** @type {Window & { khsField?: () => Promise<unknown>, khsRuntime?: boolean }} */ (self);
/** @type {Promise<unknown> | null} */
let field = null;
const loadField = () => (field ??= import("./khs_app.js"));
page.khsField = loadField;

function startRuntime() {
  page.khsRuntime = true;
  dispatchEvent(new Event("khs:runtime"));
}

if (/^\/field(\/|$)/.test(location.pathname)) {
  document.cookie = "backend-enabled=false; path=/field; max-age=31536000; samesite=strict";
  if (location.pathname.replace(/\/+$/, "") === "/field") {
    import("./khs_first_paint.js")
      .then((first) => first.paintToday())
      .catch((err) => console.error("khs: first paint", err))
      .finally(() => (startRuntime(), loadField()));
  } else {
    startRuntime();
    loadField();
  }
}
