"""Fixed bodies served with strong ETags, 304s and pre-compressed encodings.

A page's bytes never change while the app runs, so its hash, its ETag and its br/gzip bodies
are computed once; a request then only picks an encoding and compares an ETag, whatever the
size of the page.
"""

import hashlib
from dataclasses import dataclass, field

from flask import Response, request

from .compression import ENCODINGS, compress

REVALIDATE = "no-cache"  # may be stored, but must be revalidated (cheap: a 304)


@dataclass
class Body:
    """Bytes to serve as they are, with their type, caching policy and encoded twins."""

    data: bytes
    mimetype: str
    cache_control: str = REVALIDATE
    _encoded: dict = field(default_factory=dict, repr=False)

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


def choose_encoding(accept_encoding):
    """Return the best encoding the client accepts: 'br', then 'gzip', else 'identity'."""
    for encoding in ENCODINGS:
        if accept_encoding.quality(encoding) > 0:
            return encoding
    return "identity"


def serve(body, status=200, headers=None):
    """Return a Response for body, or a 304 when the client already has this version."""
    encoding = choose_encoding(request.accept_encodings)
    etag = body.etag(encoding)
    response = Response(status=status, mimetype=body.mimetype, headers=headers)
    response.headers["Cache-Control"] = body.cache_control
    response.vary.add("Accept-Encoding")
    if status == 200:
        response.set_etag(etag)
        # If-None-Match uses the weak comparison (RFC 9110 13.1.2).
        if request.if_none_match.contains_weak(etag):
            response.status_code = 304
            return response
    data = body.encoded(encoding)
    if encoding != "identity":
        response.headers["Content-Encoding"] = encoding
    response.set_data(data)
    return response
