// Drops the JS classes a page's glue exports but nothing uses, and the wasm
// code behind them.
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
// that is then unreachable. Run by scripts/build.sh before short-names.mjs.
//
// Usage: node scripts/unused-classes.mjs dist
import { readFileSync } from "node:fs";
import binaryen from "binaryen";
import { files, rewrite } from "./dist.mjs";

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

for (const wasmPath of [...files(root)].filter((p) => p.endsWith("_bg.wasm"))) {
  const jsPath = wasmPath.replace(/_bg\.wasm$/, ".js");
  const jsBefore = readFileSync(jsPath, "utf8");
  let js = jsBefore;
  const classes = [...js.matchAll(/^export class (\w+) \{$/gm)].map((m) => m[1]);
  if (classes.length === 0) continue;
  let removed = "";
  for (const name of classes) {
    const result = withoutClass(js, name);
    js = result.js;
    removed += result.removed;
  }
  const stillCalled = wasmCalls(js);
  const exports = [...wasmCalls(removed)].filter((name) => !stillCalled.has(name));

  const wasmBefore = readFileSync(wasmPath);
  const module = binaryen.readBinary(wasmBefore);
  module.setFeatures(binaryen.Features.MVP | binaryen.Features.BulkMemory |
    binaryen.Features.NontrappingFPToInt | binaryen.Features.SignExt |
    binaryen.Features.MutableGlobals | binaryen.Features.ReferenceTypes |
    binaryen.Features.Multivalue);
  for (const name of exports) module.removeExport(name);
  module.runPasses(["remove-unused-module-elements"]);
  const wasm = module.emitBinary();
  module.dispose();
  rewrite(root, wasmPath, wasmBefore, wasm);
  rewrite(root, jsPath, jsBefore, js);
  console.log(
    `unused-classes.mjs: ${jsPath}: ${classes.join(", ")} and ${exports.length} exports removed, ` +
      `wasm ${((wasmBefore.length - wasm.length) / 1024).toFixed(1)} KB smaller`,
  );
}
