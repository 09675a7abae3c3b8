"""Render the guide's HTML once: every page and offline page, keyed by URL path.

Everything flows from the Guide: views serve these bodies, the precache list names them and
the export writes them.
"""

import contextlib
from dataclasses import dataclass

from flask import g, render_template
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from markupsafe import escape

from .config import LANGUAGES
from .responses import Body
from .seo import CARD, alternates
from .urls import HOME, offline_url, page_url, report_link, report_path

#: The page that offers the single-file guide for download, and the script it loads for that.
SHARE_PAGE = "offline-help"
SHARE_SCRIPT = "share.js"
#: What every page loads by itself (base.html): the worker takes these from the HTTP cache
#: rather than the pack, which would bring them a second time.
PAGE_ASSETS = {"css": "app.css", "js": "app.js", "icon": "icons/icon.svg"}


def page_asset_urls(static):
    """Return the hashed URLs of the files every page loads by itself."""
    return {static.url(name) for name in PAGE_ASSETS.values()}


def first_view_urls(static, slug):
    """Return the stylesheet and scripts a page loads before it shows: every page's, and on
    SHARE_PAGE its share script."""
    names = [PAGE_ASSETS["css"], PAGE_ASSETS["js"]] + [SHARE_SCRIPT] * (slug == SHARE_PAGE)
    return [static.url(name) for name in names]


@dataclass(frozen=True)
class ShareLink:
    """The single-file guide as the offline-help page offers it: URL, body, share.js recipe."""

    url: str
    body: object
    recipe: dict
    qr: str = None  # the URL of the guide's address as a QR code (qr.py), None without SITE_URL
    address: str = None  # that address, written beside it

    @property
    def size(self):
        """Return the file's size in KB, as the page prints it."""
        return round(len(self.body.data) / 1024)


@dataclass(frozen=True)
class LinkItem:
    """A link to a page of the guide: where it points and the page (or language) it names."""

    url: str
    page: object = None
    lang: object = None


def switcher(make_url, lang):
    """Return one item per language; the current one has no URL."""
    return [LinkItem(url=None if code == lang else make_url(code), lang=language)
            for code, language in LANGUAGES.items()]


def contents(guide, lang):
    """Return a link to every page of the guide in one language, in reading order."""
    return [LinkItem(url=page_url(lang, slug), page=guide.page(lang, slug)) for slug in guide.slugs]


def common_context(lang, static):
    """Return what every template needs: the language, the fixed links, the static files."""
    return {
        "lang": LANGUAGES[lang],
        "home_url": page_url(lang, HOME),
        "about_url": page_url(lang, "about"),
        "static_url": static.url,
        "assets": PAGE_ASSETS,
        "share_script": SHARE_SCRIPT,
        "format_date": format_date,
    }


def share_preview(page, lang, canonical, origin, static):
    """Return the Open Graph properties and the X card type of a page's share preview.

    Only what previews use: each tag is saved offline with every page, so each costs bytes on
    every reader's phone. og:url and og:image must be absolute: without SITE_URL they are left
    out, and X gets a card without an image.
    """
    og = [("title", page.title), ("description", page.description),
          ("locale", LANGUAGES[lang].og_locale)]
    og += [("locale:alternate", language.og_locale)
           for code, language in LANGUAGES.items() if code != lang]
    if origin:
        card = static.url(CARD.format(lang=lang))
        og += [("url", canonical), ("image", origin + card)]
    return {"og": og, "twitter_card": "summary_large_image" if origin else "summary"}


def with_report_links(page):
    """Return a page's HTML with a quiet "Report a change" link closing each `##` section: on
    its own line before the next section's heading, and after the last one's text. The search
    (web/search.py TAG) and the single file (share.js) leave them out, as they leave out badges."""
    html = page.html
    words = escape(_("Report a change"))
    for heading in reversed(page.sections):
        link = (f'<a class="report" href="{escape(report_link(page.lang, page.slug, heading.id))}"'
                f' rel="nofollow">{words}</a>')
        after = html.find("\n<h2 ", html.index(f'<h2 id="{heading.id}"'))
        html = html + "\n" + link if after < 0 else f"{html[:after]}\n{link}{html[after:]}"
    return html


def render_page(guide, lang, slug, static, origin="", share=None, reports=""):
    """Render one page of the guide to HTML (inside a request context for `lang`).

    origin is SITE_URL: it makes the canonical, hreflang and share links absolute; share is
    the single-file guide, offered on SHARE_PAGE.
    """
    page = guide.page(lang, slug)
    previous, following = guide.neighbours(slug)
    canonical = origin + page_url(lang, slug)

    def link(target):
        return target and LinkItem(url=page_url(lang, target), page=guide.page(lang, target))

    return render_template(
        "page.html",
        page=page,
        html=page.html if reports is None else with_report_links(page),
        is_home=slug == HOME,
        switcher=switcher(lambda code: page_url(code, slug), lang),
        canonical=canonical,
        alternates=alternates(origin, slug),
        preview=share_preview(page, lang, canonical, origin, static),
        contents=contents(guide, lang) if slug == HOME else None,
        share=share if slug == SHARE_PAGE else None,
        previous=link(previous),
        next=link(following),
        checked=guide.checked,
        **common_context(lang, static),
    )


def render_message(guide, static, lang, heading, text, switch_url=None, search_words=False):
    """Render a short message page (offline, not found, errors) with links into the guide."""
    return render_template(
        "message.html",
        heading=heading,
        text=text,
        search_words=search_words,
        switcher=switcher(switch_url or (lambda code: page_url(code, HOME)), lang),
        contents=contents(guide, lang),
        **common_context(lang, static),
    )


def render_report(static, lang, target=None, done=False, reports=""):
    """Render the report page in one language: the form about `target` (a section, see
    web/reports.form_values; None: the page script fills it in), or the thank-you (done). The
    form posts to `reports` (an app's origin, for an export), else to the page's own URL."""
    return render_template(
        "report.html",
        target=target,
        done=done,
        action=reports and reports + report_path(lang),
        switcher=switcher(report_path, lang),
        **common_context(lang, static),
    )


def not_found_page(built, lang):
    """Render the 404 page in one language (inside a request context for it)."""
    return render_message(built.guide, built.static, lang, _("Page not found"),
                          _("The guide has no page at this address."))


@contextlib.contextmanager
def rendering(app, path, lang):
    """Render inside a request for `path` in `lang`. The locale is forced: a build run inside
    a command's app context (flask export) shares that context, where Flask-Babel keeps the
    first locale it looked up."""
    with app.test_request_context(path), force_locale(lang):
        g.lang = lang
        yield


def build_site(app, guide, static, origin, share, reports=""):
    """Render every page, offline page and report form once; return {path: Body}. With
    reports=None (an export without an app) no page offers a report, and there is no form."""
    site = {}
    for lang in guide.languages:
        for slug in guide.slugs:
            path = page_url(lang, slug)
            with rendering(app, path, lang):
                html = render_page(guide, lang, slug, static, origin, share, reports)
                site[path] = Body(html.encode(), "text/html")
        path = offline_url(lang)
        with rendering(app, path, lang):
            html = render_message(
                guide,
                static,
                lang,
                _("You are offline"),
                _("This page is not saved on your phone. Every page of the guide is: "
                  "choose one below."),
                switch_url=offline_url,
                search_words=True,  # the offline page is the search results' shell too
            )
            site[path] = Body(html.encode(), "text/html")
        path = report_path(lang)
        if reports is not None:
            with rendering(app, path, lang):
                site[path] = Body(render_report(static, lang, reports=reports).encode(),
                                  "text/html")
    return site
