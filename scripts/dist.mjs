// What the build's post-processing scripts share: walking dist/ and keeping
// the pages' Subresource Integrity hashes true when a file is rewritten.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The wasm features Rust's wasm32 target emits, for binaryen; not
 * --all-features, which lets binaryen write encodings browsers do not read
 * yet (compact imports).
 */
export const WASM_FEATURES = [
  "--enable-bulk-memory",
  "--enable-nontrapping-float-to-int",
  "--enable-sign-ext",
  "--enable-mutable-globals",
  "--enable-reference-types",
  "--enable-multivalue",
];

/** Every file under `dir`, recursively. */
export function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

/** The `integrity` value Trunk writes for these bytes. */
export const sri = (bytes) => `sha384-${createHash("sha384").update(bytes).digest("base64")}`;

/**
 * Writes `after` to `path` (which held `before`) and puts its hash wherever
 * a page under `root` had the old one, so the browser still checks the file.
 */
export function rewrite(root, path, before, after) {
  writeFileSync(path, after);
  const [oldHash, newHash] = [sri(before), sri(after)];
  for (const page of [...files(root)].filter((p) => p.endsWith(".html"))) {
    const html = readFileSync(page, "utf8");
    if (html.includes(oldHash)) writeFileSync(page, html.replaceAll(oldHash, newHash));
  }
}
