// The field app's JSDoc types are checked with the unit tests: `tsc` (strict, no emit) over
// the page's modules (tsconfig.json: assets/khs_*.js and typecheck.js) and over the service
// worker (tsconfig.sw.json: assets/sw.js, with the worker's types) must report no error.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

it.each(["tsconfig.json", "tsconfig.sw.json"])("type-checks the field app (tsc -p %s)", (project) => {
  const run = spawnSync(process.execPath, [tsc, "-p", project, "--pretty", "false"], { cwd: here, encoding: "utf8" });
  expect(run.error).toBeUndefined();
  expect(`${run.stdout}${run.stderr}`.trim()).toBe("");
  expect(run.status).toBe(0);
}, 120_000);
