"""What the guide's build makes (web/__init__.py's build_guide runs the pipeline): one frozen
`Build`, kept on the app, which views, commands and the export read through `get_build()`, as
flaskr's views reach the database through `get_db()`; and the small helpers of the pipeline.
"""

from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from . import offline, shared
from .content import Guide
from .responses import Body
from .search import Search
from .security import headers_for
from .static_files import URL_PREFIX, StaticFiles
from .urls import LAYOUT

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
    reports: str = ""  # where reports go: "" this app, an app's origin, None nowhere


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


def worker_constants(config, guide, entries, pack, reports=""):
    """Return the constants generated at the top of sw.js, {name: value}."""
    return {
        "PRECACHE": entries,
        "VERSION": offline.version_of(entries),
        "PACK": {"url": pack.url, "size": pack.size},
        "OVERHEAD": offline.REQUEST_OVERHEAD,
        "STATIC_PREFIX": URL_PREFIX,
        **shared.constants_for("sw.js", config["LANGUAGE_COOKIE_MAX_AGE"]),
        # Where the worker sends the reports the page kept: this app, or the app of an export.
        "REPORTS_URL": (reports or "") + LAYOUT["reports"],
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
