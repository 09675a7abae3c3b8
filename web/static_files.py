"""Static files: hashed copies with .br/.gz twins, built once at startup, served by whitenoise.

Each file in web/static/ is written to the build folder as name.<hash>.ext (scripts and
stylesheets minified), so its URL changes
whenever its bytes do and can be cached for a year as immutable. whitenoise serves the twins
to clients that accept them (it looks for path + '.br' / '.gz' beside each file).
"""

import hashlib
import os
import re
import tempfile
from pathlib import Path

from whitenoise import WhiteNoise

from .compression import twins
from .minify import minify

HASH_LENGTH = 10
# Matches the names build_static writes, so whitenoise marks exactly those immutable.
HASHED_NAME = re.compile(rf"\.[0-9a-f]{{{HASH_LENGTH}}}\.\w+$")
URL_PREFIX = "/static/"


def content_hash(data):
    """Return the short hex digest that names a file's version."""
    return hashlib.sha256(data).hexdigest()[:HASH_LENGTH]


def hashed_name(name, data):
    """Return name with the content hash before its extension: app.css -> app.<hash>.css."""
    stem, dot, ext = name.rpartition(".")
    return f"{stem}.{content_hash(data)}.{ext}" if dot else f"{name}.{content_hash(data)}"


def _write_once(path, data):
    """Write data to path atomically unless it is already there (names are content hashes)."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    # Several gunicorn workers may build at once: write aside, then rename into place.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(tmp, path)


def write_static(build_dir, name, data):
    """Write one file under its hashed name, with its twins, into build_dir; return its URL."""
    target = hashed_name(name, data)
    _write_once(build_dir / target, data)
    for twin, encoded in twins(target, data).items():
        _write_once(build_dir / twin, encoded)
    return URL_PREFIX + target


def filled(name, data, fill):
    """Return a file's bytes with its generated lines filled in ({name: {placeholder: line}})."""
    for placeholder, line in fill.get(name, {}).items():
        if data.count(placeholder.encode()) != 1:
            raise RuntimeError(f"{name}: must contain the line {placeholder!r} once")
        data = data.replace(placeholder.encode(), line.encode())
    return data


def build_static(source_dir, build_dir, fill=None):
    """Copy every static file to build_dir under its hashed name; return {name: url}.

    `fill` ({name: {placeholder: line}}) fills generated lines into a file first.
    """
    source_dir, build_dir = Path(source_dir), Path(build_dir)
    urls = {}
    for path in sorted(p for p in source_dir.rglob("*") if p.is_file()):
        name = path.relative_to(source_dir).as_posix()
        data = filled(name, path.read_bytes(), fill or {})
        urls[name] = write_static(build_dir, name, minify(name, data))
    return urls


def init_app(app, fill=None):
    """Build the static files (with `fill`, see build_static); wrap the app with whitenoise."""
    build_dir = app.config["STATIC_BUILD_DIR"] or Path(app.instance_path) / "static"
    urls = build_static(app.config["STATIC_SOURCE_DIR"], build_dir, fill)
    app.extensions["static_urls"] = urls
    app.extensions["static_build_dir"] = Path(build_dir)

    def static_url(name):
        """Return the hashed URL of a static file; a missing name fails the render."""
        return urls[name]

    app.jinja_env.globals["static_url"] = static_url
    # Unhashed names are not served at all, so nothing can be cached for a year by mistake.
    app.wsgi_app = app.extensions["whitenoise"] = WhiteNoise(
        app.wsgi_app,
        root=build_dir,
        prefix=URL_PREFIX,
        max_age=60,
        immutable_file_test=lambda path, url: bool(HASHED_NAME.search(url)),
    )


def add_static_file(app, name, data):
    """Serve bytes made at startup as one more hashed static file (twins too); return its URL."""
    build_dir = app.extensions["static_build_dir"]
    url = write_static(build_dir, name, data)
    # whitenoise lists its files when created; this one came later (its twins are found too).
    path = build_dir / url.removeprefix(URL_PREFIX)
    app.extensions["whitenoise"].add_file_to_dictionary(url, str(path))
    return url
