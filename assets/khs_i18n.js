// @ts-check
/* KHS CRM field app: the words on the phone, in the person's language.
 * English is the source: a message is its English text with `{named}` placeholders. Another
 * language's catalog is `/i18n/<lang>.json`, compiled from the gettext PO by scripts/i18n
 * (khs_crm/i18n/compile.py) and precached with the app, so a switch works offline.
 * Plurals: the catalog lists one form per CLDR category (its `categories`), and
 * `Intl.PluralRules` says which category a count is in; gettext's plural expression is never
 * evaluated (that would need `new Function`, which the CSP forbids). */

/** @typedef {import("./khs_types.js").Catalog} Catalog */

export const LANGUAGES = ["en", "es"];
/** @type {Catalog} English: every message is its own translation */
const ENGLISH = { language: "en", locale: "en-US", categories: ["one", "other"], messages: {} };
/** @type {Catalog} */
let current = ENGLISH;
let rules = new Intl.PluralRules(ENGLISH.locale);

/** A supported language code for any input (unknown: English). @param {unknown} value */
export function languageOf(value) {
  const code = String(value || "").toLowerCase().split(/[-_]/)[0];
  return LANGUAGES.includes(code) ? code : "en";
}

/** The language the words are in now. */
export function language() {
  return current.language;
}

/** How dates and numbers are written (`en-US`, `es-US`). */
export function locale() {
  return current.locale;
}

/** Use a language: its catalog (null for English).
 * @param {Catalog | null} catalog */
export function use(catalog) {
  current = catalog && catalog.language !== "en" ? catalog : ENGLISH;
  rules = new Intl.PluralRules(current.locale);
}

/** The catalog of `lang`, fetched once (the service worker answers offline).
 * @param {string} lang
 * @param {(url: string) => Promise<Pick<Response, "ok" | "json">>} fetchFn
 * @returns {Promise<Catalog | null>} */
export async function load(lang, fetchFn) {
  const code = languageOf(lang);
  if (code === "en") return null;
  const cached = loaded.get(code);
  if (cached) return cached;
  const res = await fetchFn(`/i18n/${code}.json`);
  if (!res.ok) throw new Error(`No catalog for ${code}`);
  const catalog = /** @type {Catalog} */ (await res.json());
  loaded.set(code, catalog);
  return catalog;
}
/** @type {Map<string, Catalog>} */
const loaded = new Map();

/** @param {string} text @param {Record<string, unknown>} [params] */
function fill(text, params) {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/** A message in the current language, its `{placeholders}` filled in.
 * @param {string} message the English text
 * @param {Record<string, unknown>} [params] */
export function t(message, params) {
  const found = current.messages[message];
  return fill(typeof found === "string" && found ? found : message, params);
}

/** The form of a plural message for `count` (`{count}` and the other placeholders filled).
 * @param {string} singular @param {string} plural @param {number} count
 * @param {Record<string, unknown>} [params] */
export function tn(singular, plural, count, params) {
  const found = current.messages[singular];
  const category = rules.select(count);
  let text;
  if (Array.isArray(found) && found.length === current.categories.length) {
    const at = current.categories.indexOf(category);
    text = found[at < 0 ? found.length - 1 : at];
  } else {
    text = category === "one" ? singular : plural;
  }
  return fill(text, { count: formatNumber(count), ...params });
}

/** A number as the language writes it ("1,250.5" / "1,250.5" in es-US). @param {number} n */
export function formatNumber(n) {
  return new Intl.NumberFormat(current.locale).format(n);
}

/** The single-string messages, for the screens' static text (khs_crm/offline/words.py). */
export function words() {
  /** @type {Record<string, string>} */
  const out = {};
  for (const [id, text] of Object.entries(current.messages)) if (typeof text === "string" && text) out[id] = text;
  return out;
}
