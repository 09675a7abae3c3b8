/* Saving the guide: install (all or nothing), self-repair, and what the page's status line says.
 * Entries land one by one in this version's cache, which serves nothing before activation: a cut
 * keeps every entry that arrived, and the next try fetches only what is missing. */

/** A cached response for a checked body: its type, the headers the server sends with every
 * response (CSP...), taken from `from`, and its revision. Nothing else (a page's Link header
 * would make the browser fetch the pack again). */
function tagged(body, type, from, revision) {
  const tags = new Headers([...from].filter(([name]) => SECURITY.includes(name)));
  tags.set('content-type', type);
  tags.set(REV, revision);
  // A new Response drops `redirected` (Safari refuses those for navigations).
  return new Response(body, { headers: tags });
}

/** Throw unless a response is a same-origin 200: an error page must not pass for the guide. */
function check(response, url) {
  if (response.status !== 200 || response.type !== 'basic') throw new Error(`${url}: HTTP ${response.status}`);
  return response;
}

/** Throw unless a body matches its revision. */
async function verify(body, url, revision) {
  if (!(await hash(body)).startsWith(revision)) throw new Error(`${url}: bad revision`);
}

/** Fetch one entry, check its bytes and tag it. */
async function download({ url, revision }) {
  // Pages are fetched past the HTTP cache, which may hold an older copy. Hashed static URLs
  // never change, so the copy the page just loaded is reused rather than downloaded twice.
  const cache = url.startsWith(STATIC_PREFIX) ? 'default' : 'reload';
  const response = check(await fetch(new Request(url, { cache, credentials: 'omit' })), url);
  const body = await response.arrayBuffer();
  await verify(body, url, revision);
  return tagged(body, response.headers.get('content-type'), response.headers, revision);
}

/** A response body as a stream of bytes: have(n) reads until n bytes are buffered (false if
 * the body ends first; a cut link rejects), take(n) takes them, line() takes one text line. */
function bytesOf(response) {
  const reader = response.body.getReader();
  let buffer = new Uint8Array(0);
  let ended = false;
  const have = async (n) => {
    while (buffer.length < n && !ended) {
      const { done, value } = await reader.read();
      ended = done;
      if (value) {
        const joined = new Uint8Array(buffer.length + value.length);
        joined.set(buffer);
        joined.set(value, buffer.length);
        buffer = joined;
      }
    }
    return buffer.length >= n;
  };
  const take = (n) => {
    const out = buffer.slice(0, n);
    buffer = buffer.subarray(n);
    return out;
  };
  const line = async () => {
    let end;
    while ((end = buffer.indexOf(10)) < 0) if (!(await have(buffer.length + 1))) return;
    return new TextDecoder().decode(take(end + 1)).slice(0, -1);
  };
  return { have, take, line };
}

/** Read the pack as it arrives; check and store each wanted entry at once (see web/pack.py). */
async function unpack(cache, want, landed) {
  // With credentials (none are sent but the cookie, and a static file sets none), the request
  // goes on a connection the page already opened: a round trip less than a fresh one.
  const response = check(await fetch(PACK.url), PACK.url);
  const { have, take, line } = bytesOf(response);
  if ((await line()) !== 'GUIDE-PACK 1') throw new Error(`${PACK.url}: not a pack`);
  const index = [];
  for (let header; (header = await line()); ) index.push(header.split(' '));
  const stored = [];
  for (const [url, , ...type] of index) {
    const length = +type.pop();
    if (!(await have(length))) throw new Error(`${url}: cut short`);
    const body = take(length);
    const entry = want.get(url);
    if (!entry) continue;
    await verify(body, url, entry.revision);
    want.delete(url);
    // Stored while the rest arrives; each one lands on its own, so a cut keeps it.
    stored.push(cache.put(url, tagged(body, type.join(' '), response.headers, entry.revision))
      .then(() => landed(url)));
  }
  await Promise.all(stored);
}

/** Copy unchanged entries from older versions into this one; return the entries still missing. */
async function missing(cache) {
  const found = await Promise.all(PRECACHE.map(async (entry) => {
    const own = await cache.match(entry.url);
    if (own && own.headers.get(REV) === entry.revision) return true;
    const hit = await cachedAt(entry.url, entry.revision);
    return hit && cache.put(entry.url, hit).then(() => true);
  }));
  return PRECACHE.filter((entry, i) => !found[i]);
}

/** The cost rule: {pack, bytes, pages} to fetch the missing entries. One by one costs each
 * entry's size plus a request's overhead; the pack costs its size plus one overhead, plus the
 * entries it does not hold (those the page loads itself). */
function plan(entries) {
  const cost = (list) => list.reduce((sum, e) => sum + e.size + OVERHEAD, 0);
  const loose = entries.filter((e) => !e.pack);
  const usePack = PACK.size + OVERHEAD + cost(loose) < cost(entries);
  const bytes = (usePack ? [PACK, ...loose] : entries).reduce((sum, e) => sum + e.size, 0);
  return { usePack, bytes, pages: entries.filter((e) => isPage(e.url)).length, total: PAGES };
}

/** Fetch the missing entries into the cache, by the cost rule, telling the pages as they land. */
async function fill(cache, entries, how) {
  let done = PAGES - how.pages;
  const told = [tell({ done, total: PAGES })]; // every one posted before fill ends (status())
  const landed = (url) => isPage(url) && told.push(tell({ done: ++done, total: PAGES }));
  const want = new Map(entries.map((e) => [e.url, e]));
  const one = async (entry) => {
    want.delete(entry.url);
    await cache.put(entry.url, await download(entry));
    landed(entry.url);
  };
  // What the pack does not hold goes beside it (the page's own files come from the HTTP cache);
  // whatever the pack lacked, after it.
  await Promise.all([how.usePack && unpack(cache, want, landed),
    ...entries.filter((e) => !how.usePack || !e.pack).map(one)]);
  await Promise.all([...want.values()].map(one));
  await Promise.all(told);
}

/** Write the SAVED marker last, with the size the saved guide takes: summed from the cache, so
 * it is what is stored and the same on every page. */
async function seal(cache, update) {
  // Every size is read first, then summed: no shared counter across an await.
  const sizes = await Promise.all(PRECACHE.map(async ({ url }) =>
    (await (await cache.match(url)).arrayBuffer()).byteLength)); // a missing entry throws
  const bytes = sizes.reduce((sum, size) => sum + size, 0);
  const saved = { pages: PAGES, bytes, date: new Date().toISOString(), update };
  await cache.put(SAVED, new Response(JSON.stringify(saved)));
}

/** Whether the reader pays for data by the byte now: Save-Data, or 2G or slower. Browsers
 * without navigator.connection (Safari, Firefox) update as before. */
function costly() {
  const link = self.navigator.connection;
  return !!link && (link.saveData || /2g/.test(link.effectiveType));
}

/** Whether the reader chose to download this version (the page writes CONSENT). */
async function consented() {
  const consent = await (await caches.open(STATE)).match(CONSENT);
  return !!consent && (await consent.text()) === VERSION;
}

/** Fill this version's cache: reuse unchanged entries, fetch the rest; all or nothing. On a
 * costly link an update waits for the reader: it tells the pages its size and fails, so no
 * half-filled version can ever wait, let alone activate. */
async function install() {
  const cache = await caches.open(CACHE);
  const entries = await missing(cache);
  const how = plan(entries);
  if (entries.length && self.registration.active && costly() && !(await consented())) {
    await tell({ held: Object.assign({ version: VERSION }, how) });
    throw new Error('held for consent'); // the reader pays for data
  }
  await fill(cache, entries, how);
  await seal(cache, how);
}

/** Delete every older version's cache (this one names exactly the new list), then take control.
 * The page the reader has open was read before this worker could see it: its language is the
 * one read last, which `/` opens (else `/` would follow the browser's language, not the
 * reader's choice, until the next page). */
async function activate() {
  for (const name of await caches.keys()) {
    if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
  }
  const [open] = await self.clients.matchAll({ includeUncontrolled: true, type: 'window' });
  if (open) await remember(langOf(new URL(open.url).pathname));
  await self.clients.claim();
}

let checked = Promise.resolve();
/** Check that this version is complete and refill what the browser evicted (iOS deletes the
 * storage of sites not opened for a while). Report {complete, pages, bytes, date,
 * repaired, missing} for the page's status line. One check at a time: a second one (another
 * tab, the network's return) waits for the first, so it sees the repaired cache and answers
 * after the first repair's last progress message, never before it (which would leave that
 * page's line on "29 of 30"). */
function status() {
  checked = checked.then(inspect, inspect);
  return checked;
}

/** One status check (see status()). */
async function inspect() {
  const cache = await caches.open(CACHE);
  const entries = await missing(cache);
  if (entries.length) {
    // Tried whatever navigator.onLine says: offline, the fetches fail at once, and onLine is
    // only a guess (MDN: true may not mean online, and a false on a working link would leave
    // the repair undone and the line on "stopped").
    try {
      await fill(cache, entries, plan(entries));
      await seal(cache);
    } catch (error) {
      return { complete: false, missing: entries.length };
    }
  } else if (!(await cache.match(SAVED))) await seal(cache);
  return Object.assign(await (await cache.match(SAVED)).json(), { complete: true, repaired: entries.length });
}
