// What Trunk's `wasm-opt -Oz` leaves in a page's wasm: the JS classes its
// glue exports but nothing uses, with the code behind them, and what a
// second, harder optimisation finds.
//
// Leptos always links `server_fn`, which links `wasm-streams`, whose three
// `#[wasm_bindgen]` classes (IntoUnderlyingSource, IntoUnderlyingByteSource,
// IntoUnderlyingSink) become exports of every page: the linker must keep
// exported code, so about 9 KB of wasm and 2 KB of glue that no page calls
// (none of them streams a server function) ship with each. Nothing reads
// the glue's exports but Trunk's bootstrap, which only hands them to
// `window.wasmBindings`; the pages never do. This removes each `export class`
// from the glue, fails if anything else there still names it, removes the
// wasm exports only those classes called, and lets binaryen drop the code
// that is then unreachable.
//
// Then binaryen optimises again: control flow rebuilt from flat code
// (`--flatten --rereloop`), then `-Oz` twice until nothing changes. About
// 1.3 KB gzipped off each page over Trunk's single `-Oz`, and 20 seconds.
// Run by scripts/build.sh before short-names.mjs.
//
// Usage: node scripts/trim-wasm.mjs dist
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import binaryen from "binaryen";
import { files, rewrite, WASM_FEATURES } from "./dist.mjs";

const root = process.argv[2] ?? "dist";

const wasmCalls = (text) => new Set([...text.matchAll(/\bwasm\.(\w+)/g)].map((m) => m[1]));

/** The glue without class `name`; throws where wasm-bindgen's layout changed. */
function withoutClass(js, name) {
  const parts = [
    new RegExp(`^export class ${name} \\{\\n[\\s\\S]*?^\\}\\n`, "m"),
    new RegExp(`^if \\(Symbol\\.dispose\\) ${name}\\.prototype\\[Symbol\\.dispose\\] = .*\\n`, "m"),
    new RegExp(`^const ${name}Finalization = [\\s\\S]*?\\);\\n`, "m"),
  ];
  let removed = "";
  for (const part of parts) {
    const found = js.match(part);
    if (!found) throw new Error(`class ${name}: ${part} not found in the glue`);
    removed += found[0];
    js = js.replace(part, "");
  }
  if (new RegExp(`\\b${name}\\b`).test(js)) throw new Error(`class ${name} is still used by the glue`);
  return { js, removed };
}

/** `wasm` without the exports `names` (binaryen's JS API). */
function withoutExports(wasm, names) {
  const module = binaryen.readBinary(wasm);
  const { Features } = binaryen;
  module.setFeatures(
    Features.MVP | Features.BulkMemory | Features.NontrappingFPToInt | Features.SignExt |
      Features.MutableGlobals | Features.ReferenceTypes | Features.Multivalue,
  );
  for (const name of names) module.removeExport(name);
  const out = module.emitBinary();
  module.dispose();
  return out;
}

for (const wasmPath of [...files(root)].filter((p) => p.endsWith("_bg.wasm"))) {
  const jsPath = wasmPath.replace(/_bg\.wasm$/, ".js");
  const jsBefore = readFileSync(jsPath, "utf8");
  let js = jsBefore;
  let removed = "";
  const classes = [...js.matchAll(/^export class (\w+) \{$/gm)].map((m) => m[1]);
  for (const name of classes) {
    const result = withoutClass(js, name);
    js = result.js;
    removed += result.removed;
  }
  const stillCalled = wasmCalls(js);
  const exports = [...wasmCalls(removed)].filter((name) => !stillCalled.has(name));

  const wasmBefore = readFileSync(wasmPath);
  const [input, output] = [`${wasmPath}.in`, `${wasmPath}.out`];
  writeFileSync(input, exports.length > 0 ? withoutExports(wasmBefore, exports) : wasmBefore);
  execFileSync("wasm-opt", [
    ...WASM_FEATURES, "--flatten", "--rereloop", "-Oz", "-Oz", "--converge", input, "-o", output,
  ]);
  const wasm = readFileSync(output);
  rmSync(input);
  rmSync(output);
  rewrite(root, wasmPath, wasmBefore, wasm);
  rewrite(root, jsPath, jsBefore, js);
  console.log(
    `trim-wasm.mjs: ${wasmPath}: ${classes.length} unused classes and ${exports.length} exports ` +
      `removed, ${((wasmBefore.length - wasm.length) / 1024).toFixed(1)} KB smaller`,
  );
}
