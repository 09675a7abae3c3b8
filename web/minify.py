"""Minified scripts and stylesheets: comments and spaces explain the source, readers need not
pay for them.

Scripts go through tdewolff/minify, which also renames local names: sw.js is the one file every
reader downloads before anything is saved, and renaming takes 12 % off it after brotli (5.76 ->
5.08 KB: the room the reports outbox needed under the 5.5 KB budget). Global names (the
generated constants, the worker's functions) keep their names, so an error in a browser's console
still names the function it came from. rcssmin only drops what CSS ignores.
"""

import minify as tdewolff
import rcssmin

#: The newest JavaScript the minifier may write: it never rewrites the scripts into syntax our
#: readers' old browsers lack (left free, it writes ES2019's `catch {}`, which Chrome before 66
#: and Samsung Internet 8 cannot parse).
JS_VERSION = 2017
tdewolff.config({"js-version": JS_VERSION})

MINIFIERS = {
    ".js": lambda text: tdewolff.string("application/javascript", text),
    ".css": rcssmin.cssmin,
}


def minify(name, data):
    """Return a file's bytes minified if it is a script or a stylesheet, else unchanged."""
    suffix = name[name.rfind("."):]
    if suffix not in MINIFIERS:
        return data
    return MINIFIERS[suffix](data.decode("utf-8")).encode("utf-8")
