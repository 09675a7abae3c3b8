/* Offline search: the same definition as web/search.py, step by step (its docstring says what
 * each step does; tests/test_search.py runs both over hundreds of queries and requires the same
 * bytes). Pure functions of the saved pages' HTML; the worker's route is at the end. */
const ENTITIES = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#34;': '"', '&#39;': "'" };
// Unicode property escapes came in Chrome 64 and Firefox 78: older engines fold the combining
// accents of Latin text only (the Spanish pages' own), and the rest of the search is the same.
let MARK = /[\u0300-\u036f]/;
try { MARK = new RegExp('\\p{M}', 'u'); } catch (error) { /* an older engine */ }
/** Every match of a global pattern in a text (String.prototype.matchAll came in Chrome 73). */
function allOf(pattern, text) {
  const found = [];
  for (let m; (m = pattern.exec(text)); ) found.push(m);
  return found;
}

/** Decode the entities the guide's HTML uses. */
const unescapeHtml = (text) => text.replace(/&(?:amp|lt|gt|quot|#34|#39);/g, (e) => ENTITIES[e]);

/** The readable text of some HTML: no badges, no report links, no tags (the line breaks
 * between blocks part the words), entities decoded. */
const plain = (html) => unescapeHtml(html.replace(/<(?:span class="badge|a class="report)[^>]*>[^<]*<\/(?:span|a)>|<[^>]*>/g, ''))
  .replace(/[ \t\n\r]+/g, ' ').replace(/^ | $/g, '');

/** Escape text for HTML exactly as web/search.py does. */
const esc = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** [folded text, index in `text` of each folded unit]: NFKD, no marks, lower case. */
function fold(text) {
  let out = '', i = 0;
  const where = [];
  for (const char of text) {
    // ASCII is its own NFKD: only its case folds (the fast path for most of the guide).
    for (const part of char < '\x80' ? char : char.normalize('NFKD')) {
      if (MARK.test(part)) continue;
      const low = part.toLowerCase();
      out += low;
      for (const _ of low) where.push(i);
    }
    i += char.length;
  }
  return [out, where];
}

/** The query as searched and shown: no control characters, at most MAX_QUERY code points,
 * trimmed. */
const cleanQuery = (raw) => Array.from((raw || '').replace(/[\0-\x1f\x7f-\x9f]/g, '')).slice(0, MAX_QUERY)
  .join('').replace(/^ +| +$/g, '');

/** The distinct folded terms of a query, at most MAX_TERMS. */
const termsOf = (query) => [...new Set(fold(query)[0].split(' ').filter(Boolean))]
  .slice(0, MAX_TERMS);

/** A section, folded once for every query. */
function section(url, title, heading, text, order) {
  const [folded, where] = fold(text);
  return { url, title, heading, text, order, head: fold(heading)[0], folded, where };
}

/** The sections of a language's pages, given [[url, html]] in reading order. */
function buildIndex(pages) {
  const index = [];
  for (const [url, html] of pages) {
    const article = html.match(/<article[^>]*>([\s\S]*?)(?:<p class="share">|<\/article>)/)[1];
    const title = plain(article.match(/<h1>([\s\S]*?)<\/h1>/)[1]);
    const parts = article.replace(/<h1>[\s\S]*?<\/h1>/, '').replace(/<p class="updated">[\s\S]*?<\/p>/, '')
      .split(/<h2 id="([^"]*)"[^>]*>([\s\S]*?)<\/h2>/);
    index.push(section(url, title, title, plain(parts[0]), index.length));
    for (let i = 1; i < parts.length; i += 3) {
      index.push(section(`${url}#${parts[i]}`, title, plain(parts[i + 1]), plain(parts[i + 2]), index.length));
    }
  }
  return index;
}

/** The sections that match every term, best first: titles, then headings, then text; at most
 * MAX_RESULTS. */
function find(index, terms) {
  const ranked = [];
  for (const s of index) {
    if (!terms.length || !terms.every((t) => s.head.includes(t) || s.folded.includes(t))) continue;
    const tier = terms.every((t) => s.head.includes(t)) ? +s.url.includes('#') : 2;
    ranked.push([tier, s.order, s]);
  }
  return ranked.sort((a, b) => a[0] - b[0] || a[1] - b[1]).slice(0, MAX_RESULTS).map((r) => r[2]);
}

/** The escaped snippet of a section's text, its matches in <mark>. */
function snippet(s, terms) {
  const on = []; // on[i]: text[i] is part of a match
  for (const t of terms) {
    for (let at = s.folded.indexOf(t); at >= 0; at = s.folded.indexOf(t, at + t.length)) {
      for (let k = s.where[at]; k <= s.where[at + t.length - 1]; k += 1) on[k] = 1;
    }
  }
  const { text } = s;
  const first = on.indexOf(1);
  let start = Math.max(0, first - BEFORE);
  if (start) { // begin at a word: after a space before the first match, where the text has one
    const space = text.indexOf(' ', start - 1);
    if (space >= 0 && space < first) start = space + 1;
  }
  let end = Math.min(text.length, start + SNIPPET);
  if (end < text.length) { // end at a word: at a space after the first match, where there is one
    const space = text.lastIndexOf(' ', end);
    if (space > first) end = space;
  }
  let out = start ? '…' : '';
  for (let k = start; k < end; k += 1) {
    out += (on[k] && (k === start || !on[k - 1]) ? '<mark>' : '') + esc(text[k])
      + (on[k] && (k + 1 === end || !on[k + 1]) ? '</mark>' : '');
  }
  return out + (end < text.length ? '…' : '');
}

const searchUrl = (lang, query) => `${pathOf('search', lang)}?q=${encodeURIComponent(query)}`;
/** An offline page's link in a shell, as a pattern: its language is group 1 (paths hold
 * letters and slashes only: nothing to escape). */
const OFFLINE_HREF = `href="${pathOf('offline', `(${LANGS.join('|')})`)}"`;
const fillIn = (template, values) => esc(template).replace(/\{(\w+)\}/g, (_, name) => esc(String(values[name])));

/** The results page of a raw query: pages {lang: index}, shell the language's offline page. */
function resultsPage(raw, lang, pages, shell) {
  const query = cleanQuery(raw), terms = termsOf(query), found = find(pages[lang], terms);
  const words = {};
  for (const [, name, value] of allOf(/data-search-([a-z]+)="([^"]*)"/g, shell)) words[name] = unescapeHtml(value);
  let main = `<main id="main">\n<article class="search">\n<h1>${esc(words.title)}</h1>\n`;
  if (!query) main += `<p>${esc(words.hint)}</p>\n`;
  else if (found.length) {
    main += `<p>${fillIn(words[found.length === 1 ? 'one' : 'many'], { n: found.length, q: query })}</p>\n<ol class="results">\n`;
    for (const s of found) {
      const heading = s.url.includes('#') ? ` › ${esc(s.heading)}` : '';
      main += `<li><a href="${s.url}">${esc(s.title)}${heading}</a><br>${snippet(s, terms)}</li>\n`;
    }
    main += '</ol>\n';
  } else {
    main += `<p>${fillIn(words.none, { q: query })}</p>\n`;
    const elsewhere = [];
    const links = new RegExp(`<a ${OFFLINE_HREF} hreflang="([^"]+)" lang="[^"]+">([^<]+)</a>`, 'g');
    for (const [, code, htmlLang, name] of allOf(links, shell)) {
      const count = terms.length && find(pages[code], terms).length;
      if (count) elsewhere.push(`<a href="${searchUrl(code, query)}" hreflang="${htmlLang}" lang="${htmlLang}">${name}</a> (${count})`);
    }
    if (elsewhere.length) main += `<p>${esc(words.elsewhere)} ${elsewhere.join(', ')}</p>\n`;
  }
  const title = words.title + (query ? `: ${query}` : '');
  return shell.replace(/<main id="main">[\s\S]*<\/main>/, () => `${main}</article>\n</main>`)
    .replace(/<title>[\s\S]*?<\/title>/, () => `<title>${esc(title)} · ${esc(words.guide)}</title>`)
    .replace(new RegExp(OFFLINE_HREF, 'g'), (_, code) => `href="${searchUrl(code, query)}"`)
    .replace('name="q"', () => `name="q" value="${esc(query)}"`);
}

const indexes = {}; // lang -> sections, kept while the worker runs

/** Answer a search from saved pages: read(url) gives a page's HTML. Other languages are read
 * only when this one has no match ("found in other languages"). */
async function savedSearch(lang, raw, read) {
  const load = async (code) => indexes[code] || (indexes[code] = buildIndex(
    await Promise.all(SLUGS.map(async (slug) => [pageOf(code, slug), await read(pageOf(code, slug))]))));
  const pages = { [lang]: await load(lang) };
  if (!find(pages[lang], termsOf(cleanQuery(raw))).length) {
    for (const code of LANGS) pages[code] = await load(code);
  }
  return resultsPage(raw, lang, pages, await read(pathOf('offline', lang)));
}

/** Answer /<lang>/search/?q=: the network's page when it answers in time, else the saved pages'
 * (offline, on a link too slow to wait for, or on a static host, which has no search). */
async function searchRoute(url, event) {
  const lang = langOf(url.pathname);
  // With no language, the path asked for is '/undefined/search/': never the URL.
  if (url.pathname !== pathOf('search', lang)) return;
  try {
    // AbortSignal.timeout came in Chrome 103: without it, the network has no time limit.
    // eslint-disable-next-line compat/compat -- only where it exists (the check)
    const limit = self.AbortSignal && AbortSignal.timeout ? { signal: AbortSignal.timeout(4000) } : {};
    const response = await fetch(event.request, limit);
    if (response.ok) return response;
  } catch (error) { /* no answer: the saved pages give the same one */ }
  const shell = await fromCache(pathOf('offline', lang));
  if (!shell) return;
  const read = async (path) => (await fromCache(path)).text();
  const headers = new Headers(shell.headers);
  headers.delete(REV);
  return new Response(await savedSearch(lang, url.searchParams.get('q'), read), { headers });
}

ROUTES.push(searchRoute);
