"""The offline Cuba mobile data guide: a Flask app that serves trilingual Markdown."""

from pathlib import Path

from flask import Flask
from flask_babel import format_date

from . import bundle, cli, i18n, offline, security, seo, static_files, views
from .config import LANGUAGES, PAGES, PATH_SETTINGS, DefaultConfig
from .content import load_guide
from .search import Search
from .site import build_site


def create_app(test_config=None):
    """Create the app: load and render the whole guide once, then serve it."""
    app = Flask(__name__, static_folder=None)
    app.config.from_object(DefaultConfig)
    # Templates render once at startup; trimming their whitespace saves bytes on every page.
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True
    # GUIDE_CONTENT_DIR=... and the like override the defaults from the environment.
    app.config.from_prefixed_env("GUIDE")
    if test_config:
        app.config.update(test_config)
    for key in PATH_SETTINGS:  # the environment gives strings
        if app.config[key] is not None:
            app.config[key] = Path(app.config[key])
    i18n.init_app(app)
    # app.js gets the status line's strings in every language from the catalogs.
    static_files.init_app(app, fill=i18n.page_script_fill(app))
    guide = load_guide(app.config["CONTENT_DIR"], tuple(LANGUAGES), PAGES,
                       badges=i18n.confidence_badges(app))
    app.extensions["guide"] = guide
    app.jinja_env.globals["format_date"] = format_date
    bundle.init_app(app, guide)  # before the site: the offline-help page gives its size
    seo.init_app(app, guide)  # before the site too: it checks SITE_URL, which pages use
    app.extensions["site"] = site = build_site(app, guide)
    app.extensions["search"] = Search(site, guide)
    views.init_app(app)
    cli.init_app(app)
    # After the routes: the precache list and the pack are read through the app itself.
    offline.init_app(app, site, slugs=guide.slugs)
    # Last, so that it wraps everything else (whitenoise too): no response escapes it.
    security.init_app(app)
    return app
