"""Encoded bodies, computed once: brotli (quality 11) and gzip, for pages and static files."""

import gzip
import hashlib
import os
import tempfile
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


def twins(name, data, encode=compress):
    """Return {twin file name: bytes} for a file, or {} if its format is compressed already;
    encode(data, encoding) makes each (a CachedCompressor reads it back when it can)."""
    if Path(name).suffix in NO_TWINS:
        return {}
    return {name + suffix: encode(data, encoding) for encoding, suffix in TWIN_SUFFIXES.items()}


class CachedCompressor:
    """compress(), with each result kept on disk under the hash of its input.

    Brotli at quality 11 is most of a build's time; every gunicorn worker, every test app and
    every export compresses the same bodies and static files, so all but the first read them
    back instead. The key is the hash of
    the bytes, so a stale entry cannot exist, and writes are atomic (write aside, rename), so
    workers building at once never read half a file.
    """

    def __init__(self, folder):
        self.folder = Path(folder)

    def __call__(self, data, encoding):
        """Return data compressed with the named encoding, from the cache when it is there."""
        path = self.folder / f"{hashlib.sha256(data).hexdigest()}.{encoding}"
        try:
            return path.read_bytes()
        except FileNotFoundError:
            pass
        encoded = compress(data, encoding)
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
        with os.fdopen(fd, "wb") as out:
            out.write(encoded)
        os.replace(tmp, path)
        return encoded
