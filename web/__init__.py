"""The offline Cuba mobile data guide: a Flask app that serves trilingual Markdown."""

from pathlib import Path

from flask import Flask

from . import build, cli, i18n, security, static_files, views
from .config import PATH_SETTINGS, DefaultConfig


def create_app(test_config=None):
    """Create the app: build the whole guide once (web/build.py), then serve it."""
    app = Flask(__name__, static_folder=None)
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

    built = app.extensions[build.EXTENSION] = build.build(app)

    views.init_app(app)
    cli.init_app(app)
    static_files.init_app(app, built.static)
    # Last, so that it wraps everything else (whitenoise too): no response escapes it.
    security.init_app(app)
    return app
