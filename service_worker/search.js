/* Search the saved guide: the same definition as web/search.py, step by step (its docstring
 * says what each step does; tests/test_search.py runs both over many queries and requires the
 * same bytes). Pure functions of the saved pages' HTML: the worker's glue is at the end. */
const S_MAX_QUERY = 200, S_MAX_TERMS = 8, S_MAX_RESULTS = 30, S_BEFORE = 40, S_SNIPPET = 160;
const S_NAMED = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
const S_URI = '/search/?q=';

/** Decode the entities the guide's HTML uses. */
const unescapeHtml = (text) => text.replace(/&(?:#(\d+)|#x([0-9a-fA-F]+)|(amp|lt|gt|quot|apos|nbsp));/g,
  (_, dec, hex, name) => (dec ? String.fromCodePoint(+dec) : hex ? String.fromCodePoint(parseInt(hex, 16)) : S_NAMED[name]));

/** The readable text of some HTML: no badges, block tags as spaces, entities decoded. */
const plain = (html) => unescapeHtml(html.replace(/<span class="badge[^"]*">[^<]*<\/span>/g, '')
  .replace(/<\/?(?:p|li|h[1-6]|td|th|tr|ol|ul|table|thead|tbody|br|div|nav)\b[^>]*>/g, ' ')
  .replace(/<[^>]*>/g, '')).replace(/[ \t\n\r]+/g, ' ').replace(/^ +| +$/g, '');

/** Escape text for HTML exactly as web/search.py does. */
const esc = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  .replace(/"/g, '&#34;').replace(/'/g, '&#39;');

const S_MARK = /\p{M}/u;

/** [folded text, index in `text` of each folded unit]: NFKD, no marks, lower case. */
function fold(text) {
  let out = '', index = 0;
  const where = [];
  for (const char of text) {
    if (char < '\x80') { // ASCII: NFKD changes nothing; only the case folds (a fast path)
      out += char.toLowerCase();
      where.push(index);
    } else {
      for (const part of char.normalize('NFKD')) {
        if (S_MARK.test(part)) continue;
        const low = part.toLowerCase();
        out += low;
        for (let k = 0; k < low.length; k += 1) where.push(index);
      }
    }
    index += char.length;
  }
  return [out, where];
}

/** The query as searched and shown: no control characters, at most S_MAX_QUERY long. */
const cleanQuery = (raw) => Array.from((raw || '').replace(/\p{Cc}/gu, ''))
  .slice(0, S_MAX_QUERY).join('').replace(/^ +| +$/g, '');

/** The distinct folded terms of a query. */
const termsOf = (query) => [...new Set(fold(query)[0].split(' ').filter(Boolean))].slice(0, S_MAX_TERMS);

/** A section, folded once for every query. */
function section(url, pageTitle, heading, text, order) {
  const [foldedText, where] = fold(text);
  return { url, pageTitle, heading, text, order, foldedHeading: fold(heading)[0], foldedText, where };
}

/** The sections of a language's pages, given [[url, html]] in reading order. */
function buildIndex(pages) {
  const index = [];
  for (const [url, html] of pages) {
    const article = html.match(/<article[^>]*>([\s\S]*?)<\/article>/)[1];
    const title = plain(article.match(/<h1>([\s\S]*?)<\/h1>/)[1]);
    const parts = article.replace(/<h1>([\s\S]*?)<\/h1>/, '').replace(/<p class="updated">[\s\S]*?<\/p>/, '')
      .split(/<h2 id="([^"]*)"[^>]*>([\s\S]*?)<\/h2>/);
    index.push(section(url, title, title, plain(parts[0]), index.length));
    for (let i = 1; i < parts.length; i += 3) {
      index.push(section(`${url}#${parts[i]}`, title, plain(parts[i + 1]), plain(parts[i + 2]), index.length));
    }
  }
  return index;
}

/** The sections that match every term, best first. */
function find(index, terms) {
  if (!terms.length) return [];
  const ranked = [];
  for (const s of index) {
    if (!terms.every((t) => s.foldedHeading.includes(t) || s.foldedText.includes(t))) continue;
    const inHeading = terms.every((t) => s.foldedHeading.includes(t));
    ranked.push([!inHeading ? 2 : s.url.includes('#') ? 1 : 0, s.order, s]);
  }
  ranked.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return ranked.slice(0, S_MAX_RESULTS).map((r) => r[2]);
}

/** The escaped snippet of a section's text, its matches in <mark>. */
function snippet(s, terms) {
  const spans = [];
  for (const term of terms) {
    for (let at = s.foldedText.indexOf(term); at >= 0; at = s.foldedText.indexOf(term, at + term.length)) {
      spans.push([s.where[at], s.where[at + term.length - 1] + 1]);
    }
  }
  spans.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const hits = [];
  for (const [a, b] of spans) {
    if (hits.length && a <= hits[hits.length - 1][1]) hits[hits.length - 1][1] = Math.max(hits[hits.length - 1][1], b);
    else hits.push([a, b]);
  }
  const { text } = s;
  const start = Math.max(0, (hits.length ? hits[0][0] : 0) - S_BEFORE);
  const end = Math.min(text.length, start + S_SNIPPET);
  let out = '', at = start;
  for (let [a, b] of hits) {
    a = Math.max(a, start);
    b = Math.min(b, end);
    if (a >= b) continue;
    out += `${esc(text.slice(at, a))}<mark>${esc(text.slice(a, b))}</mark>`;
    at = b;
  }
  return (start > 0 ? '…' : '') + out + esc(text.slice(at, end)) + (end < text.length ? '…' : '');
}

const searchUrl = (lang, query) => `/${lang}${S_URI}${encodeURIComponent(query)}`;
const fill = (template, values) => esc(template).replace(/\{(\w+)\}/g, (_, name) => esc(String(values[name])));

/** The results page: the offline page (shell) with its title, main and language links replaced. */
function renderPage(shell, query, results, elsewhere) {
  const words = {};
  for (const [, name, value] of shell.matchAll(/data-search-([a-z]+)="([^"]*)"/g)) words[name] = unescapeHtml(value);
  const lines = [`<main id="main">\n<article class="search">\n<h1>${esc(words.title)}</h1>`];
  if (!query) lines.push(`<p>${esc(words.hint)}</p>`);
  else if (results.length) {
    const count = results.length === 1 ? words.one : words.many;
    lines.push(`<p>${fill(count, { n: results.length, q: query })}</p>\n<ol class="results">`);
    const terms = termsOf(query);
    for (const s of results) {
      const heading = s.url.includes('#') ? ` › ${esc(s.heading)}` : '';
      lines.push(`<li><a href="${s.url}">${esc(s.pageTitle)}${heading}</a><br>${snippet(s, terms)}</li>`);
    }
    lines.push('</ol>');
  } else {
    lines.push(`<p>${fill(words.none, { q: query })}</p>`);
    if (elsewhere.length) {
      const links = elsewhere.map(([code, htmlLang, name, count]) => `<a href="${searchUrl(code, query)}" `
        + `hreflang="${htmlLang}" lang="${htmlLang}">${name}</a> (${count})`).join(', ');
      lines.push(`<p>${esc(words.elsewhere)} ${links}</p>`);
    }
  }
  lines.push('</article>\n</main>');
  const title = words.title + (query ? `: ${query}` : '');
  return shell.replace(/<main id="main">[\s\S]*<\/main>/, () => lines.join('\n'))
    .replace(/<title>[\s\S]*?<\/title>/, () => `<title>${esc(title)} · ${esc(words.guide)}</title>`)
    .replace(/href="\/([a-z]{2})\/offline\/"/g, (_, code) => `href="${searchUrl(code, query)}"`)
    .replace('name="q"', () => `name="q" value="${esc(query)}"`);
}

/** The results page of a raw query: pages {lang: index}, shells {lang: offline page HTML}. */
function resultsPage(raw, lang, pages, shells) {
  const query = cleanQuery(raw);
  const terms = termsOf(query);
  const results = find(pages[lang], terms);
  const elsewhere = [];
  if (terms.length && !results.length) {
    const links = shells[lang].matchAll(/<a href="\/([a-z]{2})\/offline\/" hreflang="([^"]+)" lang="[^"]+">([^<]+)<\/a>/g);
    for (const [, code, htmlLang, name] of links) {
      const count = find(pages[code], terms).length;
      if (count) elsewhere.push([code, htmlLang, name, count]);
    }
  }
  return renderPage(shells[lang], query, results, elsewhere);
}

const searchIndexes = {}; // lang -> sections, kept while the worker runs

/** Answer a search from the saved pages: read(url) gives a saved page's HTML; urlsOf(lang) the
 * language's page URLs in reading order. Other languages are read only when this one has no
 * match (for "found in other languages"). */
async function savedSearch(lang, raw, read, langs, urlsOf) {
  const load = async (code) => searchIndexes[code]
    || (searchIndexes[code] = buildIndex(await Promise.all(urlsOf(code).map(async (u) => [u, await read(u)]))));
  const pages = { [lang]: await load(lang) };
  if (!find(pages[lang], termsOf(cleanQuery(raw))).length) {
    for (const code of langs) pages[code] = await load(code);
  }
  return resultsPage(raw, lang, pages, { [lang]: await read(`/${lang}/offline/`) });
}
