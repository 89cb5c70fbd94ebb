// Serves a built kiosk (`dist/`) on 127.0.0.1 for the end-to-end tests.
//
//   node tests/e2e/static-server.mjs <dir> <port>
//
// Plain files only, with the types browsers insist on (wasm needs
// application/wasm for streaming compilation). No caching, so every test
// sees the build it was given.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";

const root = resolve(process.argv[2] ?? "dist");
const port = Number(process.argv[3] ?? 8181);
const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".webmanifest": "application/manifest+json",
};

createServer(async (req, res) => {
  const path = decodeURIComponent(new URL(req.url, "http://localhost").pathname);
  // A kiosk with a token and no endpoint reports to its own origin after
  // each sync attempt. Tests that check heartbeats use the real collector
  // (dashboard.spec.js); here they are taken and dropped, so they do not
  // show as failed loads in tests about other things.
  if (req.method === "POST" && path === "/v1/heartbeat") {
    req.resume();
    res.writeHead(204).end();
    return;
  }
  const file = normalize(join(root, path.endsWith("/") ? `${path}index.html` : path));
  if (file !== root && !file.startsWith(root + sep)) {
    res.writeHead(403).end();
    return;
  }
  try {
    const body = await readFile(file);
    res.writeHead(200, {
      "content-type": types[extname(file)] ?? "application/octet-stream",
      "cache-control": "no-store",
    });
    res.end(body);
  } catch {
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  }
}).listen(port, "127.0.0.1", () => {
  console.log(`serving ${root} on http://127.0.0.1:${port}`);
});
