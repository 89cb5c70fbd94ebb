// The kill switch for the kiosk's service worker, served at /sw.js when the
// collector runs with --retire-service-worker. A browser that checks for an
// update installs this instead of the kiosk's worker; it takes over at once,
// deletes every cache, unregisters itself and reloads each open page from
// the network, so a kiosk stuck on a broken build starts afresh.
self.addEventListener('install', () => {
  self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.map((name) => caches.delete(name)));
    await self.registration.unregister();
    // Only pages the old worker controlled reload. A page loaded afresh is
    // never taken (no clients.claim()): it registers this script again, which
    // finds nothing to do, so nothing reloads in a loop.
    const windows = await self.clients.matchAll({ type: 'window' });
    await Promise.all(windows.map((client) => client.navigate(client.url)));
  })());
});
