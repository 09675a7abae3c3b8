"""Reader reports: "Report a change" under every section, a plain form, and the JSON API the
page script's outbox posts to (the form and the API share one code path: receive()).

A report names a page and a section of the guide, carries the reader's text and the revision
of the page they saw, and an id the phone made, so that a report sent again (a retry after a
lost answer) is stored once. Nothing about the reader is read but the address, and only to
count reports per hour under a salted hash (web/reports_store.py). Text is only ever stored and
printed as plain text: no page of the guide shows a report.
"""

import json
import re
import unicodedata
import uuid
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, g, request
from flask_babel import format_decimal
from flask_babel import gettext as _

from .build import get_build
from .config import LANGUAGES
from .reports_store import (
    FIELDS,
    ConflictError,
    LimitedError,
    Report,
    Store,
    UnavailableError,
)
from .responses import serve
from .site import render_message, render_report
from .urls import LAYOUT, page_url
from .views import pull_language, site_body

#: The longest report text, in characters after trimming.
MAX_TEXT = 2_000
#: How long a client is asked to wait after a 429 (the limit counts per hour) or a 503.
RETRY_LIMITED = 3600
RETRY_UNAVAILABLE = 30
REVISION = re.compile(r"[0-9a-f]{1,64}")
#: Control characters a report may hold: line breaks and tabs, as a textarea sends them.
ALLOWED_CONTROLS = {"\n", "\t"}

api = Blueprint("reports_api", __name__)
#: The form, under each language's prefix (as the guide's pages: views.pull_language).
form = Blueprint("report", __name__, url_prefix="/<language:lang>")
form.url_value_preprocessor(pull_language)


class ReportRefused(Exception):  # noqa: N818 (an answer, not a fault)
    """A report the guide does not store: the HTTP status, and a short reason (plain ASCII,
    never an echo of the input)."""

    def __init__(self, status, reason, retry_after=None):
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.retry_after = retry_after


def section_of(guide, lang, page, section):
    """Return the (page, heading) a report is about, or raise ReportRefused(404)."""
    found = guide.page(lang, page) if isinstance(page, str) else None
    if found is None:
        raise ReportRefused(404, "unknown page")
    for heading in found.sections:
        if heading.id == section:
            return found, heading
    raise ReportRefused(404, "unknown section")


def clean_text(text):
    """Return a report's text trimmed, with Windows line ends as one; refuse what can't be."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise ReportRefused(400, "text is empty")
    if len(text) > MAX_TEXT:
        raise ReportRefused(400, f"text is longer than {MAX_TEXT} characters")
    if any(unicodedata.category(c) in ("Cc", "Cs") and c not in ALLOWED_CONTROLS for c in text):
        raise ReportRefused(400, "text holds control characters")
    return text


def check(data, guide):
    """Return the Report a JSON object describes, or raise ReportRefused(400/404)."""
    if not isinstance(data, dict):
        raise ReportRefused(400, "the body must be a JSON object")
    for name in FIELDS:
        if not isinstance(data.get(name), str):
            raise ReportRefused(400, f"{name} must be a string")
    try:
        report_id = str(uuid.UUID(data["id"]))
    except ValueError:
        raise ReportRefused(400, "id must be a UUID") from None
    if data["id"].lower() != report_id:
        raise ReportRefused(400, "id must be a UUID")
    if data["lang"] not in LANGUAGES:
        raise ReportRefused(404, "unknown language")
    section_of(guide, data["lang"], data["page"], data["section"])
    if not REVISION.fullmatch(data["revision"]):
        raise ReportRefused(400, "revision must be hexadecimal")
    return Report(id=report_id, lang=data["lang"], page=data["page"], section=data["section"],
                  text=clean_text(data["text"]), revision=data["revision"])


def own_origins():
    """Return the guide's own origins: as this request reached it, and SITE_URL's."""
    origins = {request.host_url.rstrip("/"), get_build().origin}
    return {o for o in origins if o}


def check_origin():
    """Refuse (403) a report sent from another site's page. Browsers say where a request
    comes from in Sec-Fetch-Site, or else in Origin. Older ones send neither, or `Origin:
    null`: the guide's Referrer-Policy (no-referrer) makes a POST's Origin null (Fetch spec,
    "serializing a request origin"). Those are let through: a report is anonymous and
    rate-limited, nothing to steal or to act as."""
    site = request.headers.get("Sec-Fetch-Site")
    origin = request.headers.get("Origin")
    if origin is not None and origin in export_origins():
        return
    if site is not None:
        if site != "same-origin":
            raise ReportRefused(403, "reports come from the guide's own pages")
        return
    if origin not in (None, "null") and origin not in own_origins():
        raise ReportRefused(403, "reports come from the guide's own pages")


def export_origins():
    """Return the static export's origin when the app takes its reports, else nothing."""
    origin = current_app.config["REPORTS_EXPORT_ORIGIN"]
    return {origin.rstrip("/")} if origin else set()


def store():
    """Return the app's reports store."""
    return current_app.extensions["reports"]


def receive(data):
    """Check and store a report; return (status, Report): 201 new, 200 stored before."""
    check_origin()
    report = check(data, get_build().guide)
    try:
        created = store().add(report, request.remote_addr or "")
    except LimitedError:
        raise ReportRefused(429, "too many reports from this client this hour",
                            RETRY_LIMITED) from None
    except ConflictError:
        raise ReportRefused(409, "this id was stored with other content") from None
    except UnavailableError as error:
        current_app.logger.warning("reports: database unavailable: %s", error)
        raise ReportRefused(503, "reports can't be stored right now", RETRY_UNAVAILABLE) from None
    return (201 if created else 200), report


def cors(response):
    """Let the static export's pages post reports here (exactly its origin), when it may."""
    origin = request.headers.get("Origin")
    if origin and origin in export_origins():
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Methods"] = "POST"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type"
        response.headers["Access-Control-Max-Age"] = "86400"
        response.vary.add("Origin")
    return response


def answer(body, status=200, mimetype="text/html", retry_after=None):
    """Return a response that is never cached (each is about one report), with Retry-After
    when the client is asked to wait."""
    response = Response(body, status=status, mimetype=mimetype,
                        headers={"Cache-Control": "no-store"})
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    return response


def json_answer(status, body, retry_after=None):
    """Return the API's JSON answer, with CORS for the export when it may post here."""
    return cors(answer(json.dumps(body), status, "application/json", retry_after))


@api.route(LAYOUT["reports"], methods=["POST", "OPTIONS"])
def post_report():
    """Store a report sent as JSON: {id, lang, page, section, text, revision}."""
    if request.method == "OPTIONS":  # the export's CORS preflight
        return cors(answer("", 204))
    if request.mimetype != "application/json":
        return json_answer(415, {"error": "send application/json"})
    try:
        data = json.loads(request.get_data())
    except (ValueError, RecursionError):
        return json_answer(400, {"error": "the body is not JSON"})
    try:
        status, report = receive(data)
    except ReportRefused as refused:
        return json_answer(refused.status, {"error": refused.reason}, refused.retry_after)
    return json_answer(status, {"id": report.id, "stored": status == 201})


def form_values(lang, page_slug, section_id):
    """Return what the form shows for a section: its titles, its link, a fresh id and the
    revision of the page as it is now (the page the reader came from)."""
    built = get_build()
    page, heading = section_of(built.guide, lang, page_slug, section_id)
    url = page_url(lang, page_slug)
    revision = next(e["revision"] for e in built.precache if e["url"] == url)
    return {"page": page, "heading": heading, "back": page_url(lang, page_slug, section_id),
            "id": str(uuid.uuid4()), "revision": revision}


@form.route(LAYOUT["report"].removeprefix("/{lang}"), methods=["GET", "POST"])
def form_page():
    """GET: the form for the section the query names; POST: store the report it sends."""
    lang = g.lang
    built = get_build()
    if request.method != "POST":  # GET, and HEAD as GET
        page_slug, section_id = request.args.get("page"), request.args.get("section")
        if page_slug is None and section_id is None:
            # The form for no section yet: precached, the page script fills in the section
            # its URL names (the worker serves it for any query, offline too).
            return serve(site_body(request.path))
        try:
            target = form_values(lang, page_slug, section_id)
        except ReportRefused:
            abort(404)
        return answer(render_report(built.static, lang, target=target, done=False))
    form = request.form
    data = {name: form.get(name) for name in FIELDS}
    data["lang"] = lang  # the URL's, not the form's
    try:
        status, report = receive(data)
    except ReportRefused as refused:
        return refused_page(lang, refused)
    target = form_values(lang, report.page, report.section)
    return answer(render_report(built.static, lang, target=target, done=True), status)


def refused_page(lang, refused):
    """Render why a form's report was not stored, in the reader's language."""
    built = get_build()
    messages = {
        400: _("The report could not be read. Write between 1 and %(max)s characters, "
               "without special control characters.", max=format_decimal(MAX_TEXT)),
        403: _("Reports are sent from the guide's own pages."),
        404: _("The guide has no such section to report on."),
        409: _("This report was already sent with a different text."),
        429: _("Too many reports from this connection in the last hour. Please try again "
               "later."),
        503: _("The guide can't store reports right now. Please try again later."),
    }
    html = render_message(built.guide, built.static, lang, _("Report not sent"),
                          messages.get(refused.status, messages[400]))
    return answer(html, refused.status, retry_after=refused.retry_after)


def database_url(app):
    """Return the reports database's URL: GUIDE_DATABASE_URL, else SQLite in the instance
    folder (created if missing)."""
    url = app.config["DATABASE_URL"]
    if url:
        return url
    folder = Path(app.instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'reports.sqlite3'}"


def init_app(app):
    """Register the API and the form's route, and open the store (its tables are made on the
    first report: a database that is down at startup answers 503s, not a failed start)."""
    app.extensions["reports"] = Store(database_url(app), app.config["REPORTS_PER_HOUR"])
    app.register_blueprint(api)
    app.register_blueprint(form)
