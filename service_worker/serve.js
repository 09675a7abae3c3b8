/* Answering requests: cache first for the guide, the network for the rest, and an offline page
 * in the reader's language for a page the guide does not hold. */

let lastLang;
/** Remember the language of the page the reader opened (kept in the state cache), if any. */
async function remember(lang) {
  if (!lang || lang === lastLang) return;
  lastLang = lang;
  await (await caches.open(STATE)).put(LAST_LANG, new Response(lang));
}

/** The language read last, else the browser's, else the default. */
async function readerLang() {
  if (!lastLang) {
    const stored = await (await caches.open(STATE)).match(LAST_LANG);
    lastLang = stored && (await stored.text()); // only remember() writes it: a language
  }
  const browser = (self.navigator.languages || []).map((l) => l.slice(0, 2)).find((l) => LANGS.includes(l));
  return lastLang || browser || DEFAULT_LANG;
}

/** Cache first for precached paths; the network, then the offline page, for the rest. */
async function handle(event, url) {
  const navigate = event.request.mode === 'navigate';
  // Navigations ignore the query string (?utm=…); assets are matched exactly.
  const key = navigate || !url.search ? url.pathname : null;
  if (navigate && url.pathname === '/') {
    return Response.redirect(pathOf('home', await readerLang()), 302);
  }
  for (const route of ROUTES) {
    const response = await route(url, event);
    if (response) return response;
  }
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
    const offline = await fromCache(pathOf('offline', langOf(url.pathname) || (await readerLang())));
    if (!offline) throw error;
    return offline;
  }
}
