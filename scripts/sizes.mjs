// Prints a page's transfer size: wasm, JS and CSS of a release build, raw and gzipped.
//
//   node scripts/sizes.mjs [dir] [label] [target KB] [--check]
//
// With --check it exits with status 1 when the gzipped total is over the
// target, so `make test` fails on a kiosk that has outgrown its budget.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const dir = process.argv[2] ?? "dist";
const label = process.argv[3] ?? "kiosk";
const target = process.argv[4];
const check = process.argv.includes("--check");
const kinds = { ".wasm": "wasm", ".js": "js", ".css": "css" };
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
let rawTotal = 0;
let gzTotal = 0;
for (const name of readdirSync(dir).sort()) {
  const ext = Object.keys(kinds).find((e) => name.endsWith(e));
  if (!ext || name === "sw.js") continue;
  const body = readFileSync(join(dir, name));
  const gz = gzipSync(body, { level: 9 }).length;
  rawTotal += body.length;
  gzTotal += gz;
  console.log(`${kinds[ext].padEnd(5)} ${name.padEnd(48)} raw ${kb(body.length).padStart(9)}  gzip ${kb(gz).padStart(8)}`);
}
const goal = target ? `  (target: gzip <= ${target} KB)` : "";
console.log(`${label} total (wasm + js + css)`.padEnd(54) + `raw ${kb(rawTotal).padStart(9)}  gzip ${kb(gzTotal).padStart(8)}${goal}`);
if (check && target && gzTotal / 1024 > Number(target)) {
  console.error(`${label} is ${kb(gzTotal)} gzipped, over its budget of ${target} KB: find the bytes first (docs/development.md)`);
  process.exit(1);
}
