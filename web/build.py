"""Build everything the guide serves, once, from the app's settings: one pipeline, one result.

The order is the order of dependence, and `build()` reads top to bottom in it:

    Guide (the Markdown, rendered) -> static files (hashed, with twins) -> the single file
    (its size is printed on a page) -> pages and offline pages -> manifest -> precache entries
    -> pack -> sw.js -> search -> robots.txt and sitemap

Every step takes what the steps before it made, in memory: nothing is requested from the app
or read back from disk. The result is one frozen `Build`; views, commands and the export read it
through `get_build()`, as flaskr's views reach the database through `get_db()`.
"""

from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from . import bundle, i18n, offline, seo, shared, site
from .compression import CachedCompressor
from .config import LANGUAGES, PAGES
from .content import Guide, load_guide
from .pack import build_pack
from .responses import Body
from .search import Search
from .security import headers_for
from .static_files import URL_PREFIX, StaticFiles, build_static

#: The key of the one object the guide keeps on the app (app.extensions).
EXTENSION = "guide"


@dataclass(frozen=True)
class Pack:
    """The pack as the worker fetches it: its hashed URL and its size on the wire."""

    url: str
    size: int

    @property
    def link(self):
        """Return the Link header that asks a browser to prefetch the pack."""
        return f"<{self.url}>; rel=prefetch"


@dataclass(frozen=True)
class Build:
    """Everything the guide serves, built once at start-up."""

    origin: str  # SITE_URL as a bare origin, "" when unset (see seo.py)
    guide: Guide
    static: StaticFiles
    bundle: Body  # the single-file guide
    bundle_recipe: dict  # how share.js makes the same file from the saved pages
    site: dict  # path -> Body: every page and offline page
    manifest: Body
    precache: tuple  # {url, revision, size[, pack]} for every URL the worker saves
    pack: Pack
    service_worker: Body
    search: Search
    robots: Body
    sitemap: Body  # None without SITE_URL: a sitemap's URLs must be absolute


def build(app):
    """Build the guide for an app whose settings and catalogs are in place."""
    config = app.config
    compress = CachedCompressor(instance_dir(app, "CACHE_DIR", "cache"))
    origin = seo.site_origin(config["SITE_URL"])
    guide = load_guide(config["CONTENT_DIR"], tuple(LANGUAGES), PAGES,
                       badges=i18n.confidence_badges(app))
    static = build_static(config["STATIC_SOURCE_DIR"],
                          instance_dir(app, "STATIC_BUILD_DIR", "static"),
                          fill=merged(i18n.page_script_fill(app),
                                      shared.script_fill(config["LANGUAGE_COOKIE_MAX_AGE"])))
    single, recipe = bundle.build_bundle(app, guide, static)
    share = site.ShareLink(bundle.BUNDLE_URL, single, recipe)
    pages = {path: body.compressed(compress)
             for path, body in site.build_site(app, guide, static, origin, share).items()}
    manifest = offline.build_manifest(static).compressed(compress)
    served = offline.served_bodies({**pages, offline.MANIFEST_URL: manifest}, static)
    entries, packed = offline.precache_entries(
        served, offline.precache_urls(pages, static), loaded=site.page_asset_urls(static))
    static, pack_url = static.added(offline.PACK_NAME, build_pack(packed))
    pack = Pack(pack_url, static.files[pack_url].wire_size)
    worker = offline.build_service_worker(
        config["SERVICE_WORKER_SOURCE"], worker_constants(config, guide, entries, pack))
    sitemap = seo.build_sitemap(origin, guide) if origin else None
    return Build(
        origin=origin, guide=guide, static=static, bundle=single.compressed(compress),
        bundle_recipe=recipe, site=pages, manifest=manifest, precache=tuple(entries), pack=pack,
        service_worker=worker.compressed(compress), search=Search(pages, guide),
        robots=seo.build_robots(origin).compressed(compress),
        sitemap=sitemap and sitemap.compressed(compress),
    )


def merged(*fills):
    """Return the generated lines of several fills ({file: {placeholder: line}}) as one."""
    out = {}
    for fill in fills:
        for name, lines in fill.items():
            out.setdefault(name, {}).update(lines)
    return out


def instance_dir(app, setting, default):
    """Return the folder a setting names, or <instance_path>/<default> when it names none."""
    return Path(app.config[setting] or Path(app.instance_path) / default)


def worker_constants(config, guide, entries, pack):
    """Return the constants generated at the top of sw.js, {name: value}."""
    return {
        "PRECACHE": entries,
        "VERSION": offline.version_of(entries),
        "PACK": {"url": pack.url, "size": pack.size},
        "OVERHEAD": offline.REQUEST_OVERHEAD,
        "STATIC_PREFIX": URL_PREFIX,
        **shared.constants_for("sw.js", config["LANGUAGE_COOKIE_MAX_AGE"]),
        "SLUGS": list(guide.slugs),  # reading order, for search results in Flask's order
        # The headers copied from the pack's response onto each entry it holds (as the app
        # sends them on every response; HSTS over HTTPS when on); fetch() gives lower case.
        "SECURITY": [name.lower() for name, _ in headers_for(https=True, hsts_max_age=1)],
    }


def build_of(app):
    """Return an app's Build."""
    return app.extensions[EXTENSION]


def get_build():
    """Return the current app's Build (inside a request or app context)."""
    return build_of(current_app)
