/* The guide's service worker: keeps every page in every language on the phone.
 * web/offline.py joins the modules of this folder into /sw.js (in its SW_MODULES order) after a
 * line of generated constants: PRECACHE ([{url, revision, size, pack}]), VERSION, PACK ({url,
 * size}), OVERHEAD, STATIC_PREFIX, the shared facts of web/shared.py it uses (LANGS,
 * DEFAULT_LANG, HOME, URLS, OUTBOX and the search limits), REPORTS_URL, SLUGS and SECURITY. This module: the names and
 * helpers the others share. Modelled on workbox-precaching: {url, revision} entries, an install
 * that fails as a whole, and cleanup on activate. */

const PREFIX = 'guide-';
const CACHE = PREFIX + VERSION; // one cache per version: an update never touches the live one
const STATE = 'guide-state'; // survives updates: the language read last, the reader's consent
const REV = 'x-guide-revision';
const SAVED = '/__sw/saved'; // written last: its presence means the install completed
const LAST_LANG = '/__sw/last-lang';
const CONSENT = '/__sw/consent'; // the version the reader chose to download on a costly link
// Routes answered before the cache and the network: (url, event) => a Response, or nothing.
// A module adds its own (search.js: the search results).
const ROUTES = [];
const urls = new Map(PRECACHE.map((e) => [e.url, e]));
const PAGES = SLUGS.length * LANGS.length; // what the reader counts: pages, not files

/** Hex SHA-256 of a buffer (a revision is its first characters). */
async function hash(buffer) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', buffer));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A cached copy of an entry at this revision, from any version's cache, or undefined. */
async function cachedAt(url, revision) {
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX)) continue;
    const hit = await (await caches.open(name)).match(url);
    if (hit && hit.headers.get(REV) === revision) return hit;
  }
}

/** A path of the guide, from the URL layout's template of that kind (URLS.home, .page, ...). */
const pathOf = (kind, lang, slug = '') => URLS[kind].replace('{lang}', lang).replace('{slug}', slug);

/** The path of a page in a language (the home page has its own). */
const pageOf = (lang, slug) => (slug === HOME ? pathOf('home', lang) : pathOf('page', lang, slug));

/** The language of a guide path (its home page's path starts it), or undefined. */
const langOf = (path) => LANGS.find((lang) => path.startsWith(pathOf('home', lang)));

/** Whether an entry is a page of the guide (the reader counts pages, not files). */
const isPage = (url) => SLUGS.some((slug) => url === pageOf(langOf(url), slug));

/** Answer from this version's cache. */
async function fromCache(path) {
  return (await caches.open(CACHE)).match(path, { ignoreVary: true });
}

/** Post a message to every window of the guide, controlled or not (a first visit is not). */
async function tell(message) {
  for (const client of await self.clients.matchAll({ includeUncontrolled: true, type: 'window' })) {
    client.postMessage(message);
  }
}
