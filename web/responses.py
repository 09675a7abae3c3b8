"""Fixed bodies served with strong ETags, 304s and pre-compressed encodings.

A page's bytes never change while the app runs, so its hash, its ETag, its br/gzip bodies and
even its header lists are computed once; a request only picks an encoding and compares an
ETag, whatever the size of the page.
"""

import functools
import hashlib
from dataclasses import dataclass, field, replace

from flask import Response, request
from werkzeug.http import parse_accept_header, parse_etags

from .compression import ENCODINGS

REVALIDATE = "no-cache"  # may be stored, but must be revalidated (cheap: a 304)


@dataclass(frozen=True)
class Body:
    """Bytes to serve as they are, with their type, caching policy and encoded twins.

    A Body is made at build time and compressed there (`compressed`): a request only picks an
    encoding and compares an ETag, whatever the size of the page.
    """

    data: bytes
    mimetype: str
    cache_control: str = REVALIDATE
    download: str = None  # a file name: browsers save the body as that file instead of showing it
    encodings: dict = field(default=None, repr=False, compare=False)  # {encoding: bytes}

    def __post_init__(self):
        # Frozen: the digest and each encoding's headers are computed once, here (dataclasses'
        # documented way), so a request only picks them.
        object.__setattr__(self, "digest", hashlib.sha256(self.data).hexdigest())
        object.__setattr__(self, "_headers", {encoding: self._make_headers(encoding)
                                              for encoding in ("identity", *ENCODINGS)})

    def compressed(self, compress):
        """Return this Body with its br and gzip twins, made by compress(data, encoding)."""
        return replace(self, encodings={name: compress(self.data, name) for name in ENCODINGS})

    @property
    def content_type(self):
        """Return the Content-Type header's value (text types name their charset)."""
        if self.mimetype.startswith("text/") or self.mimetype.endswith("json"):
            return self.mimetype + "; charset=utf-8"
        return self.mimetype

    def encoded(self, encoding):
        """Return the body in an encoding ('identity', 'br', 'gzip')."""
        return self.data if encoding == "identity" else self.encodings[encoding]

    def etag(self, encoding):
        """Return the strong ETag (unquoted) of one encoding: each encoding is its own version."""
        suffix = "" if encoding == "identity" else f"-{encoding}"
        return f"{self.digest[:32]}{suffix}"

    def headers(self, encoding):
        """Return the response headers of one encoding (the same for its 200 and its 304)."""
        return self._headers[encoding]

    def _make_headers(self, encoding):
        """Build the response headers of one encoding."""
        headers = [
            ("Content-Type", self.content_type),
            ("Cache-Control", self.cache_control),
            ("Vary", "Accept-Encoding"),
            ("ETag", f'"{self.etag(encoding)}"'),
        ]
        if encoding != "identity":
            headers.append(("Content-Encoding", encoding))
        if self.download:
            headers.append(("Content-Disposition", f'attachment; filename="{self.download}"'))
        return headers


@functools.lru_cache(maxsize=512)
def choose_encoding(accept_encoding):
    """Return the best encoding an Accept-Encoding value allows: br, then gzip, else identity."""
    accepted = parse_accept_header(accept_encoding)
    for encoding in ENCODINGS:
        if accepted.quality(encoding) > 0:
            return encoding
    return "identity"


def not_modified(if_none_match, etag):
    """Tell whether an If-None-Match value names this ETag (weak comparison, RFC 9110)."""
    return bool(if_none_match) and parse_etags(if_none_match).contains_weak(etag)


def serve(body, status=200):
    """Return a Response for body, or a 304 when the client already has this version."""
    encoding = choose_encoding(request.headers.get("Accept-Encoding", ""))
    headers = body.headers(encoding)
    if status == 200 and not_modified(request.headers.get("If-None-Match"), body.etag(encoding)):
        return Response(status=304, headers=headers)
    return Response(body.encoded(encoding), status=status, headers=headers)
