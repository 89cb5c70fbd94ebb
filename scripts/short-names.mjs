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
import { readFileSync, rmSync } from "node:fs";
import { files, rewrite, WASM_FEATURES } from "./dist.mjs";

const root = process.argv[2] ?? "dist";

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
for (const wasmPath of [...files(root)].filter((p) => p.endsWith("_bg.wasm"))) {
  const jsPath = wasmPath.replace(/_bg\.wasm$/, ".js");
  const jsBefore = readFileSync(jsPath, "utf8");
  let js = jsBefore;
  const before = readFileSync(wasmPath);
  const out = `${wasmPath}.short`;
  const printed = execFileSync(
    "wasm-opt",
    [...WASM_FEATURES, "--minify-imports-and-exports-and-modules", wasmPath, "-o", out],
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
  // The pages check both files' integrity.
  rewrite(root, wasmPath, before, readFileSync(out));
  rewrite(root, jsPath, jsBefore, js);
  rmSync(out);
  console.log(`short-names.mjs: ${jsPath}: ${map.imports.length} imports, ${map.exports.length} exports renamed`);
}
