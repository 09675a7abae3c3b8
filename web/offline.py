"""What the guide needs to work offline: the web app manifest, the precache list, the pack, sw.js.

The precache list is generated, never kept by hand: every URL the guide serves (pages in every
language, offline pages, static files, manifest), each with the hash of the bytes it serves and
the size it takes on the wire. The pack (web/pack.py) is made from the same list: every entry
except the few files each page loads itself (its stylesheet, script and icon), which the worker
takes from the HTTP cache instead of downloading them twice. sw.js is the modules of
service_worker/ joined in SW_MODULES order, after a line of generated constants (the list, the
pack, a VERSION derived from the list...), so any content change makes a new sw.js and the
browser updates just the entries whose revision moved.
"""

import hashlib
import json
from dataclasses import dataclass

from .minify import minify
from .responses import Body
from .shared import constants_line

MANIFEST_URL = "/manifest.webmanifest"
SW_URL = "/sw.js"
# 28 bits: a revision only tells versions of one URL apart and catches a damaged body (a
# changed page keeping its revision: 1 in 268 million per change). Each hex character costs
# every reader about 33 incompressible bytes of sw.js, whose budget is 5.5 KB.
REVISION_LENGTH = 7
#: The name of the pack among the static files (served hashed: /static/guide.<hash>.pack).
PACK_NAME = "guide.pack"
#: service_worker/ modules, in the order they are joined into sw.js. Each may use what the
#: generated constants and the modules before it define; events.js, which adds the event
#: listeners, comes last. A new module goes before it (and may add to ROUTES, see core.js).
SW_MODULES = ("core.js", "save.js", "search.js", "serve.js", "outbox.js", "events.js")
#: What one more request costs besides its body, in bytes: about 1.1 KB of response headers
#: (the security headers alone are 0.9 KB) and 0.4 KB of request headers. The worker's cost
#: rule: fetch the missing entries one by one while the sum of (size + REQUEST_OVERHEAD) is
#: below the pack's size + REQUEST_OVERHEAD, else fetch the pack.
REQUEST_OVERHEAD = 1_500
#: Static files the worker does not save: the share cards are for chat apps' link previews (no
#: page shows them), and would add their bytes to every reader's first save.
NOT_PRECACHED = ("cards/",)


def revision(data):
    """Return the revision of a URL: a hash of exactly the bytes it serves."""
    return hashlib.sha256(data).hexdigest()[:REVISION_LENGTH]


def build_manifest(static):
    """Return the web app manifest as a Body."""
    manifest = {
        "id": "/",
        "name": "Cuba mobile data guide · 古巴手机流量指南 · Datos móviles en Cuba",
        "short_name": "Cuba data",
        "description": "Offline guide to mobile data in Cuba, in Chinese, Spanish and English.",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": "#1f4e8c",
        "background_color": "#ffffff",
        "icons": [
            {"src": static.url("icons/icon-192.png"), "sizes": "192x192", "type": "image/png",
             "purpose": "any"},
            {"src": static.url("icons/icon-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "any"},
            {"src": static.url("icons/icon-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "maskable"},
        ],
    }
    data = json.dumps(manifest, ensure_ascii=False, separators=(",", ":")).encode()
    return Body(data, "application/manifest+json")


@dataclass(frozen=True)
class Served:
    """What the app sends for one URL: its bytes, its Content-Type and its size on the wire."""

    data: bytes
    type: str
    wire_size: int


def served_bodies(bodies, static):
    """Return {url: Served} for the app's own bodies ({url: Body}) and the static files."""
    served = {url: Served(body.data, body.content_type, len(body.encoded("br")))
              for url, body in bodies.items()}
    served.update({url: Served(f.data, f.type, f.wire_size) for url, f in static.files.items()})
    return served


def precache_urls(site, static, made=()):
    """Return every URL the guide must hold offline, sorted: `made` adds static files the build
    drew (the QR code), which are not source files."""
    urls = [url for name, url in static.urls.items() if not name.startswith(NOT_PRECACHED)]
    return sorted([*site, *urls, *made, MANIFEST_URL])


def precache_entries(served, urls, loaded):
    """Return ([{url, revision, size, pack}], pack entries) for the URLs, in their order.

    `size` is the body's size on the wire (brotli where the app serves it); `pack` marks the
    entries the pack holds: all but those every page loads by itself (`loaded`), which the
    worker takes from the HTTP cache instead.
    """
    entries, packed = [], []
    for url in urls:
        body = served[url]
        entry = {"url": url, "revision": revision(body.data), "size": body.wire_size}
        if url not in loaded:
            entry["pack"] = 1
            packed.append({"url": url, "revision": entry["revision"], "type": body.type,
                           "data": body.data})
        entries.append(entry)
    return entries, packed


def version_of(entries):
    """Return the worker's VERSION: a hash of every (url, revision) it precaches."""
    joined = "\n".join(f"{e['url']} {e['revision']}" for e in entries)
    return revision(joined.encode())


def build_service_worker(source_dir, constants):
    """Return sw.js: the generated constants, then the modules of source_dir in SW_MODULES order."""
    modules = [(source_dir / name).read_text(encoding="utf-8") for name in SW_MODULES]
    worker = "'use strict';\n" + constants_line(constants) + "\n" + "".join(modules)
    return Body(minify(SW_URL, worker.encode()), "text/javascript")
