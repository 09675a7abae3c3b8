/* The guide's service worker: keeps every page in every language on the phone.
 * The server injects the generated constants below (see web/offline.py); never edit them here.
 * Modelled on workbox-precaching: {url, revision} entries, cache-busting install requests, an
 * install that fails as a whole, and cleanup on activate. */
'use strict';
const PRECACHE = [], VERSION = 'dev', PAGES = 0, LANGS = [], DEFAULT_LANG = 'zh', SHARE = {};

const PREFIX = 'guide-';
const CACHE = PREFIX + VERSION; // one cache per version: an update never touches the live one
const STATE = 'guide-state'; // survives updates: the language read last
const REV = 'x-guide-revision';
const SAVED = '/__sw/saved'; // written last: its presence means the install completed
const LAST_LANG = '/__sw/last-lang';
const urls = new Map(PRECACHE.map((e) => [e.url, e.revision]));

/** Hex SHA-256 of a buffer, cut to the revision's length. */
async function hash(buffer) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', buffer));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('').slice(0, 16);
}

/** A cached copy of an entry at this revision, from any version's cache, or undefined. */
async function cachedAt(url, revision) {
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX)) continue;
    const hit = await (await caches.open(name)).match(url);
    if (hit && hit.headers.get(REV) === revision) return hit;
  }
}

/** Fetch an entry, check its bytes against the revision, and tag it. */
async function download(url, revision) {
  // Pages are fetched past the HTTP cache, which may hold an older copy. Hashed static URLs
  // never change, so the copy the page just loaded is reused rather than downloaded twice.
  const cache = url.startsWith('/static/') ? 'default' : 'reload';
  const response = await fetch(new Request(url, { cache, credentials: 'omit' }));
  // Only a same-origin 200 is kept: an error page or an opaque reply must not pass for the guide.
  if (response.status !== 200 || response.type !== 'basic') throw new Error(`${url}: HTTP ${response.status}`);
  const body = await response.arrayBuffer();
  if ((await hash(body)) !== revision) throw new Error(`${url}: bytes do not match revision`);
  // A new Response drops `redirected` (Safari refuses those for navigations) and keeps headers.
  const headers = new Headers(response.headers);
  headers.set(REV, revision);
  return new Response(body, { status: 200, statusText: 'OK', headers });
}

/** Fill this version's cache: reuse unchanged entries, download the rest; all or nothing. */
async function install() {
  const cache = await caches.open(CACHE);
  let bytes = 0;
  await Promise.all(PRECACHE.map(async ({ url, revision }) => {
    const response = (await cachedAt(url, revision)) || (await download(url, revision));
    bytes += (await response.clone().arrayBuffer()).byteLength;
    await cache.put(url, response);
  }));
  const saved = { pages: PAGES, bytes, date: new Date().toISOString(), version: VERSION };
  await cache.put(SAVED, new Response(JSON.stringify(saved)));
}

/** Delete every older version's cache (this one names exactly the new list), then take control. */
async function activate() {
  for (const name of await caches.keys()) {
    if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
  }
  await self.clients.claim();
}

/** The language of a guide path (/en/...), or undefined. */
function langOf(path) {
  const lang = path.split('/')[1];
  return LANGS.includes(lang) ? lang : undefined;
}

let lastLang;
/** Remember the language of the page the reader opened (kept in the state cache). */
async function remember(lang) {
  if (lang === lastLang) return;
  lastLang = lang;
  await (await caches.open(STATE)).put(LAST_LANG, new Response(lang));
}

/** The language read last, else the browser's, else the default. */
async function readerLang() {
  if (!lastLang) {
    const stored = await (await caches.open(STATE)).match(LAST_LANG);
    lastLang = stored && langOf('/' + (await stored.text()));
  }
  const browser = (self.navigator.languages || []).map((l) => l.slice(0, 2)).find((l) => LANGS.includes(l));
  return lastLang || browser || DEFAULT_LANG;
}

/** Answer from this version's cache. */
async function fromCache(path) {
  return (await caches.open(CACHE)).match(path, { ignoreVary: true });
}

/** Rewrite a page's ids and links to point inside the single file (as web/bundle.py does). */
function relink(html, lang, slug) {
  const id = (l, s, f) => `${l}-${s}` + (f ? `--${f}` : '');
  return html.replace(/\bid="([^"]+)"/g, (_, f) => `id="${id(lang, slug, f)}"`)
    .replace(/href="(?:\/([a-z]{2})\/(?:([a-z0-9-]+)\/)?)?(?:#([^"]+))?"/g,
      (_, l, s, f) => `href="#${id(l || lang, s || (l ? 'index' : slug), f)}"`)
    .replace(/<(\/?)h([23])\b/g, (_, end, n) => `<${end}h${+n + 1}`);
}

/** The single-file guide made from the cached pages: the same bytes as `flask bundle`, no
 * download. Mirrors web/templates/bundle.html; a browser test compares the two. */
async function bundle() {
  const text = async (url) => (await fromCache(url)).text();
  const L = SHARE.langs; // [code, html lang, name, title, contents, language]
  const links = (f) => L.map(f).join('');
  let out = `<!doctype html>\n<html lang="${L[0][1]}">\n<head>\n<meta charset="utf-8">\n`
    + '<meta name="viewport" content="width=device-width,initial-scale=1">\n'
    + `<title>${L.map((l) => l[3]).join(' · ')}</title>\n<style>${await text(SHARE.css)}\n`
    + `${SHARE.extra}</style>\n</head>\n<body>\n<header class="bar">\n<nav class="langs" `
    + `aria-label="${L.map((l) => l[5]).join(' · ')}">\n<ul>`
    + links(([c, h, n]) => `<li><a href="#${c}" hreflang="${h}" lang="${h}">${n}</a></li>`)
    + '</ul>\n</nav>\n</header>\n<main>\n';
  for (const [code, html, , title, contents, language] of L) {
    const pages = [];
    for (const slug of SHARE.slugs) {
      const page = await text(slug === 'index' ? `/${code}/` : `/${code}/${slug}/`);
      const [, h1, updated, body] = page.match(
        /<h1>(.*?)<\/h1>\n(<p class="updated">.*?<\/p>)\n([\s\S]*?)\n(?:<p class="share">.*\n)?<\/article>/);
      pages.push([slug, h1, updated, relink(body, code, slug)]);
    }
    out += `<section id="${code}" lang="${html}">\n<h1>${title}</h1>\n<nav class="toc" `
      + `aria-label="${contents}">\n<ol>`
      + pages.map(([s, h1]) => `<li><a href="#${code}-${s}">${h1}</a></li>`).join('')
      + '</ol>\n</nav>\n';
    for (const [slug, h1, updated, body] of pages) {
      out += `<article id="${code}-${slug}" class="bundle-page">\n<nav aria-label="${language}">`
        + links(([c, h, n]) => (c === code ? '' : ` <a href="#${c}-${slug}" hreflang="${h}" lang="${h}">${n}</a>`))
        + ` · <a href="#${code}">${contents}</a></nav>\n<h2>${h1}</h2>\n${updated}\n${body}\n</article>\n`;
    }
    out += '</section>\n';
  }
  return new Response(out + '</main>\n</body>\n</html>', { headers: {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Disposition': `attachment; filename="${SHARE.url.slice(1)}"` } });
}

/** Cache first for precached paths; the network, then the offline page, for the rest. */
async function handle(event, url) {
  const navigate = event.request.mode === 'navigate';
  // Navigations ignore the query string (?utm=…); assets are matched exactly.
  const key = navigate || !url.search ? url.pathname : null;
  if (navigate && url.pathname === '/') {
    return Response.redirect(`/${await readerLang()}/`, 302);
  }
  // The single file is made here from the saved pages: nothing to download, online or not.
  if (url.pathname === SHARE.url && (await fromCache(SAVED))) return bundle();
  if (key && urls.has(key)) {
    const hit = await fromCache(key);
    if (hit) {
      const lang = navigate && langOf(key);
      if (lang) event.waitUntil(remember(lang));
      return hit;
    }
  }
  try {
    return await fetch(event.request);
  } catch (error) {
    if (!navigate) throw error;
    const offline = await fromCache(`/${langOf(url.pathname) || (await readerLang())}/offline/`);
    if (!offline) throw error;
    return offline;
  }
}

/** Report how much of the guide is saved, for the page's status line. */
async function status() {
  const saved = await fromCache(SAVED);
  return saved ? { ...(await saved.json()), complete: true } : { complete: false };
}

self.addEventListener('install', (event) => event.waitUntil(install()));
self.addEventListener('activate', (event) => event.waitUntil(activate()));
self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  event.respondWith(handle(event, url));
});
self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
  if (event.data === 'status') event.waitUntil(status().then((s) => event.ports[0].postMessage(s)));
});
