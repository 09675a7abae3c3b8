/* The single-file guide, made from the saved pages: the same bytes as `flask bundle`, nothing
 * to download, online or not. Mirrors web/bundle.py and web/templates/bundle.html; a browser
 * test compares the two. */

/** Rewrite a page's ids and links to point inside the single file (as web/bundle.py does). */
function relink(html, lang, slug) {
  const id = (l, s, f) => `${l}-${s}` + (f ? `--${f}` : '');
  return html.replace(/\bid="([^"]+)"/g, (_, f) => `id="${id(lang, slug, f)}"`)
    .replace(/href="(?:\/([a-z]{2})\/(?:([a-z0-9-]+)\/)?)?(?:#([^"]+))?"/g,
      (_, l, s, f) => `href="#${id(l || lang, s || (l ? 'index' : slug), f)}"`)
    .replace(/<(\/?)h([23])\b/g, (_, end, n) => `<${end}h${+n + 1}`);
}

/** The single file, made from this version's cached pages. */
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

ROUTES.push(async (url) => url.pathname === SHARE.url && (await fromCache(SAVED)) && bundle());
