"""Minified scripts and stylesheets: comments and spaces explain the source, readers need not
pay for them. rjsmin and rcssmin only drop what the languages ignore (they rename nothing), so
the served file still reads as its source does."""

import rcssmin
import rjsmin

MINIFIERS = {".js": rjsmin.jsmin, ".css": rcssmin.cssmin}


def minify(name, data):
    """Return a file's bytes minified if it is a script or a stylesheet, else unchanged."""
    suffix = name[name.rfind("."):]
    if suffix not in MINIFIERS:
        return data
    return MINIFIERS[suffix](data.decode("utf-8")).encode("utf-8")
