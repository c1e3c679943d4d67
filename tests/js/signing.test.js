import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { canonical, contentHash, decimal, line, sha256Hex } from "../../assets/khs_signing.js";

// Made by the server (khs_crm/services/change_orders/content.py): the phone must agree byte for byte.
const CASES = JSON.parse(readFileSync(new URL("./fixtures/change_order_hashes.json", import.meta.url), "utf8")).cases;

describe("what a customer signs", () => {
  it.each(CASES.map((c) => [c.name, c]))("%s: the same canonical text and hash as the server", async (_name, c) => {
    expect(c.linesAsTyped.map(line)).toEqual(c.signed.lines);
    const typed = { ...c.signed, lines: c.linesAsTyped };
    expect(canonical({ ...c.signed, lines: typed.lines.map(line) })).toBe(c.canonical);
    expect(await sha256Hex(c.canonical)).toBe(c.contentHash);
    expect(await contentHash(typed, c.signed.signerName, c.signed.signedAt)).toBe(c.contentHash);
  });

  it("writes decimals the server's one way", () => {
    const cases = { "2.50": "2.5", "19.00": "19", 100: "100", "1.500": "1.5", "-10.00": "-10", "0.00": "0", "0.125": "0.125", "007": "7", "-0": "0" };
    for (const [typed, stored] of Object.entries(cases)) expect(decimal(typed)).toBe(stored);
    expect(decimal(null)).toBeNull();
  });
});
