"""Encoded bodies, computed once: brotli (quality 11) and gzip, for pages and static files."""

import gzip

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
