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
from dataclasses import dataclass
from pathlib import Path
from wsgiref.headers import Headers

from whitenoise import WhiteNoise

from .compression import TWIN_SUFFIXES, twins
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


def filled(name, data, fill):
    """Return a file's bytes with its generated lines filled in ({name: {placeholder: line}})."""
    for placeholder, line in fill.get(name, {}).items():
        if data.count(placeholder.encode()) != 1:
            raise RuntimeError(f"{name}: must contain the line {placeholder!r} once")
        data = data.replace(placeholder.encode(), line.encode())
    return data


def served_type(name):
    """Return the Content-Type whitenoise sends for a file name: the precache list and the pack
    record exactly the type whitenoise will send."""
    return static_headers(URL_PREFIX + name)["Content-Type"]


@dataclass(frozen=True)
class StaticFile:
    """One built static file: its bytes, the type whitenoise sends, and its size on the wire."""

    data: bytes
    type: str
    wire_size: int  # what a browser that accepts br receives (the .br twin when there is one)


@dataclass(frozen=True)
class StaticFiles:
    """The built static files: where they are, each source name's URL, and each URL's file."""

    build_dir: Path
    urls: dict  # source file name -> hashed URL
    files: dict  # hashed URL -> StaticFile, for the source files and those made at build time

    def url(self, name):
        """Return the hashed URL of a static file; a missing name is an error."""
        return self.urls[name]

    def data(self, name):
        """Return the bytes served for a static file (minified, filled in)."""
        return self.files[self.urls[name]].data

    def added(self, name, data, encode):
        """Write bytes made at build time as one more static file (served, but not a source
        file: `urls` does not name it); return (the new StaticFiles, its URL)."""
        url, built = write_static(self.build_dir, name, data, encode)
        return StaticFiles(self.build_dir, self.urls, {**self.files, url: built}), url


def write_static(build_dir, name, data, encode):
    """Write one file under its hashed name, with its twins (made by encode(data, encoding)),
    into build_dir; return (URL, StaticFile)."""
    target = hashed_name(name, data)
    _write_once(build_dir / target, data)
    encoded = twins(target, data, encode)
    for twin, body in encoded.items():
        _write_once(build_dir / twin, body)
    wire = len(encoded.get(target + TWIN_SUFFIXES["br"], data))
    return URL_PREFIX + target, StaticFile(data, served_type(target), wire)


def build_static(source_dir, build_dir, encode, fill=None):
    """Copy every static file to build_dir under its hashed name; return the StaticFiles.

    encode(data, encoding) makes the twins; `fill` ({name: {placeholder: line}}) fills
    generated lines into a file first.
    """
    source_dir, build_dir = Path(source_dir), Path(build_dir)
    urls, files = {}, {}
    for path in sorted(p for p in source_dir.rglob("*") if p.is_file()):
        name = path.relative_to(source_dir).as_posix()
        data = filled(name, path.read_bytes(), fill or {})
        urls[name], files[urls[name]] = write_static(build_dir, name, minify(name, data), encode)
    return StaticFiles(build_dir, urls, files)


#: How whitenoise serves the built files; one definition for the app and the export's headers.
WHITENOISE_SETTINGS = {
    "prefix": URL_PREFIX,
    "max_age": 60,
    # Hashed names are immutable for a year; unhashed names are not served at all.
    "immutable_file_test": lambda path, url: bool(HASHED_NAME.search(url)),
}


#: whitenoise as the app runs it, asked directly for its rules (media types and charset,
#: caching): no request needed, and nothing to keep in step.
_RULES = WhiteNoise(None, **WHITENOISE_SETTINGS)


def static_headers(url):
    """Return {name: value} of the headers whitenoise sends for a static file's URL."""
    headers = Headers([])
    _RULES.add_mime_headers(headers, url, url)
    _RULES.add_cache_headers(headers, url, url)
    return dict(headers.items())


def init_app(app, static):
    """Serve the built static files with whitenoise, wrapped around the app."""
    app.wsgi_app = WhiteNoise(app.wsgi_app, root=static.build_dir, **WHITENOISE_SETTINGS)
