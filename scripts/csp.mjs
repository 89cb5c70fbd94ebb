// Trunk post-build hook: allow Trunk's inline bootstrap script in the
// Content Security Policy by its SHA-256 hash, and nothing else inline.
//
// Runs with TRUNK_STAGING_DIR set to the folder that becomes `dist/`.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.env.TRUNK_STAGING_DIR ?? process.argv[2];
if (!dir) {
  console.error("csp.mjs: TRUNK_STAGING_DIR is not set");
  process.exit(1);
}
const file = join(dir, "index.html");
const html = readFileSync(file, "utf8");
const placeholder = "TRUNK_BOOTSTRAP_HASH";
if (!html.includes(placeholder)) {
  console.error(`csp.mjs: ${file} has no ${placeholder} placeholder`);
  process.exit(1);
}
const hashes = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)]
  .map((m) => m[1])
  .filter((body) => body.trim() !== "")
  .map((body) => `'sha256-${createHash("sha256").update(body, "utf8").digest("base64")}'`);
if (hashes.length === 0) {
  console.error("csp.mjs: no inline script found; did Trunk change its bootstrap?");
  process.exit(1);
}
let out = html.replace(placeholder, hashes.join(" "));
// A kiosk served from one origin and sending to a collector on another
// (see the README's deployment section) must be allowed to connect there:
// FEEDBACK_CONNECT_SRC="https://collector.example.com" trunk build --release
const connect = (process.env.FEEDBACK_CONNECT_SRC ?? "").trim();
if (connect !== "") {
  if (!/^[a-zA-Z0-9:/.\-\s*]+$/.test(connect)) {
    console.error(`csp.mjs: FEEDBACK_CONNECT_SRC ${JSON.stringify(connect)} is not a list of origins`);
    process.exit(1);
  }
  out = out.replace("connect-src 'self'", `connect-src 'self' ${connect}`);
}
writeFileSync(file, out);
console.log(`csp.mjs: allowed ${hashes.length} inline script(s) by hash`);
