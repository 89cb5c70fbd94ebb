// Writes dist/sw.js, the offline app shell, from assets/sw.js: the list of
// every file of this build (both pages) to precache, and a version that
// changes whenever any of them does. Run by scripts/build.sh after both
// Trunk builds.
//
//   node scripts/sw.mjs [dist]
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";

const dist = process.argv[2] ?? "dist";
const skip = new Set(["sw.js", "kiosk.json"]);

function files(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      // The dashboard is the collector's page, not part of the kiosk.
      if (statSync(path).isDirectory()) return dir === dist && name === "dashboard" ? [] : files(path);
      return skip.has(name) && dir === dist ? [] : [path];
    });
}

const hash = createHash("sha256");
const precache = [];
for (const path of files(dist)) {
  const url = "/" + relative(dist, path).split(sep).join("/");
  const bytes = readFileSync(path);
  hash.update(url).update(bytes);
  // The service worker refuses a file whose bytes differ from the build's
  // (a half-copied deploy, a proxy's error page): its install fails and the
  // working version keeps serving.
  const integrity = "sha256-" + createHash("sha256").update(bytes).digest("base64");
  // Pages are cached under their directory's URL, which is what a kiosk loads.
  precache.push({ url: url.endsWith("/index.html") ? url.slice(0, -"index.html".length) : url, integrity });
}
const version = hash.digest("hex").slice(0, 16);
const template = readFileSync("assets/sw.js", "utf8");
writeFileSync(
  join(dist, "sw.js"),
  template.replace("__VERSION__", version).replace("__PRECACHE__", JSON.stringify(precache, null, 2)),
);
console.log(`sw.mjs: ${precache.length} files precached, version ${version}`);
