"""The static export: every URL the guide serves, written as files for any static host or CDN.

Each file holds exactly the bytes the app serves for its URL (they are read through the app
itself), with .br and .gz twins for hosts that serve pre-compressed files. `/` becomes a small
page that sends the reader to a language without a server; `_headers` carries the app's headers
for hosts that read one (Netlify, Cloudflare Pages); deploy/nginx/guide.conf sends the same on
nginx (tests/test_deploy_static.py compares them). robots.txt, the sitemap (with SITE_URL) and
the share cards are exported too, though the service worker does not save them.
"""

from pathlib import Path

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from .bundle import BUNDLE_URL
from .compression import twins
from .config import DEFAULT_LANGUAGE, LANGUAGES
from .offline import MANIFEST_URL, SW_URL
from .security import headers_for
from .seo import ROBOTS_URL, SITEMAP_URL
from .static_files import URL_PREFIX
from .urls import HOME, page_url

#: Where a URL's file goes: a path ending in / is a folder with an index.html.
INDEX = "index.html"
#: The page static hosts show for a URL they do not have (Netlify, Cloudflare, GitHub Pages).
NOT_FOUND = "404.html"
#: The headers `_headers` copies from the app's responses, besides the security headers.
COPIED = ("Cache-Control", "Content-Disposition")


def file_for(url):
    """Return the export's relative file path for a URL path."""
    path = url.lstrip("/")
    return path + INDEX if url.endswith("/") else path


def export_urls(app):
    """Return every URL the export holds: the precache list, the pack, the worker, the single
    file, /, the static files the worker does not save (share cards), robots.txt and the
    sitemap."""
    urls = ["/", SW_URL, BUNDLE_URL, ROBOTS_URL, app.extensions["pack"]["url"]]
    if app.extensions["sitemap"] is not None:  # only with SITE_URL (see seo.py)
        urls.append(SITEMAP_URL)
    precache = [entry["url"] for entry in app.extensions["precache"]]
    static = [url for url in app.extensions["static_urls"].values() if url not in precache]
    return urls + precache + static


def render_chooser(app):
    """Render the page at / that picks the reader's language in the browser (no server)."""
    with app.test_request_context("/"):
        languages = []
        for code, language in LANGUAGES.items():
            with force_locale(code):
                languages.append({"lang": language, "url": page_url(code, HOME),
                                  "title": _("Cuba mobile data guide")})
        # The default language first: it is the one a browser with no match is sent to.
        languages.sort(key=lambda item: item["lang"].code != DEFAULT_LANGUAGE)
        return render_template("choose.html", languages=languages).encode()


def render_not_found(app):
    """Return the app's own 404 page (in the default language) for hosts that show 404.html."""
    response = app.test_client().get(page_url(DEFAULT_LANGUAGE, "404-not-found"))
    if response.status_code != 404:
        raise RuntimeError(f"the 404 page answered HTTP {response.status_code}")
    return response.data


def headers_file(app, client):
    """Return a `_headers` file: the app's security, caching and download headers, per URL pattern.

    Each pattern's headers are copied from what the app sends for one URL it covers, so the
    export cannot drift from the app. Security headers are the HTTPS set: static hosts use TLS.
    """
    security = headers_for(https=True, hsts_max_age=app.config["HSTS_MAX_AGE"])
    lines = ["/*"] + [f"  {name}: {value}" for name, value in security]
    patterns = [("/", "/"), (SW_URL, SW_URL), (MANIFEST_URL, MANIFEST_URL),
                (BUNDLE_URL, BUNDLE_URL), (ROBOTS_URL, ROBOTS_URL)]
    if app.extensions["sitemap"] is not None:
        patterns.append((SITEMAP_URL, SITEMAP_URL))
    patterns += [(f"/{code}/*", page_url(code, HOME)) for code in LANGUAGES]
    patterns += [(f"{URL_PREFIX}*", app.extensions["static_urls"]["app.css"])]
    # One rule a pattern: hosts merge the headers of every rule that matches a URL.
    for pattern, url in patterns:
        sent = client.get(url).headers
        # A wildcard covers many types; an exact URL has one, which a host may not know.
        names = COPIED if pattern.endswith("*") else COPIED + ("Content-Type",)
        lines += [pattern] + [f"  {name}: {sent[name]}" for name in names if name in sent]
    return ("\n".join(lines) + "\n").encode()


def write(target, relative, data):
    """Write one file of the export, with its compressed twins unless it is already compressed."""
    path = target / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in {path.name: data, **twins(path.name, data)}.items():
        path.with_name(name).write_bytes(content)
        written.append(path.with_name(name))
    return written


def export_site(app, target):
    """Write the whole guide into target; return the list of files written."""
    target = Path(target)
    client = app.test_client()
    written = []
    for url in export_urls(app):
        if url == "/":
            data = render_chooser(app)
        else:
            response = client.get(url, headers={"Accept-Encoding": "identity"})
            if response.status_code != 200:
                raise RuntimeError(f"{url}: HTTP {response.status_code}, cannot export it")
            data = response.data
        written += write(target, file_for(url), data)
    written += write(target, NOT_FOUND, render_not_found(app))
    (target / "_headers").write_bytes(headers_file(app, client))
    written.append(target / "_headers")
    return written
