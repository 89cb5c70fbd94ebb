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
    // Pages the old worker never controlled are taken too, so each reloads.
    await self.clients.claim();
    await self.registration.unregister();
    const windows = await self.clients.matchAll({ type: 'window' });
    await Promise.all(windows.map((client) => client.navigate(client.url)));
  })());
});
