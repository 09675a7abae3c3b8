"""Fixed bodies served with strong ETags, 304s and pre-compressed encodings.

A page's bytes never change while the app runs, so its hash, its ETag, its br/gzip bodies and
even its header lists are computed once; a request only picks an encoding and compares an
ETag, whatever the size of the page.
"""

import functools
import hashlib
from dataclasses import dataclass, field

from flask import Response, request
from werkzeug.http import parse_accept_header, parse_etags

from .compression import ENCODINGS, compress

REVALIDATE = "no-cache"  # may be stored, but must be revalidated (cheap: a 304)


@dataclass
class Body:
    """Bytes to serve as they are, with their type, caching policy and encoded twins."""

    data: bytes
    mimetype: str
    cache_control: str = REVALIDATE
    download: str = None  # a file name: browsers save the body as that file instead of showing it
    _encoded: dict = field(default_factory=dict, repr=False)
    _headers: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        self.digest = hashlib.sha256(self.data).hexdigest()

    def encoded(self, encoding):
        """Return the body in an encoding ('identity', 'br', 'gzip'), compressing it once."""
        if encoding == "identity":
            return self.data
        if encoding not in self._encoded:
            self._encoded[encoding] = compress(self.data, encoding)
        return self._encoded[encoding]

    def etag(self, encoding):
        """Return the strong ETag (unquoted) of one encoding: each encoding is its own version."""
        suffix = "" if encoding == "identity" else f"-{encoding}"
        return f"{self.digest[:32]}{suffix}"

    def headers(self, encoding):
        """Return the response headers of one encoding (the same for its 200 and its 304)."""
        if encoding not in self._headers:
            content_type = self.mimetype
            if content_type.startswith("text/") or content_type.endswith("json"):
                content_type += "; charset=utf-8"
            headers = [
                ("Content-Type", content_type),
                ("Cache-Control", self.cache_control),
                ("Vary", "Accept-Encoding"),
                ("ETag", f'"{self.etag(encoding)}"'),
            ]
            if encoding != "identity":
                headers.append(("Content-Encoding", encoding))
            if self.download:
                headers.append(("Content-Disposition", f'attachment; filename="{self.download}"'))
            self._headers[encoding] = headers
        return self._headers[encoding]


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
