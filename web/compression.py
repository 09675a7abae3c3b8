"""Encoded bodies, computed once: brotli (quality 11) and gzip, for pages and static files."""

import gzip
from pathlib import Path

import brotli

#: The encodings the guide serves, best first, with the codec for each.
ENCODINGS = {
    "br": lambda data: brotli.compress(data, quality=11),
    # mtime=0 keeps the bytes, and so the ETag and the export, identical from run to run.
    "gzip": lambda data: gzip.compress(data, compresslevel=9, mtime=0),
}


def compress(data, encoding):
    """Return data compressed with the named encoding ('br' or 'gzip')."""
    return ENCODINGS[encoding](data)


#: The file name suffix of each encoding's pre-compressed twin, as whitenoise and nginx look for.
TWIN_SUFFIXES = {"br": ".br", "gzip": ".gz"}
#: Already-compressed formats gain nothing from a twin.
NO_TWINS = {".png", ".jpg", ".webp", ".woff2"}


def twins(name, data):
    """Return {twin file name: bytes} for a file, or {} if its format is compressed already."""
    if Path(name).suffix in NO_TWINS:
        return {}
    return {name + suffix: compress(data, encoding) for encoding, suffix in TWIN_SUFFIXES.items()}
