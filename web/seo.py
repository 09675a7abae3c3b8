"""What search engines and chat apps read: the public origin, /sitemap.xml, /robots.txt, cards.

Canonical, hreflang, og:url and og:image links, and every URL of the sitemap, must be absolute.
They are built from SITE_URL (GUIDE_SITE_URL in the environment), the origin the operator says
the guide is published at, and never from a request's Host header: pages are rendered once at
startup for every reader, and a Host header is whatever the client sent. Without SITE_URL the
app still works everywhere (locally, in tests): links stay relative, /sitemap.xml is not served
(the sitemap protocol requires absolute URLs), robots.txt names no sitemap, and pages carry no
og:url or og:image (Open Graph requires absolute URLs too). The app says so once, where it
builds absolute links: the first page it serves, and the export.
"""

import weakref
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

from .config import LANGUAGES
from .responses import Body
from .urls import page_url

SITEMAP_URL = "/sitemap.xml"
ROBOTS_URL = "/robots.txt"
#: The share card of each language, a static file drawn by `make icons` (tools/icons.py).
CARD = "cards/{lang}.png"
CARD_SIZE = (1200, 630)  # the size Facebook, WhatsApp, Telegram and X show large
#: robots.txt keeps crawlers off the single file: it repeats every page, and is a download.
NOT_CRAWLED = ("/cuba-mobile-data-guide.html",)

NO_SITE_URL = (
    "GUIDE_SITE_URL is not set: canonical and hreflang links stay relative, /sitemap.xml is "
    "not served and pages have no og:url or og:image. Set it to the public origin, e.g. "
    "GUIDE_SITE_URL=https://guide.example"
)


#: The apps that have said NO_SITE_URL (weakly held: a finished app is not kept alive).
_WARNED = weakref.WeakSet()


def warn_if_relative(app, origin):
    """Say once per app, where absolute links are built (pages served, the export), that they
    stay relative for want of SITE_URL; commands that build none stay quiet."""
    if not origin and app not in _WARNED:
        _WARNED.add(app)
        app.logger.warning(NO_SITE_URL)


def site_origin(value):
    """Return SITE_URL as a bare origin ('https://host[:port]'), '' if unset; refuse the rest."""
    if not value:
        return ""
    parts = urlsplit(value)
    try:
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
    except ValueError:
        parts = parts._replace(netloc="")
    # A path would shift every page's URL; the app only serves from the root of its origin.
    if (parts.scheme not in ("http", "https") or not parts.hostname or parts.username
            or parts.path not in ("", "/") or parts.query or parts.fragment):
        raise ValueError(f"SITE_URL must be an origin such as https://guide.example, not {value!r}")
    return f"{parts.scheme}://{parts.netloc.lower()}"


def alternates(origin, slug):
    """Return [(hreflang, url)]: the page in every language (for the page and the sitemap)."""
    return [(language.html_lang, origin + page_url(code, slug))
            for code, language in LANGUAGES.items()]


def build_sitemap(origin, guide):
    """Return /sitemap.xml: every page in every language, each with its hreflang alternates."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
             ' xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for lang in guide.languages:
        for slug in guide.slugs:
            page = guide.page(lang, slug)
            lines.append(f"<url><loc>{escape(origin + page_url(lang, slug))}</loc>"
                         f"<lastmod>{page.updated.isoformat()}</lastmod>")
            lines += [f'<xhtml:link rel="alternate" hreflang="{hreflang}" href={quoteattr(url)}/>'
                      for hreflang, url in alternates(origin, slug)]
            lines.append("</url>")
    lines.append("</urlset>")
    return Body(("\n".join(lines) + "\n").encode(), "application/xml")


def build_robots(origin):
    """Return /robots.txt: crawl the guide, not the single file; the sitemap, if it exists."""
    lines = ["User-agent: *", "Allow: /"] + [f"Disallow: {path}" for path in NOT_CRAWLED]
    if origin:
        lines.append(f"Sitemap: {origin}{SITEMAP_URL}")
    return Body(("\n".join(lines) + "\n").encode(), "text/plain")
