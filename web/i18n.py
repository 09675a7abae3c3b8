"""Languages: the language lives in the URL prefix; `/` negotiates it; Flask-Babel follows.

Follows Flask's URL-processors pattern: views never receive or pass the language by hand.
"""

import functools
import json
from urllib.parse import urlsplit

from flask import current_app, g, request
from flask_babel import Babel, force_locale, get_locale
from flask_babel import gettext as _

from .config import DEFAULT_LANGUAGE, LANGUAGE_COOKIE, LANGUAGES
from .urls import page_url

babel = Babel()


def valid_language(code):
    """Return code if it is one of the guide's languages, else None."""
    return code if isinstance(code, str) and code in LANGUAGES else None


def negotiate_language():
    """Pick the reader's language: the remembered cookie, then Accept-Language, then zh."""
    remembered = valid_language(request.cookies.get(LANGUAGE_COOKIE))
    if remembered:
        return remembered
    # Werkzeug parses the header leniently (junk is ignored) and matches "zh-CN" to "zh".
    best = request.accept_languages.best_match(list(LANGUAGES))
    return best or DEFAULT_LANGUAGE


def current_language():
    """Return the language of this request: the URL's if it has one, else negotiated."""
    lang = g.get("lang")
    if lang is None:
        lang = g.lang = negotiate_language()
    return lang


#: Hosts that browsers treat as secure contexts over plain http (W3C Secure Contexts, 3.2):
#: Chromium and Firefox keep Secure cookies from them, so the cookie can always be Secure there.
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1"}


@functools.lru_cache(maxsize=64)
def is_loopback(host):
    """Tell whether a Host header names this machine's loopback (cached: hosts are few)."""
    try:
        return urlsplit("//" + host).hostname in LOOPBACK_HOSTS
    except ValueError:  # a malformed Host header: not one of ours
        return False


def secure_context():
    """Tell whether the browser sees this request as a secure context: HTTPS, or loopback."""
    return request.is_secure or is_loopback(request.host)


@functools.lru_cache(maxsize=16)
def cookie_header(lang, secure, max_age):
    """Return the Set-Cookie value that remembers a language (built once per variant).

    Max-Age alone (no Expires) keeps the value the same on every request, so it is cached;
    every browser the guide supports reads Max-Age.
    """
    parts = [f"{LANGUAGE_COOKIE}={lang}", f"Max-Age={max_age}", "Path=/", "SameSite=Lax"]
    return "; ".join(parts + ["Secure"] * secure)


def remember_language(response, lang):
    """Set the language cookie on a response, unless the request already carries it.

    Not HttpOnly: the page script keeps it in step on the static export, where no server sets it.
    """
    if request.cookies.get(LANGUAGE_COOKIE) != lang:
        max_age = current_app.config["LANGUAGE_COOKIE_MAX_AGE"]
        response.headers.add("Set-Cookie", cookie_header(lang, secure_context(), max_age))
    return response


def init_app(app):
    """Attach Flask-Babel with the guide's catalogs and locale selection."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(app.config["TRANSLATIONS_DIR"]))
    missing = [
        app.config["TRANSLATIONS_DIR"] / code / "LC_MESSAGES" / "messages.mo"
        for code in LANGUAGES
        if code != "en"
    ]
    missing = [path for path in missing if not path.is_file()]
    if missing:
        # Flask-Babel would silently show English; a missing catalog is a setup error.
        raise RuntimeError(f"{missing[0]}: compiled catalog missing; run 'make translations'")
    babel.init_app(app, locale_selector=current_language)


def in_every_language(app, strings):
    """Return {lang: strings()}, with strings() run once in each language (gettext follows)."""
    with app.test_request_context("/"):
        result = {}
        for code in LANGUAGES:
            with force_locale(code):
                result[code] = strings()
        return result


def confidence_badges(app):
    """Return the confidence badges in every language: {lang: {"medium": …, "low": …}}."""
    # The facts sheet's words: quiet, and natural in each language.
    return in_every_language(app, lambda: {"medium": _("may be out of date"),
                                           "low": _("unconfirmed, one weak source")})


#: Where the update notice sends a returning reader: the About page's list of what changed.
CHANGES_PAGE, CHANGES_SECTION = "about", "what-changed"


def script_strings(app):
    """Return the page script's strings in every language, {lang: {name: text}}, for app.js.

    The script gets them once, in its own file, instead of every page carrying them: each page
    is compressed alone when it travels by itself. `{name}` marks what the script fills in.
    """
    return in_every_language(app, lambda: {
        "idle": _("Not yet saved for offline."),
        "progress": _("Saving for offline: %(done)s of %(total)s pages…",
                      done="{done}", total="{total}"),
        "saved": _("Saved for offline: %(pages)s pages, %(size)s KB, as of %(date)s.",
                   pages="{pages}", size="{size}", date="{date}"),
        "failed": _("Saving stopped; it goes on when you are online."),
        "repaired": _("Repaired."),
        "kept": _("Kept until you delete it."),
        "unkept": _("May be deleted if space runs low."),
        "update": _("Update: %(pages)s of %(total)s pages, %(size)s KB.",
                    pages="{pages}", total="{total}", size="{size}"),
        "reload": _("Reload"),
        "download": _("Download (%(size)s KB)", size="{size}"),
        "copy": _("Copy"),
        "copied": _("Copied"),
        "changes": _("What changed"),
        "waitingOne": _("1 report waiting to be sent."),
        "waitingMany": _("%(n)s reports waiting to be sent.", n="{n}"),
        "reportKept": _("Saved on your phone. It will be sent when you are online."),
        "reportSent": _("Sent. Thank you: the editors read every report."),
        "reportUnknown": _("The guide has no such section to report on."),
        # Phones (issue 19): where the guide can't be saved, and how to keep it for good.
        "inApp": _("This app's browser can't keep the guide for offline use. Open it in your "
                   "phone's own browser: in the app's menu (··· or ⋮), choose “Open in "
                   "browser”."),
        "inAppWechat": _("WeChat's browser can't keep the guide for offline use. Tap ··· at "
                         "the top right, then “Open in Browser” (在浏览器中打开)."),
        "copyLink": _("Copy link"),
        "noWorker": _("This browser can't save the guide for offline use. Download it as one "
                      "file instead:"),
        "file": _("the guide in one HTML file"),
        "wechatSaved": _("It is saved inside WeChat, which may delete it when its cache is "
                         "cleared; your phone's own browser keeps a safer copy."),
        "homeSaved": _("This Home Screen app keeps its own copy."),
        "homeHint": _("To keep it for good on this iPhone: tap ··· (or Share), then Share → Add "
                      "to Home Screen, and open the guide once from the new icon while "
                      "online."),
        "close": _("Close"),
        "install": _("Install"),
        "changesUrl": page_url(get_locale().language, CHANGES_PAGE) + f"#{CHANGES_SECTION}",
    })


#: The line of web/static/app.js that script_strings() fills in when the static files are built.
STRINGS_PLACEHOLDER = "const STRINGS = {};"


def page_script_fill(app):
    """Return what build_static fills into app.js: {file: {placeholder: generated line}}."""
    strings = json.dumps(script_strings(app), ensure_ascii=False, separators=(",", ":"))
    return {"app.js": {STRINGS_PLACEHOLDER: f"const STRINGS = {strings};"}}
