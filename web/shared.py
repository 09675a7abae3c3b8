"""Facts the scripts share with the server, generated into them as JavaScript constants.

The languages, the default one, the language cookie, the URL layout and the search limits are
defined once, in Python. sw.js gets them in its line of generated constants (web/offline.py);
app.js and share.js get the same line in place of their `const SHARED = {};` (a test fails if
a script spells one of these facts itself).
"""

import json

from .config import DEFAULT_LANGUAGE, LANGUAGE_COOKIE, LANGUAGES
from .search import BEFORE, MAX_QUERY, MAX_RESULTS, MAX_TERMS, SNIPPET
from .urls import HOME, LAYOUT

#: The line of app.js and share.js that script_fill() replaces.
PLACEHOLDER = "const SHARED = {};"


def shared_constants(cookie_max_age):
    """Return {JavaScript name: value} of the facts every script may use."""
    return {
        "LANGS": list(LANGUAGES),
        "DEFAULT_LANG": DEFAULT_LANGUAGE,
        "HOME": HOME,
        "URLS": LAYOUT,
        "COOKIE": {"name": LANGUAGE_COOKIE, "maxAge": cookie_max_age},
        # The cache where the page keeps reports until the worker has sent them (outside the
        # worker's PREFIX: an update deletes older versions' caches, never this one).
        "OUTBOX": "reports-outbox",
        # Search limits, under web/search.py's names (the two matchers are one definition).
        "MAX_QUERY": MAX_QUERY, "MAX_TERMS": MAX_TERMS, "MAX_RESULTS": MAX_RESULTS,
        "BEFORE": BEFORE, "SNIPPET": SNIPPET,
    }


def js(value):
    """Return a value as compact JavaScript (JSON)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def constants_line(constants):
    """Return one `const A = …, B = …;` line declaring each constant."""
    return "const " + ", ".join(f"{name} = {js(value)}" for name, value in constants.items()) + ";"


#: The shared facts each script uses: each gets those, and no byte more.
USED_BY = {
    "app.js": ("LANGS", "DEFAULT_LANG", "HOME", "COOKIE", "URLS", "OUTBOX"),
    "share.js": ("LANGS", "HOME", "URLS"),
    "sw.js": ("LANGS", "DEFAULT_LANG", "HOME", "URLS", "OUTBOX", "MAX_QUERY", "MAX_TERMS",
              "MAX_RESULTS", "BEFORE", "SNIPPET"),
}


def constants_for(script, cookie_max_age):
    """Return {name: value} of the shared facts one script uses."""
    every = shared_constants(cookie_max_age)
    return {name: every[name] for name in USED_BY[script]}


def script_fill(cookie_max_age):
    """Return what build_static fills into the page scripts: {file: {placeholder: line}}."""
    return {name: {PLACEHOLDER: constants_line(constants_for(name, cookie_max_age))}
            for name in USED_BY if name != "sw.js"}
