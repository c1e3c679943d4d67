// @ts-check
/* KHS CRM field app: a cold start of the Today screen paints the crew's jobs before React.
 *
 * Cold means nothing of this person's is on the phone yet (first visit, new phone): the jobs
 * must come from the server. The two requests of that start (who is signed in, the first
 * page of changes) are made here, once, and handed to the sync loop (khs_start.js), which
 * uses their answers instead of asking again. On the Today screen the cards are painted from
 * that answer with the field app's own view model (khs_views.js `today`) in the markup of
 * the Python card (khs_crm/pages/field/cards.py), in a layer over the page's content; the
 * field app and Reflex's runtime load after that paint (khs_page.js, khs_crm/first_paint.py).
 * The layer goes once the app shows the same jobs (`retire`). Its links are plain links, so a
 * tap opens the job before React has hydrated. A browser test compares the layer's text with
 * the cards React paints afterwards (tests/e2e/test_field_first_paint.py). */
import { config, lastUser } from "./khs_device.js";
import { STORES, emptyMirror } from "./khs_db.js";
import * as i18n from "./khs_i18n.js";
import { SYNC_HEADERS, pullUrl } from "./khs_sync.js";
import { createViews } from "./khs_views.js";

/** @typedef {import("./khs_types.js").Mirror} Mirror */
/** @typedef {import("./khs_types.js").Change} Change */
/** @typedef {import("./khs_types.js").User} User */
/** @typedef {ReturnType<ReturnType<typeof createViews>["today"]>["items"][number]} Card */
/** @typedef {{ me: Promise<Response>, pull: { url: string, response: Promise<Response> }, forPaint: Promise<[Response | null, Response | null]> }} Cold */

// The first page of changes a cold start asks for (a worker's scope: anyone else's loop asks
// again with theirs, khs_start.js).
export const FIRST_PAGE = 500;
export const LAYER_ID = "khs-first-paint";

/** @type {Cold | null | undefined} */
let cold;

/** The requests of a cold start, made at the first call (null on a phone that has a user's
 * data already: the app starts from it and asks the server itself). */
export function coldStart() {
  if (cold !== undefined) return cold;
  if (lastUser()) return (cold = null);
  const url = pullUrl(0, FIRST_PAGE, "all");
  const response = fetch(url, { credentials: "same-origin", headers: SYNC_HEADERS });
  const me = fetch("/api/auth/me", { credentials: "same-origin" });
  // Copies of the answers for the paint, taken before the app can read their bodies.
  const copy = (/** @type {Promise<Response>} */ asked) => asked.then((res) => (res.ok ? res.clone() : null), () => null);
  const forPaint = Promise.all([copy(me), copy(response)]);
  response.catch(() => {}); // offline: the loop asks again, and says so
  me.catch(() => {});
  return (cold = { me, pull: { url, response }, forPaint });
}

/** The rows of one page of changes, as the screens read the phone's data. @param {Change[]} changes
 * @returns {Mirror} */
export function mirrorOf(changes) {
  const mem = emptyMirror();
  for (const change of changes) {
    const name = /** @type {keyof Mirror | undefined} */ (STORES[/** @type {keyof typeof STORES} */ (change.entity)]);
    const rows = /** @type {Map<string, unknown> | undefined} */ (name && mem[name] instanceof Map ? mem[name] : undefined);
    if (rows && change.action === "upsert" && change.row) rows.set(change.entityId, change.row);
  }
  return mem;
}

const ESCAPES = /** @type {Record<string, string>} */ ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" });
/** @param {unknown} text */
const esc = (text) => String(text ?? "").replace(/[&<>"']/g, (ch) => ESCAPES[ch]);

/** One job card in the Python card's markup (khs_crm/pages/field/cards.py `job_card`).
 * @param {Card} c */
export function cardHtml(c) {
  const call = c.telHref
    ? `<a href="${esc(c.telHref)}" aria-label="${esc(c.callLabel)}" class="btn btn-secondary">${esc(c.callText)}</a>`
    : "";
  const map = c.mapHref
    ? `<a href="${esc(c.mapHref)}" target="_blank" rel="noopener" aria-label="${esc(c.mapLabel)}" class="map-link">${esc(c.address)}</a>`
    : "";
  const clockClass = c.clockedIn ? "btn btn-secondary clock-in is-in" : "btn btn-primary clock-in";
  const tags = [c.toBuy ? `<span class="tag">${esc(c.toBuy)}</span>` : "", c.pending ? `<span class="tag tag-pending">${esc(i18n.t("Not sent yet"))}</span>` : ""];
  return (
    `<article class="job-item"><h3><a href="${esc(c.href)}" class="job-link stretched">${esc(c.title)}</a></h3>` +
    `<div class="job-sub">${esc(c.customerName)} · ${esc(c.when)} · ${esc(c.statusLabel)}</div>` +
    `<div class="job-meta">${call}${map}</div>` +
    `<div class="job-clock"><button type="button" aria-label="${esc(c.clockAria)}" aria-pressed="${c.clockedIn}" class="${clockClass}" data-job="${esc(c.id)}">${esc(c.clockLabel)}</button></div>` +
    `<div class="tags">${tags.join("")}</div></article>`
  );
}

/** Today's cards for this person from the first page of changes; null when there is nothing
 * to paint early (not a worker: their pull is another; no jobs today: the app says so).
 * @param {User} user @param {Change[]} changes @param {Date} now
 * @param {ReturnType<typeof createViews>} [views] */
export function todayCards(user, changes, now, views = createViews(config)) {
  if (views.roleOf(user) !== "worker") return null;
  const items = views.today(mirrorOf(changes), /** @type {any} */ ({ now, user })).items;
  return items.length ? items : null;
}

/** Paint Today's jobs of a cold start over the page's "Loading…" (see the module); resolves
 * once they are on screen, or at once when there is nothing to paint. Never throws. */
export async function paintToday() {
  try {
    const start = coldStart();
    const main = document.querySelector(".field-main");
    if (!start || !main) return;
    // While the server answers: where the layer goes, and the views (their date formats).
    const top = main.getBoundingClientRect().top + scrollY;
    let views = createViews(config);
    const [me, page] = await start.forPaint;
    if (!me || !page) return;
    const user = /** @type {User} */ ((await me.json()).data);
    const lang = i18n.languageOf(user.language);
    if (lang !== "en") {
      i18n.use(await i18n.load(lang, (url) => fetch(url)));
      views = createViews(config); // dates in the person's language
    }
    const cards = todayCards(user, (await page.json()).data.changes, new Date(), views);
    if (!cards || document.getElementById(LAYER_ID)) return;
    const layer = document.createElement("div");
    layer.id = LAYER_ID;
    layer.className = "field-shell";
    layer.style.top = `${top}px`;
    layer.innerHTML = `<div class="field-main"><section aria-label="${esc(i18n.t("Today's jobs"))}">${cards.map(cardHtml).join("")}</section></div>`;
    // Clock in before the app has started: done once it has (khs_app.js), the tap is not lost.
    layer.addEventListener("click", (ev) => {
      const button = ev.target instanceof Element ? ev.target.closest("button[data-job]") : null;
      if (!(button instanceof HTMLElement) || button.getAttribute("aria-pressed") === "true") return;
      button.setAttribute("aria-pressed", "true");
      button.textContent = i18n.t("Clocked in");
      const page = /** @type {Window & { khsTaps?: Array<[string, string]> }} */ (self);
      (page.khsTaps ??= []).push(["clockIn", button.dataset.job || ""]);
    });
    document.body.append(layer);
    await new Promise((painted) => requestAnimationFrame(() => setTimeout(painted, 0)));
  } catch (err) {
    console.error("khs: first paint", err); // the app paints them once it has loaded
  }
}

/** The app shows the phone's data now: the layer goes (its jobs are under it, the same). */
export function retire() {
  document.getElementById(LAYER_ID)?.remove();
}
