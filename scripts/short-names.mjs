// Shortens the names a page's wasm imports from and exports to its JS glue.
//
// wasm-bindgen names every import after the JS function and a hash
// (`__wbg_remove_b28d816f9e896ff9`), and each name is written twice, once in
// the wasm and once in the glue. binaryen's `--minify-imports-and-exports-and-modules`
// renames them to one or two letters and prints the mapping; this applies the
// same mapping to the glue, so the two still match. About 4 KB gzipped off
// the customer kiosk. Run by scripts/build.sh before scripts/minify.mjs
// Both files' integrity hashes in the pages are updated here.
//
// Usage: node scripts/short-names.mjs dist
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = process.argv[2] ?? "dist";
// What Rust's wasm32 target emits; not --all-features, which lets binaryen
// write encodings browsers do not read yet (compact imports).
const FEATURES = [
  "--enable-bulk-memory",
  "--enable-nontrapping-float-to-int",
  "--enable-sign-ext",
  "--enable-mutable-globals",
  "--enable-reference-types",
  "--enable-multivalue",
];

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

const sri = (bytes) => `sha384-${createHash("sha384").update(bytes).digest("base64")}`;
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const all = [...files(root)];
const pages = all.filter((path) => path.endsWith(".html"));

for (const wasmPath of all.filter((p) => p.endsWith("_bg.wasm"))) {
  const jsPath = wasmPath.replace(/_bg\.wasm$/, ".js");
  const jsBefore = readFileSync(jsPath, "utf8");
  let js = jsBefore;
  const before = readFileSync(wasmPath);
  const out = `${wasmPath}.short`;
  const printed = execFileSync(
    "wasm-opt",
    [...FEATURES, "--minify-imports-and-exports-and-modules", wasmPath, "-o", out],
    { encoding: "utf8" },
  );
  const map = JSON.parse(printed);
  // Every import comes from the glue, as one module, which binaryen calls "a".
  const modules = new Set(map.imports.map(([module]) => module));
  if (modules.size !== 1) throw new Error(`${wasmPath}: imports from ${[...modules].join(", ")}`);
  const [module] = modules;
  if (!js.includes(`${JSON.stringify(module)}: import0`)) {
    throw new Error(`${jsPath}: the imports object for ${module} is not where it was`);
  }
  js = js.replace(`${JSON.stringify(module)}: import0`, `"a": import0`);
  for (const [, name, short] of map.imports) {
    // Keys of the imports object the glue hands to the wasm.
    const key = new RegExp(`(?<![\\w$])${escape(name)}(?=\\s*:)`, "g");
    if (!key.test(js)) throw new Error(`${jsPath}: import ${name} not found`);
    js = js.replace(key, short);
  }
  for (const [name, short] of map.exports) {
    js = js.replace(new RegExp(`\\bwasm\\.${escape(name)}(?![\\w$])`, "g"), `wasm.${short}`);
  }
  const after = readFileSync(out);
  writeFileSync(wasmPath, after);
  writeFileSync(jsPath, js);
  execFileSync("rm", [out]);
  // The pages check both files' integrity.
  for (const [old, now] of [
    [before, after],
    [jsBefore, js],
  ]) {
    const [oldHash, newHash] = [sri(old), sri(now)];
    for (const page of pages) {
      const html = readFileSync(page, "utf8");
      if (html.includes(oldHash)) writeFileSync(page, html.replaceAll(oldHash, newHash));
    }
  }
  console.log(`short-names.mjs: ${jsPath}: ${map.imports.length} imports, ${map.exports.length} exports renamed`);
}
