// @ts-check
/* Type-level checks only (tsc reads this file; nothing runs it): the JSDoc row and config
 * types of assets/khs_types.js name exactly the fields the server sends, as the fixtures the
 * Python writes from the API's serializers and client_config() show them. A field added to or
 * dropped from a serializer fails `tsc` until khs_types.js says so too. */
import CONFIG from "./fixtures/config.json";
import ROWS from "./fixtures/rows.json";

/** @typedef {import("../../assets/khs_types.js").Customer} Customer */
/** @typedef {import("../../assets/khs_types.js").Job} Job */
/** @typedef {import("../../assets/khs_types.js").Material} Material */
/** @typedef {import("../../assets/khs_types.js").Note} Note */
/** @typedef {import("../../assets/khs_types.js").Photo} Photo */
/** @typedef {import("../../assets/khs_types.js").Config} Config */

/**
 * `true` when A and B are the same set of keys, else `false` (and `true` cannot be assigned).
 * @template A, B
 * @typedef {[A] extends [B] ? ([B] extends [A] ? true : false) : false} Same
 */

/** @type {Same<keyof typeof ROWS.customer, keyof Customer>} */
export const customerFields = true;
/** @type {Same<keyof typeof ROWS.job, keyof Job>} */
export const jobFields = true;
/** @type {Same<keyof typeof ROWS.material, keyof Material>} */
export const materialFields = true;
/** @type {Same<keyof typeof ROWS.note, keyof Note>} */
export const noteFields = true;
/** @type {Same<keyof typeof ROWS.photo, keyof Photo>} */
export const photoFields = true;
/** @type {Same<keyof typeof CONFIG, keyof Config>} */
export const configFields = true;

// And their values fit the types (a number where the type says string fails here).
/** @type {Customer} */
export const customer = ROWS.customer;
/** @type {Job} */
export const job = ROWS.job;
/** @type {Material} */
export const material = ROWS.material;
/** @type {Note} */
export const note = ROWS.note;
/** @type {Photo} */
export const photo = ROWS.photo;
/** @type {Config} */
export const config = CONFIG;
