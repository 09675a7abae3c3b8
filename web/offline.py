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
import re

from .config import DEFAULT_LANGUAGE, LANGUAGES
from .minify import minify
from .pack import build_pack
from .responses import Body
from .security import headers_for
from .static_files import add_static_file

MANIFEST_URL = "/manifest.webmanifest"
SW_URL = "/sw.js"
# 40 bits: enough to tell versions of one URL apart and to catch a damaged body; each
# character costs bytes in sw.js and in the pack.
REVISION_LENGTH = 10
#: The name of the pack among the static files (served hashed: /static/guide.<hash>.pack).
PACK_NAME = "guide.pack"
#: service_worker/ modules, in the order they are joined into sw.js. Each may use what the
#: generated constants and the modules before it define; events.js, which adds the event
#: listeners, comes last. A new module goes before it (and may add to ROUTES, see core.js).
SW_MODULES = ("core.js", "save.js", "search.js", "serve.js", "events.js")
#: What one more request costs besides its body, in bytes: about 1.1 KB of response headers
#: (the security headers alone are 0.9 KB) and 0.4 KB of request headers. The worker's cost
#: rule: fetch the missing entries one by one while the sum of (size + REQUEST_OVERHEAD) is
#: below the pack's size + REQUEST_OVERHEAD, else fetch the pack.
REQUEST_OVERHEAD = 1_500
# What a page loads by itself: its stylesheet, its script and its icon.
PAGE_LOADS = re.compile(r'<(?:link rel="(?:stylesheet|icon)" href|script src)="([^"]+)"')
#: Static files the worker does not save: the share cards are for chat apps' link previews (no
#: page shows them), and would add their bytes to every reader's first save.
NOT_PRECACHED = ("cards/",)


def revision(data):
    """Return the revision of a URL: a hash of exactly the bytes it serves."""
    return hashlib.sha256(data).hexdigest()[:REVISION_LENGTH]


def build_manifest(static_urls):
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


def precache_urls(site, static_urls):
    """Return every URL the guide must hold offline, sorted."""
    static = [url for name, url in static_urls.items() if not name.startswith(NOT_PRECACHED)]
    return sorted([*site, *static, MANIFEST_URL])


def served(client, url):
    """Return (body, content type, bytes on the wire) of a URL, as the app serves it."""
    with client.get(url, headers={"Accept-Encoding": "identity"}) as plain:
        if plain.status_code != 200:
            raise RuntimeError(f"{url}: HTTP {plain.status_code}, cannot precache it")
        data, kind = plain.data, plain.headers["Content-Type"]
    with client.get(url, headers={"Accept-Encoding": "br, gzip"}) as wire:
        return data, kind, len(wire.data)


def page_loads(html):
    """Return the URLs a page loads by itself (stylesheet, script, icon), from its HTML."""
    return set(PAGE_LOADS.findall(html.decode()))


def precache_entries(client, urls, loaded):
    """Return ([{url, revision, size, pack}], pack entries) for the URLs, in their order.

    `size` is the body's size on the wire (brotli where the app serves it); `pack` marks the
    entries the pack holds: all but those the page loads by itself (`loaded`).
    """
    entries, packed = [], []
    for url in urls:
        data, kind, size = served(client, url)
        entry = {"url": url, "revision": revision(data), "size": size}
        if url not in loaded:
            entry["pack"] = 1
            packed.append({"url": url, "revision": entry["revision"], "type": kind, "data": data})
        entries.append(entry)
    return entries, packed


def version_of(entries):
    """Return the worker's VERSION: a hash of every (url, revision) it precaches."""
    joined = "\n".join(f"{e['url']} {e['revision']}" for e in entries)
    return revision(joined.encode())


def js(value):
    """Return a value as compact JavaScript (JSON)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def build_service_worker(source_dir, entries, pack, slugs):
    """Return sw.js: the generated constants, then the modules of source_dir in SW_MODULES order."""
    constants = {
        "PRECACHE": entries,
        "VERSION": version_of(entries),
        "PACK": pack,
        "OVERHEAD": REQUEST_OVERHEAD,
        "LANGS": list(LANGUAGES),
        "DEFAULT_LANG": DEFAULT_LANGUAGE,
        "SLUGS": list(slugs),  # reading order, for search results in the same order as Flask's
        # The headers copied from the pack's response onto each entry it holds (as the app
        # sends them on every response; HSTS over HTTPS when on); fetch() gives lower case.
        "SECURITY": [name.lower() for name, _ in headers_for(https=True, hsts_max_age=1)],
    }
    generated = "const " + ", ".join(f"{name} = {js(value)}" for name, value in constants.items())
    modules = [(source_dir / name).read_text(encoding="utf-8") for name in SW_MODULES]
    worker = "'use strict';\n" + generated + ";\n" + "".join(modules)
    return Body(minify(SW_URL, worker.encode()), "text/javascript")


def init_app(app, site, slugs):
    """Build the manifest, the precache list, the pack and sw.js once; keep them on the app.

    Call it once the routes exist: the list and the pack are read through the app itself, so
    they hold exactly the bytes and types it serves.
    """
    static_urls = app.extensions["static_urls"]
    app.extensions["manifest"] = build_manifest(static_urls)
    urls = precache_urls(site, static_urls)
    loaded = page_loads(next(body.data for body in site.values()))
    entries, packed = precache_entries(app.test_client(), urls, loaded)
    pack_url = add_static_file(app, PACK_NAME, build_pack(packed))
    pack = {"url": pack_url, "size": served(app.test_client(), pack_url)[2]}
    worker = build_service_worker(app.config["SERVICE_WORKER_SOURCE"], entries, pack, slugs)
    app.extensions["precache"] = entries
    app.extensions["pack"] = pack
    # Pages tell the browser to fetch the pack early (a low-priority prefetch into the HTTP
    # cache): on slow 2G a first save took 5.1 s waiting for sw.js, 3.8 s with it. Pages the
    # worker serves carry no such header, so a saved guide never fetches it again.
    app.extensions["pack_link"] = f"<{pack_url}>; rel=prefetch"
    app.extensions["service_worker"] = worker
