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

from .config import LANGUAGES
from .responses import Body
from .urls import HOME

#: The single file's URL in the app (and so its name in the static export).
BUNDLE_URL = "/cuba-mobile-data-guide.html"

# Links the guide's pages contain: /<lang>/, /<lang>/<slug>/, either with #anchor, or #anchor.
PAGE_HREF = re.compile(r'href="(?:/(?P<lang>[a-z]{2})/(?:(?P<slug>[a-z0-9-]+)/)?)?'
                       r'(?:#(?P<anchor>[^"]+))?"')
ID = re.compile(r'\bid="([^"]+)"')


def anchor(lang, slug, fragment=None):
    """Return the in-file id of a page, or of a heading on it: ids must be unique in one file."""
    return f"{lang}-{slug}" + (f"--{fragment}" if fragment else "")


def relink(html, lang, slug):
    """Rewrite one page's ids and links so they point inside the single file."""

    def href(match):
        target_lang = match["lang"] or lang
        target_slug = match["slug"] or (HOME if match["lang"] else slug)
        return f'href="#{anchor(target_lang, target_slug, match["anchor"])}"'

    html = ID.sub(lambda m: f'id="{anchor(lang, slug, m[1])}"', html)
    return PAGE_HREF.sub(href, html)


def build_bundle(app, guide):
    """Render the single-file guide (inside a request context) and return its bytes."""
    css = (app.config["STATIC_SOURCE_DIR"] / "app.css").read_text(encoding="utf-8")
    sections = []
    for lang in guide.languages:
        with force_locale(lang):
            ui = {"title": _("Cuba mobile data guide"), "contents": _("Contents"),
                  "reviewed": _("Last reviewed:"), "language": _("Language")}
            pages = []
            for slug in guide.slugs:
                page = guide.page(lang, slug)
                switch = [(anchor(code, slug), LANGUAGES[code])
                          for code in guide.languages if code != lang]
                pages.append({"page": page, "id": anchor(lang, slug), "switch": switch,
                              "html": relink(page.html, lang, slug),
                              "reviewed": format_date(page.updated, "long")})
        sections.append({"lang": LANGUAGES[lang], "ui": ui, "pages": pages})
    return render_template("bundle.html", css=css, sections=sections).encode()


def init_app(app, guide):
    """Render the single file once and keep it on the app, to serve at BUNDLE_URL."""
    with app.test_request_context(BUNDLE_URL):
        data = build_bundle(app, guide)
    app.extensions["bundle"] = Body(data, "text/html", download=BUNDLE_URL.lstrip("/"))
