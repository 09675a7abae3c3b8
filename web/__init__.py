"""The offline Cuba mobile data guide: a Flask app that serves trilingual Markdown.

create_app builds the whole guide once (build_guide: the pipeline, top to bottom in the order
of dependence; each step takes what the steps before it made, in memory, and nothing is
requested from the app), keeps the one frozen Build on the app, then registers what serves it.
"""

import os
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import (
    bundle,
    cli,
    i18n,
    offline,
    qr,
    reports,
    reports_cli,
    security,
    seo,
    shared,
    site,
    static_files,
    views,
)
from .build import EXTENSION, Build, Pack, instance_dir, merged, worker_constants
from .compression import CachedCompressor
from .config import INSTANCE_DIR, LANGUAGES, PAGES, PATH_SETTINGS, DefaultConfig
from .content import load_guide
from .pack import build_pack
from .search import Search
from .static_files import build_static


def create_app(test_config=None):
    """Create the app: build the whole guide once, then serve it."""
    app = Flask(__name__, static_folder=None,
                instance_path=os.environ.get("GUIDE_INSTANCE_PATH") or str(INSTANCE_DIR))
    app.config.from_object(DefaultConfig)
    # GUIDE_CONTENT_DIR=... and the like override the defaults from the environment.
    app.config.from_prefixed_env("GUIDE")
    if test_config:
        app.config.update(test_config)
    for key in PATH_SETTINGS:  # the environment gives strings
        if app.config[key] is not None:
            app.config[key] = Path(app.config[key])
    # Templates render once, at build time; trimming their whitespace saves bytes on every page.
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True
    i18n.init_app(app)  # the catalogs: the build renders in every language

    built = app.extensions[EXTENSION] = build_guide(app)

    views.init_app(app)
    reports.init_app(app)
    cli.init_app(app)
    reports_cli.init_app(app)
    static_files.init_app(app, built.static)
    if app.config["PROXY_HOPS"]:  # the client's address, as the proxy saw it
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=int(app.config["PROXY_HOPS"]), x_proto=0,
                                x_host=0, x_port=0, x_prefix=0)
    # Last, so that it wraps everything else (whitenoise too): no response escapes it.
    security.init_app(app)
    return app


def build_guide(app, reports=""):
    """Build everything the guide serves, for an app whose settings and catalogs are in place.

    reports: where the pages send reader reports: "" to this app (the app's own build), the
    origin of a running app (a static export with REPORTS_ORIGIN), or None for nowhere (an
    export without it: its pages offer no report)."""
    config = app.config
    compress = CachedCompressor(instance_dir(app, "CACHE_DIR", "cache"))
    origin = seo.site_origin(config["SITE_URL"])
    # The Markdown, rendered, then the static files (hashed; the scripts get their constants).
    guide = load_guide(config["CONTENT_DIR"], tuple(LANGUAGES), PAGES,
                       badges=i18n.confidence_badges(app))
    static = build_static(config["STATIC_SOURCE_DIR"],
                          instance_dir(app, "STATIC_BUILD_DIR", "static"), compress,
                          fill=merged(i18n.page_script_fill(app),
                                      shared.script_fill(config["LANGUAGE_COOKIE_MAX_AGE"])))
    # The single file before the pages: the offline-help page prints its size.
    single, recipe = bundle.build_bundle(app, guide, static)
    # The address as a QR code (a static file: precached), to pass the guide on in person.
    qr_url = None
    if origin:
        static, qr_url = static.added(qr.QR_NAME, qr.qr_svg(origin + "/"), compress)
    share = site.ShareLink(bundle.BUNDLE_URL, single, recipe, qr_url, origin and origin + "/")
    pages = {path: body.compressed(compress)
             for path, body in site.build_site(app, guide, static, origin, share, reports).items()}
    manifest = offline.build_manifest(static).compressed(compress)
    # What the worker saves, the pack of it, then the worker itself, which names both.
    served = offline.served_bodies({**pages, offline.MANIFEST_URL: manifest}, static)
    entries, packed = offline.precache_entries(
        served, offline.precache_urls(pages, static, made=[qr_url] if qr_url else []),
        loaded=site.page_asset_urls(static))
    static, pack_url = static.added(offline.PACK_NAME, build_pack(packed), compress)
    pack = Pack(pack_url, static.files[pack_url].wire_size)
    worker = offline.build_service_worker(
        config["SERVICE_WORKER_SOURCE"], worker_constants(config, guide, entries, pack, reports))
    sitemap = seo.build_sitemap(origin, guide) if origin else None
    return Build(
        origin=origin, guide=guide, static=static, bundle=single.compressed(compress),
        bundle_recipe=recipe, site=pages, manifest=manifest, precache=tuple(entries), pack=pack,
        service_worker=worker.compressed(compress), search=Search(pages, guide),
        robots=seo.build_robots(origin).compressed(compress),
        sitemap=sitemap and sitemap.compressed(compress), reports=reports,
    )
