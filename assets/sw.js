// The kiosk's offline app shell: a service worker that lets the kiosk start,
// and take feedback, with no network. scripts/sw.mjs writes it into dist/
// after each build with that build's files and version filled in.
//
// - Install: precache every file of this build (hashed names), both pages,
//   each checked against the build's SHA-256 (Subresource Integrity). One
//   missing or different file fails the install: a broken deploy never
//   replaces a working version, which keeps serving.
// - Fetch: the app's files cache-first; the collector's API, /healthz and
//   kiosk.json always from the network, never cached.
// - Update: a new version installs in the background and waits; the page
//   tells it to take over ("take-over") only on an untouched customer screen.
// - Retire: a collector started with --retire-service-worker serves, in
//   place of this file, a script that clears every cache and unregisters
//   itself (docs/operations.md).
const VERSION = "__VERSION__";
const PRECACHE = __PRECACHE__;
const CACHE = `fk-shell-${VERSION}`;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) =>
        cache.addAll(PRECACHE.map(({ url, integrity }) => new Request(url, { cache: "reload", integrity }))),
      ),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith("fk-shell-") && key !== CACHE) await caches.delete(key);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "take-over") self.skipWaiting();
});

// The API, the kiosk's settings, this file, and the chain dashboard (a
// page of the collector's own, which a manager may open on a kiosk's
// tablet) always come from the network.
function networkOnly(path) {
  return (
    path.startsWith("/v1/") ||
    path.startsWith("/dashboard") ||
    path === "/healthz" ||
    path === "/kiosk.json" ||
    path === "/sw.js"
  );
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || networkOnly(url.pathname)) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      // A page load is answered with its page, whatever the query or hash.
      const key = request.mode === "navigate" ? (url.pathname.startsWith("/manager") ? "/manager/" : "/") : url.pathname;
      return (await cache.match(key)) ?? fetch(request);
    })(),
  );
});
