// Minifies the JS glue that wasm-bindgen writes for each page of a release
// build, and the CSS, and updates the Subresource Integrity hashes Trunk put
// on the pages' <link>s, so the browser still checks the files it loads. Run
// by scripts/build.sh after both Trunk builds and before scripts/sw.mjs lists
// the files. (Trunk's own `minify` would also minify the HTML, dropping the
// quotes and the order of the CSP <meta> tag that the collector reads.)
//
// Usage: node scripts/minify.mjs dist
import { readFileSync } from "node:fs";
import { minify as minifyCss } from "csso";
import { minify } from "terser";
import { files, rewrite } from "./dist.mjs";

const root = process.argv[2] ?? "dist";
let saved = 0;
async function minified(path, source) {
  if (path.endsWith(".css")) return minifyCss(source).css;
  // A module whose exports the page's bootstrap script imports by name.
  return (await minify(source, { module: true, compress: { passes: 2 }, mangle: true })).code;
}

for (const path of [...files(root)].filter((p) => /\.(js|css)$/.test(p) && !p.endsWith("sw.js"))) {
  const source = readFileSync(path, "utf8");
  const code = await minified(path, source);
  if (!code || code.length >= source.length) continue;
  rewrite(root, path, source, code);
  saved += source.length - code.length;
}
console.log(`minify.mjs: ${(saved / 1024).toFixed(1)} KB of JS glue and CSS removed`);
