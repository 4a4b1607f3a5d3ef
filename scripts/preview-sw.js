// Live preview only: stands in for the site's service worker, whose cache
// would otherwise keep showing a page from before the edit. It replaces a real
// one left by an earlier visit to this address, empties its cache, and
// removes itself, so pages always come from the preview server.
self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) await caches.delete(name);
      await self.registration.unregister();
    })(),
  );
});
