"""The guide's routes: pages by language, the root redirect, health, and error pages."""

from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, current_app, g, redirect, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter

from .build import get_build
from .bundle import BUNDLE_URL
from .config import LANGUAGES
from .i18n import current_language, negotiate_language, remember_language
from .responses import serve
from .seo import ROBOTS_URL, SITEMAP_URL, warn_if_relative
from .site import not_found_page, render_message
from .urls import HOME, page_url

root = Blueprint("root", __name__)
guide_bp = Blueprint("guide", __name__, url_prefix="/<language:lang>")


class LanguageConverter(BaseConverter):
    """Match only the guide's language codes, so /fr/… or /static/… never reach a page."""

    regex = "|".join(LANGUAGES)


@guide_bp.url_value_preprocessor
def pull_language(endpoint, values):
    """Take the language out of the URL, for Flask-Babel and the views."""
    g.lang = values.pop("lang")


@guide_bp.url_defaults
def add_language(endpoint, values):
    """Fill in the current language so url_for never needs it by hand."""
    values.setdefault("lang", g.lang)


def site_body(path):
    """Return the pre-rendered body for a path of the guide, or abort with 404."""
    body = get_build().site.get(path)
    if body is None:
        abort(404)
    return body


@guide_bp.get("/", defaults={"slug": HOME})
@guide_bp.get("/<slug>/")
def page(slug):
    """Serve a page of the guide in the URL's language, and remember that language."""
    if slug == HOME and request.path != page_url(g.lang, HOME):
        abort(404)  # the home page has one URL: /<lang>/, not /<lang>/index/
    warn_if_relative(current_app._get_current_object(), get_build().origin)
    response = remember_language(serve(site_body(request.path)), g.lang)
    # A first visit starts fetching the pack beside the page's own files instead of after
    # sw.js: on slow 2G a first save took 5.1 s waiting for sw.js, 3.8 s with this low-priority
    # prefetch. The worker finds the pack in the HTTP cache; pages it serves carry no such
    # header, so a saved guide never fetches the pack again.
    response.headers["Link"] = get_build().pack.link
    return response


@guide_bp.get("/search/")
def search():
    """Answer a search of the guide in the URL's language (the worker answers it offline)."""
    html = get_build().search.page(g.lang, request.args.get("q", ""))
    # Generated per query, never precached; revalidated like every page of the guide.
    return Response(html, mimetype="text/html", headers={"Cache-Control": "no-cache"})


@guide_bp.get("/offline/")
def offline():
    """Serve the page the service worker shows for a URL it does not hold."""
    return serve(site_body(request.path))


@root.get("/")
def index():
    """Send the reader to the remembered, negotiated or default language."""
    response = redirect(page_url(negotiate_language(), HOME), code=302)
    response.headers["Cache-Control"] = "no-cache"
    response.vary.update(["Cookie", "Accept-Language"])
    return response


@root.get("/sw.js")
def service_worker():
    """Serve the service worker at the root, so that its scope is the whole guide."""
    return serve(get_build().service_worker)


@root.get("/manifest.webmanifest")
def manifest():
    """Serve the web app manifest."""
    return serve(get_build().manifest)


@root.get(BUNDLE_URL)
def single_file():
    """Serve the whole guide as one HTML file, as a download to pass from phone to phone."""
    return serve(get_build().bundle)


@root.get(SITEMAP_URL)
def sitemap():
    """Serve the sitemap for search engines (only with SITE_URL: its URLs must be absolute)."""
    body = get_build().sitemap
    if body is None:
        abort(404)
    return serve(body)


@root.get(ROBOTS_URL)
def robots():
    """Serve robots.txt: crawl the guide, and where its sitemap is."""
    return serve(get_build().robots)


@root.get("/healthz")
def health():
    """Answer 'ok': a trivial route for load balancers and the benchmark's baseline."""
    return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


def handle_http_error(error):
    """Render 4xx/5xx errors as a page in the reader's language, keeping their headers."""
    if error.code is None or error.code < 400:
        return error  # redirects pass through unchanged
    response = error.get_response()
    built = get_build()
    lang = current_language()
    if error.code == 404:
        html = not_found_page(built, lang)
    else:
        html = render_message(built.guide, built.static, lang, _("Error %(code)s", code=error.code),
                              _("The guide could not answer this request."))
    response.set_data(html)
    response.mimetype = "text/html"
    response.headers["Cache-Control"] = "no-store"
    return response


def relative_redirect(response):
    """Drop the scheme and host from a redirect's Location (and its body), keeping path and query.

    Werkzeug writes the trailing-slash redirect (/en -> /en/) as an absolute URL built from the
    request's Host header; a relative Location (RFC 9110 10.2.2) takes nothing from it.
    """
    location = response.headers.get("Location")
    if location and 300 <= response.status_code < 400 and "//" in location:
        parts = urlsplit(location)
        # One leading slash: "//host/..." would be read as another site.
        target = "/" + parts.path.lstrip("/") + (f"?{parts.query}" if parts.query else "")
        response.headers["Location"] = target
        # The body names the target too ("You should be redirected to …").
        response.set_data(redirect(target, response.status_code).get_data())
    return response


def init_app(app):
    """Register the routes, the error pages and the relative redirects."""
    app.url_map.converters["language"] = LanguageConverter
    app.register_blueprint(root)
    app.register_blueprint(guide_bp)
    app.register_error_handler(HTTPException, handle_http_error)
    app.after_request(relative_redirect)
