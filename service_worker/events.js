/* The worker's events; this module comes last, once every function exists. */

self.addEventListener('install', (event) => event.waitUntil(install()));
self.addEventListener('activate', (event) => event.waitUntil(activate()));
self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  event.respondWith(handle(event, url));
});
self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
  // The reader chose to download the update held on a costly link: record it, then fetch it.
  if (event.data.consent) {
    event.waitUntil(caches.open(STATE).then((cache) => cache.put(CONSENT, new Response(event.data.consent)))
      .then(() => self.registration.update()));
  }
  // The answer goes the way the progress messages went (client.postMessage, in order), so it
  // can never arrive before the last of them and leave the line on "30 of 30".
  if (event.data === 'status') event.waitUntil(status().then((s) => event.source.postMessage({ status: s })));
  if (event.data === 'send') event.waitUntil(sendReports().catch(() => {})); // the page retries
});
self.addEventListener('sync', (event) => event.tag === 'reports' && event.waitUntil(sendReports()));
