"""What the guide needs to work offline: the web app manifest, the precache list and sw.js.

The precache list is generated, never kept by hand: every URL the guide serves (pages in every
language, offline pages, static files, manifest), each with the hash of the bytes it serves.
sw.js is service_worker/sw.js with that list and a VERSION derived from it injected, so any
content change makes a new sw.js and the browser updates just the entries whose revision moved.
"""

import hashlib
import json
import re

from .config import DEFAULT_LANGUAGE, LANGUAGES
from .responses import Body

MANIFEST_URL = "/manifest.webmanifest"
SW_URL = "/sw.js"
REVISION_LENGTH = 16
#: Static files the worker does not save: the share cards are for chat apps' link previews (no
#: page shows them), and would add their bytes to every reader's first save.
NOT_PRECACHED = ("cards/",)
# The line in service_worker/sw.js that the generated constants replace.
SW_PLACEHOLDER = ("const PRECACHE = [], VERSION = 'dev', PAGES = 0, LANGS = [],"
                  " DEFAULT_LANG = 'zh', SHARE = {};")


def revision(data):
    """Return the revision of a URL: a hash of exactly the bytes it serves."""
    return hashlib.sha256(data).hexdigest()[:REVISION_LENGTH]


def build_manifest(static_urls):
    """Return the web app manifest as a Body."""
    manifest = {
        "id": "/",
        "name": "Cuba mobile data guide · 古巴移动数据指南 · Datos móviles en Cuba",
        "short_name": "Cuba data",
        "description": "Offline guide to mobile data in Cuba, in Chinese, Spanish and English.",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": "#1f4e8c",
        "background_color": "#ffffff",
        "icons": [
            {"src": static_urls["icons/icon-192.png"], "sizes": "192x192", "type": "image/png",
             "purpose": "any"},
            {"src": static_urls["icons/icon-512.png"], "sizes": "512x512", "type": "image/png",
             "purpose": "any"},
            {"src": static_urls["icons/icon-512.png"], "sizes": "512x512", "type": "image/png",
             "purpose": "maskable"},
        ],
    }
    data = json.dumps(manifest, ensure_ascii=False, separators=(",", ":")).encode()
    return Body(data, "application/manifest+json")


def precache_entries(site, static_urls, static_build_dir, manifest):
    """Return [{url, revision}] for every URL the guide must hold offline, sorted by URL."""
    entries = {path: revision(body.data) for path, body in site.items()}
    for name, url in static_urls.items():
        if name.startswith(NOT_PRECACHED):
            continue
        # The hashed file name already is a content hash; hashing the bytes keeps one rule.
        entries[url] = revision((static_build_dir / url.removeprefix("/static/")).read_bytes())
    entries[MANIFEST_URL] = revision(manifest.data)
    return [{"url": url, "revision": rev} for url, rev in sorted(entries.items())]


def version_of(entries):
    """Return the worker's VERSION: a hash of every (url, revision) it precaches."""
    joined = "\n".join(f"{e['url']} {e['revision']}" for e in entries)
    return revision(joined.encode())


# Whole-line comments only: a `//` inside code may be part of a string or a regex.
COMMENT_LINES = re.compile(r"^[ \t]*(?:/\*.*?\*/|//[^\n]*)[ \t]*\n", re.M | re.S)


def strip_comments(source):
    """Drop a script's comment lines: they explain the source; readers need not pay for them."""
    return COMMENT_LINES.sub("", source)


def build_service_worker(source_path, entries, page_count, share):
    """Return sw.js with the precache list, its VERSION and the single-file recipe injected."""
    source = source_path.read_text(encoding="utf-8")
    if source.count(SW_PLACEHOLDER) != 1:
        raise RuntimeError(f"{source_path}: must contain the line {SW_PLACEHOLDER!r} once")
    constants = ("const PRECACHE = {}, VERSION = {}, PAGES = {}, LANGS = {}, DEFAULT_LANG = {},"
                 " SHARE = {};")
    generated = constants.format(
        json.dumps(entries, separators=(",", ":")),
        json.dumps(version_of(entries)),
        page_count,
        json.dumps(list(LANGUAGES)),
        json.dumps(DEFAULT_LANGUAGE),
        json.dumps(share, ensure_ascii=False, separators=(",", ":")),
    )
    worker = strip_comments(source.replace(SW_PLACEHOLDER, generated))
    return Body(worker.encode(), "text/javascript")


def init_app(app, site, page_count, share):
    """Build the manifest, the precache list and sw.js once; keep them on the app."""
    static_urls = app.extensions["static_urls"]
    manifest = build_manifest(static_urls)
    entries = precache_entries(site, static_urls, app.extensions["static_build_dir"], manifest)
    worker = build_service_worker(app.config["SERVICE_WORKER_SOURCE"], entries, page_count, share)
    app.extensions["precache"] = entries
    app.extensions["manifest"] = manifest
    app.extensions["service_worker"] = worker
