"""The single-file guide: every page in every language in one HTML file, to pass phone to phone.

In Cuba much of what people read travels without internet (Zapya, Bluetooth, El Paquete), so
the guide also exists as one self-contained file: inline CSS, no script, no request anywhere,
readable from file://. Links between pages become in-file anchors, and every page links to the
same page in the other languages, so switching language keeps your place with JavaScript off.
"""

import re

from flask import render_template
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from markupsafe import escape

from .config import LANGUAGES
from .responses import Body
from .urls import LAYOUT, page_url

#: The single file's URL in the app (and so its name in the static export).
BUNDLE_URL = LAYOUT["bundle"]
#: CSS the single file adds to app.css: a rule between pages, a small language line.
BUNDLE_CSS = (".bundle-page{border-top:1px solid var(--line);margin-top:2rem}"
              ".bundle-page>nav{font-size:.9rem}")

HREF = re.compile(r'href="([^"]*)"')
ID = re.compile(r'\bid="([^"]+)"')
HEADING = re.compile(r"<(/?)h([23])\b")


def anchor(lang, slug, fragment=None):
    """Return the in-file id of a page, or of a heading on it: ids must be unique in one file."""
    return f"{lang}-{slug}" + (f"--{fragment}" if fragment else "")


def relink(html, lang, slug, pages):
    """Rewrite one page's ids and links so they point inside the single file; pages maps each
    page's path to its (lang, slug). share.js takes the same steps."""

    def href(match):
        path, _, fragment = match[1].partition("#")
        # A bare #anchor stays on this page; a path that is no page of the guide (tel:) stays.
        target = pages.get(path) if path else (lang, slug)
        return f'href="#{anchor(*target, fragment or None)}"' if target else match[0]

    html = ID.sub(lambda m: f'id="{anchor(lang, slug, m[1])}"', html)
    html = HREF.sub(href, html)
    # A page's title is an <h2> in the file, so its sections go one level down.
    return HEADING.sub(lambda m: f"<{m[1]}h{int(m[2]) + 1}", html)


def interface(lang):
    """Return the single file's interface strings in one language, as its template shows them."""
    with force_locale(lang):
        return {"title": _("Cuba mobile data guide"), "contents": _("Contents"),
                "reviewed": _("Last checked:"), "language": _("Language")}


def render_bundle(guide, static, ui):
    """Render the single-file guide (inside a request context) and return its bytes."""
    # The stylesheet the app serves (minified), as the worker finds it in its cache.
    css = static.data("app.css").decode()
    paths = {page_url(lang, slug): (lang, slug) for lang in guide.languages for slug in guide.slugs}
    sections = []
    for lang in guide.languages:
        pages = []
        with force_locale(lang):
            checked = format_date(guide.checked, "long")
            for slug in guide.slugs:
                page = guide.page(lang, slug)
                switch = [(anchor(code, slug), LANGUAGES[code])
                          for code in guide.languages if code != lang]
                pages.append({"page": page, "id": anchor(lang, slug), "switch": switch,
                              "html": relink(page.html, lang, slug, paths)})
        sections.append({"lang": LANGUAGES[lang], "ui": ui[lang], "pages": pages,
                         "checked": checked})
    return render_template("bundle.html", css=f"{css}\n{BUNDLE_CSS}", sections=sections,
                           checked=guide.checked).encode()


def page_recipe(guide, static, ui):
    """Return what share.js needs to make the same file from the saved pages, with no download."""
    langs = []
    for code in guide.languages:
        # Escaped as the template escapes them, so both ways give the same bytes.
        texts = [LANGUAGES[code].name, ui[code]["title"], ui[code]["contents"],
                 ui[code]["language"]]
        langs.append([code, LANGUAGES[code].html_lang] + [str(escape(text)) for text in texts])
    return {"file": BUNDLE_URL.lstrip("/"), "css": static.url("app.css"),
            "extra": BUNDLE_CSS, "slugs": list(guide.slugs), "langs": langs}


def build_bundle(app, guide, static):
    """Render the single file once; return (its Body, the recipe share.js follows)."""
    with app.test_request_context(BUNDLE_URL):
        ui = {lang: interface(lang) for lang in guide.languages}
        data = render_bundle(guide, static, ui)
    return (Body(data, "text/html", download=BUNDLE_URL.lstrip("/")),
            page_recipe(guide, static, ui))
