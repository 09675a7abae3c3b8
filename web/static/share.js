/* The offline-help page's download link: the single-file guide made from the saved pages, the
 * same bytes as `flask bundle` (web/bundle.py and templates/bundle.html; a browser test compares
 * them), so it downloads nothing and works offline. Until the guide is saved, the link goes to
 * the server as any link does. Only that page loads this script. */
'use strict';
(() => {
  // LANGS, HOME, URLS...: generated from web/shared.py when the static files are built.
  const SHARED = {};
  const link = document.querySelector('a[data-recipe]');
  if (!link || !window.caches) return;
  // {file, css, extra, slugs, langs: [[code, html lang, name, title, contents, language]]}
  const recipe = JSON.parse(link.dataset.recipe);
  const text = async (url) => (await caches.match(url)).text();

  /** The path of a page in a language, from the URL layout. */
  const pageOf = (lang, slug) => URLS[slug === HOME ? 'home' : 'page']
    .replace('{lang}', lang).replace('{slug}', slug);
  // Every page's path -> [lang, slug], to read the guide's links back.
  const pages = new Map([].concat(...LANGS.map((l) => recipe.slugs.map((s) => [pageOf(l, s), [l, s]]))));

  /** Rewrite a page's ids and links to point inside the single file (as web/bundle.py does). */
  const relink = (html, lang, slug) => {
    const id = (l, s, f) => `${l}-${s}` + (f ? `--${f}` : '');
    const inside = (match, href) => {
      const [path, fragment] = href.split(/#([\s\S]*)/);
      const [l, s] = path ? pages.get(path) || [] : [lang, slug];
      return l ? `href="#${id(l, s, fragment)}"` : match;
    };
    return html.replace(/\n<a class="report"[^>]*>[^<]*<\/a>/g, '') // the server's, not the file's
      .replace(/\bid="([^"]+)"/g, (_, f) => `id="${id(lang, slug, f)}"`)
      .replace(/href="([^"]*)"/g, inside)
      .replace(/<(\/?)h([23])\b/g, (_, end, n) => `<${end}h${+n + 1}`);
  };

  /** The single file, as text, made from the saved pages. */
  const bundle = async () => {
    const L = recipe.langs;
    const links = (f) => L.map(f).join('');
    let out = `<!doctype html>\n<html lang="${L[0][1]}">\n<head>\n<meta charset="utf-8">\n`
      + '<meta name="viewport" content="width=device-width,initial-scale=1">\n'
      + `<title>${L.map((l) => l[3]).join(' · ')}</title>\n<style>${await text(recipe.css)}\n`
      + `${recipe.extra}</style>\n</head>\n<body>\n<header class="bar">\n<nav class="langs" `
      + `aria-label="${L.map((l) => l[5]).join(' · ')}">\n<ul>`
      + links(([c, h, n]) => `<li><a href="#${c}" hreflang="${h}" lang="${h}">${n}</a></li>`)
      + '</ul>\n</nav>\n</header>\n<main>\n';
    for (const [code, html, , title, contents, language] of L) {
      const pages = [];
      for (const slug of recipe.slugs) {
        const page = await text(pageOf(code, slug));
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
    return `${out}</main>\n</body>\n</html>`;
  };

  /** Download a file the page made. */
  const download = (blob) => {
    const file = document.createElement('a');
    file.href = URL.createObjectURL(blob);
    file.download = recipe.file;
    file.click();
    setTimeout(() => URL.revokeObjectURL(file.href), 60000);
  };

  // Whether the whole guide is saved: checked now, because a click must decide at once.
  let saved = false;
  caches.match('/__sw/saved').then((hit) => { saved = Boolean(hit); });
  link.addEventListener('click', (event) => {
    if (!saved) return;
    event.preventDefault();
    bundle().then((html) => download(new Blob([html], { type: 'text/html' })));
  });

  // The phone's share sheet, where it takes files (Chrome for Android 76+, iOS 15+; not in
  // app web views): the same file, from the saved pages (else from the server, as the link
  // gets it); where it can't take this file, the download.
  if (!(navigator.canShare && window.File)) return;
  const share = document.createElement('button');
  share.type = 'button';
  share.textContent = link.dataset.share;
  share.addEventListener('click', () => {
    const html = saved ? bundle() : fetch(link.href).then((response) => response.text());
    html.then((text) => {
      const file = new File([text], recipe.file, { type: 'text/html' });
      if (!navigator.canShare({ files: [file] })) return download(file);
      return navigator.share({ files: [file], title: document.title }).catch(() => {});
    });
  });
  link.parentNode.insertBefore(share, link.nextSibling);
  link.parentNode.insertBefore(document.createTextNode(' '), share);
})();
