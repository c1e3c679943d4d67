// @ts-check
/* KHS CRM field app: what a customer signs on the phone, and its fingerprint. A change order's
 * content hash is the lowercase hex SHA-256 of the RFC 8785 (JCS) canonical JSON of
 * {jobId, description, lines, photoIds, signerName, signedAt} (docs/change_orders.md): the
 * server computes the same over what it stored, so a document changed between what the
 * customer saw and what arrived is caught. Works offline (WebCrypto). */

/** @typedef {import("./khs_types.js").ChangeOrderLine} ChangeOrderLine */

/** A decimal as the server stores it: no trailing zeros, no bare point, "-0" is "0".
 * @param {string | null | undefined} value */
export function decimal(value) {
  if (value === null || value === undefined) return null;
  let text = String(value).trim().replace(/^\+/, "").replace(/^(-?)0+(?=\d)/, "$1");
  if (text.includes(".")) text = text.replace(/\.?0+$/, "");
  return text === "-0" || text === "" ? "0" : text;
}

/** A line with exactly the six keys the server stores and signs, its decimals normalized.
 * @param {Partial<ChangeOrderLine>} line @returns {ChangeOrderLine} */
export function line(line) {
  return {
    kind: line.kind || "other",
    description: line.description || "",
    quantity: decimal(line.quantity ?? "1") || "1",
    unit: line.unit || "",
    unitPrice: line.unitPrice === null || line.unitPrice === undefined || line.unitPrice === "" ? null : decimal(line.unitPrice),
    taxable: line.taxable !== false,
  };
}

/** JCS for values without numbers (ours: strings, booleans, null, arrays, objects): keys sorted
 * by UTF-16 code units, no whitespace, strings escaped as JSON.stringify does.
 * @param {unknown} value @returns {string} */
export function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  if (typeof value === "number") throw new Error("no numbers in signed content");
  return JSON.stringify(value);
}

/** Lowercase hex SHA-256 of a text's UTF-8 bytes. @param {string} text */
export async function sha256Hex(text) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** What is signed. @param {{ jobId: string, description: string, lines: Partial<ChangeOrderLine>[], photoIds: string[] }} co
 * @param {string} signerName @param {string} signedAt */
export function signedContent(co, signerName, signedAt) {
  return {
    jobId: co.jobId,
    description: co.description,
    lines: co.lines.map(line),
    photoIds: [...co.photoIds],
    signerName,
    signedAt,
  };
}

/** The content hash of a change order signed by `signerName` at `signedAt`.
 * @param {Parameters<typeof signedContent>[0]} co @param {string} signerName @param {string} signedAt */
export function contentHash(co, signerName, signedAt) {
  return sha256Hex(canonical(signedContent(co, signerName, signedAt)));
}
