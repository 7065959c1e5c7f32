// Organise's service worker: it keeps the app shell on the device so that the app starts with
// no connection.
//
// This file is a template. `cargo xtask dist` writes `dist/sw.js` from it, replacing the two
// `const` lines below with the build's version (a hash of every file in `dist/`) and the list
// of files to precache. So each deployment gives a byte-different worker, which the browser
// installs beside the running one; it then waits until the person accepts the update
// (the page posts {type: "SKIP_WAITING"}). The rules it keeps:
//
// - `/api/` is never cached nor answered here: sync and sign-in always reach the server.
// - A page load (navigation) tries the network first and falls back to the cached
//   `/index.html` when there is no connection or it is too slow.
// - The precached files (hashed, so immutable) are answered from the cache first.
// - It never calls skipWaiting() on its own.
'use strict';

const VERSION = 'development';
const PRECACHE = [];

const CACHE_PREFIX = 'organise-shell-';
const CACHE = CACHE_PREFIX + VERSION;
const INDEX = '/index.html';
const PRECACHED = new Set(PRECACHE);
// How long a page load waits for the network before starting from the cached shell: a phone
// with one bar of signal may never answer.
const NAVIGATION_TIMEOUT_MS = 4000;

self.addEventListener('install', (event) => {
  // `no-cache`: revalidate rather than copy whatever the HTTP cache holds. `addAll` fails as a
  // whole if one file is missing, and the worker is then not installed.
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { cache: 'no-cache' })))),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE)
          .map((name) => caches.delete(name)),
      );
      // On the first visit, take over the open page so that it works offline from now on.
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  const type = event.data && event.data.type;
  if (type === 'SKIP_WAITING') {
    self.skipWaiting();
  } else if (type === 'GET_VERSION' && event.ports[0]) {
    event.ports[0].postMessage({ version: VERSION });
  }
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === '/api' || url.pathname.startsWith('/api/')) return;
  if (request.mode === 'navigate' && isClientRoute(url.pathname)) {
    event.respondWith(networkFirst(request));
  } else if (PRECACHED.has(url.pathname) && url.search === '') {
    event.respondWith(cacheFirst(request));
  }
});

// The same rule as the server's: a path whose last segment has no dot is the app's.
function isClientRoute(path) {
  return !path.slice(path.lastIndexOf('/') + 1).includes('.');
}

async function networkFirst(request) {
  let timer;
  const tooSlow = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error('the network is too slow')), NAVIGATION_TIMEOUT_MS);
  });
  const network = fetch(request);
  network.catch(() => {}); // a late failure after the timeout is not an error
  try {
    return await Promise.race([network, tooSlow]);
  } catch (error) {
    const cached = await caches.match(INDEX, { cacheName: CACHE });
    if (cached) return cached;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

async function cacheFirst(request) {
  const cached = await caches.match(request, { cacheName: CACHE });
  return cached || fetch(request);
}
