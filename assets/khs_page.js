// @ts-check
/* KHS CRM: the one script every page loads. It brings what every page needs (the service
 * worker, the "new version" notice, the sign-out that protects unsent work: khs_device.js)
 * and, on the field app's pages only, the field app itself (store, views, sync loop), which
 * starts the first pull while React is still loading. A field screen reached without a page
 * load (an in-app redirect) asks for it through `khsField` when it binds (khs_crm/offline/views.py). */
import "./khs_device.js";

const page = /** @type {Window & { khsField?: () => Promise<unknown> }} */ (self);
/** @type {Promise<unknown> | null} */
let field = null;
page.khsField = () => (field ??= import("./khs_app.js"));
if (/^\/field(\/|$)/.test(location.pathname)) page.khsField();
