"""The static export: every URL the guide serves, written as files for any static host or CDN.

Each file holds exactly the bytes the app serves for its URL (taken from the same build the
app serves), with .br and .gz twins for hosts that serve pre-compressed files. `/` becomes a small
page that sends the reader to a language without a server; `_headers` carries the app's headers
for hosts that read one (Netlify, Cloudflare Pages); deploy/nginx/guide.conf sends the same on
nginx (tests/test_deploy_static.py compares them). robots.txt, the sitemap (with SITE_URL) and
the share cards are exported too, though the service worker does not save them.
"""

import datetime
import os
import shutil
from pathlib import Path

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from .build import instance_dir
from .bundle import BUNDLE_URL
from .compression import CachedCompressor, twins
from .config import DEFAULT_LANGUAGE, LANGUAGES
from .offline import MANIFEST_URL, SW_URL
from .responses import REVALIDATE
from .security import headers_for
from .seo import ROBOTS_URL, SITEMAP_URL
from .site import common_context, not_found_page
from .static_files import URL_PREFIX, static_headers
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


def served_files(built):
    """Return {url: Body or StaticFile} for every URL the app serves from the build."""
    bodies = {**built.site, SW_URL: built.service_worker, MANIFEST_URL: built.manifest,
              BUNDLE_URL: built.bundle, ROBOTS_URL: built.robots}
    if built.sitemap is not None:  # only with SITE_URL (see seo.py)
        bodies[SITEMAP_URL] = built.sitemap
    return {**bodies, **built.static.files}


def export_urls(built):
    """Return every URL the export holds: / (the language chooser), then each served file."""
    return ["/", *served_files(built)]


def render_chooser(app, static):
    """Render the page at / that picks the reader's language in the browser (no server)."""
    with app.test_request_context("/"):
        languages = []
        for code, language in LANGUAGES.items():
            with force_locale(code):
                languages.append({"lang": language, "url": page_url(code, HOME),
                                  "title": _("Cuba mobile data guide")})
        # The default language first: it is the one a browser with no match is sent to.
        languages.sort(key=lambda item: item["lang"].code != DEFAULT_LANGUAGE)
        return render_template("choose.html", languages=languages,
                               **common_context(DEFAULT_LANGUAGE, static)).encode()


def render_not_found(app, built):
    """Return the app's own 404 page (in the default language) for hosts that show 404.html."""
    with app.test_request_context(page_url(DEFAULT_LANGUAGE, HOME)), force_locale(DEFAULT_LANGUAGE):
        return not_found_page(built, DEFAULT_LANGUAGE).encode()


def headers_file(app, built):
    """Return a `_headers` file: the app's security, caching and download headers, per URL pattern.

    Each pattern's headers are those the app sends for one URL it covers (the Body's own, or
    whitenoise's for static files), so the export cannot drift from the app. Security headers
    are the HTTPS set: static hosts use TLS.
    """
    security = headers_for(https=True, hsts_max_age=app.config["HSTS_MAX_AGE"],
                           reports_origin=built.reports)
    lines = ["/*"] + [f"  {name}: {value}" for name, value in security]
    # `/` is the app's redirect (revalidated); on a static host, the chooser page.
    patterns = [("/", {"Content-Type": "text/html; charset=utf-8", "Cache-Control": REVALIDATE})]
    patterns += [(url, dict(body.headers("identity"))) for url, body in [
        (SW_URL, built.service_worker), (MANIFEST_URL, built.manifest),
        (BUNDLE_URL, built.bundle), (ROBOTS_URL, built.robots), (SITEMAP_URL, built.sitemap),
    ] if body is not None]
    patterns += [(f"/{code}/*", dict(built.site[page_url(code, HOME)].headers("identity")))
                 for code in LANGUAGES]
    patterns += [(f"{URL_PREFIX}*", static_headers(built.static.url("app.css")))]
    # One rule a pattern: hosts merge the headers of every rule that matches a URL.
    for pattern, sent in patterns:
        # A wildcard covers many types; an exact URL has one, which a host may not know.
        names = COPIED if pattern.endswith("*") else COPIED + ("Content-Type",)
        lines += [pattern] + [f"  {name}: {sent[name]}" for name in names if name in sent]
    return ("\n".join(lines) + "\n").encode()


def write(target, relative, data, encode):
    """Write one file of the export, with its compressed twins unless it is already compressed."""
    path = target / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in {path.name: data, **twins(path.name, data, encode)}.items():
        path.with_name(name).write_bytes(content)
        written.append(path.with_name(name))
    return written


def export_build(app):
    """Return the build the export holds: the app's pages, but their reports go to
    REPORTS_ORIGIN's app, or nowhere without one (a static host has no API)."""
    from . import build_guide  # the pipeline, run again with the export's one difference

    origin = app.config["REPORTS_ORIGIN"].rstrip("/")
    return build_guide(app, reports=origin or None)


def export_site(app, target):
    """Write the whole guide into target; return the list of files written."""
    target = Path(target)
    built = export_build(app)
    # The build compressed the same bytes through this cache: the export reads them back.
    encode = CachedCompressor(instance_dir(app, "CACHE_DIR", "cache"))
    written = write(target, INDEX, render_chooser(app, built.static), encode)
    for url, body in served_files(built).items():
        written += write(target, file_for(url), body.data, encode)
    written += write(target, NOT_FOUND, render_not_found(app, built), encode)
    (target / "_headers").write_bytes(headers_file(app, built))
    written.append(target / "_headers")
    return written


class ExportError(Exception):
    """A target the export will not write into (it would mix old files with new ones)."""


def publish(app, target):
    """Export the guide so that TARGET never serves a mix of two versions; return the files.

    An empty (or new) folder is written in place. Otherwise TARGET is a symlink: the export is
    written whole into a new folder beside it (TARGET.<time>), then the link is swapped to it in
    one rename, which readers see as a single step; the folder it replaces is kept for a
    rollback, older ones are deleted. A folder that already holds files is refused: writing
    into it would leave stale files and serve a half-written tree meanwhile.
    """
    target = Path(target)
    if target.is_dir() and not target.is_symlink():
        if any(target.iterdir()):
            raise ExportError(
                f"{target} is a folder that holds files: export to a path that does not exist "
                "yet (it becomes a link to the new tree, swapped at once on each export), or "
                "to an empty folder")
        return export_site(app, target)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    folder = target.with_name(f"{target.name}.{stamp}")
    files = export_site(app, folder)
    previous = target.resolve() if target.is_symlink() else None
    link = target.with_name(f".{target.name}.swap")
    link.unlink(missing_ok=True)
    link.symlink_to(folder.name)  # relative: the pair can move together
    os.replace(link, target)
    for old in target.parent.glob(f"{target.name}.*"):
        if old.is_dir() and not old.is_symlink() and old not in (folder, previous):
            shutil.rmtree(old)
    return files
