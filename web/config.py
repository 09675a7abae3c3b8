"""Defaults for the guide: its languages, its pages in reading order, and its paths."""

from dataclasses import dataclass
from pathlib import Path


def project_root():
    """Return the checkout's root, where content/, translations/ and service_worker/ live:
    beside the package when it runs from the checkout (`make run`, `pip install -e .`), else
    the working directory (a plain `pip install .` puts the package in site-packages, and the
    service runs in the checkout: WorkingDirectory= in deploy/systemd/guide.service)."""
    beside = Path(__file__).resolve().parent.parent
    return beside if (beside / "content").is_dir() else Path.cwd()


#: The checkout's root (see project_root).
PROJECT_ROOT = project_root()
#: Where the app writes (built static files, the compression cache, the reports' SQLite file):
#: <checkout>/instance, however the package was installed (Flask would put an installed
#: package's instance folder under the venv, which the service's sandbox keeps read-only).
INSTANCE_DIR = PROJECT_ROOT / "instance"


@dataclass(frozen=True)
class Language:
    """A language the guide is written in."""

    code: str  # URL prefix and content folder
    name: str  # the language's own name, shown in the switcher
    html_lang: str  # BCP 47 tag for <html lang> and hreflang
    og_locale: str  # Open Graph's language_TERRITORY form, for share previews


#: Every language, in the order the switcher shows them.
# Simplified Chinese is zh_CN; the Spanish is Latin-American, written for readers in Cuba.
LANGUAGES = {
    "zh": Language("zh", "中文", "zh-Hans", "zh_CN"),
    "es": Language("es", "Español", "es", "es_CU"),
    "en": Language("en", "English", "en", "en_US"),
}

#: The reader's language when nothing else tells us (most readers are Chinese).
DEFAULT_LANGUAGE = "zh"

#: The pages, in reading order: the home page first, then previous/next follow this list.
PAGES = (
    "index",
    "transfer-faq",
    "quick-codes",
    "getting-connected",
    "esim-basics",
    "cuba-mobile-network",
    "who-is-it-for",
    "before-you-go",
    "offline-help",
    "about",
)

#: The language whose reviewed dates the others are compared against.
SOURCE_LANGUAGE = "en"

#: The cookie that remembers the reader's language, and how long it lives.
LANGUAGE_COOKIE = "lang"
LANGUAGE_COOKIE_MAX_AGE = 400 * 24 * 3600  # the longest Chrome keeps a cookie


class DefaultConfig:
    """Flask settings; create_app(test_config) overrides any of them."""

    CONTENT_DIR = PROJECT_ROOT / "content"
    TRANSLATIONS_DIR = PROJECT_ROOT / "translations"
    STATIC_SOURCE_DIR = Path(__file__).resolve().parent / "static"
    # Built static files (hashed names, .br/.gz twins); None means <instance_path>/static.
    STATIC_BUILD_DIR = None
    # Compressed bodies kept between builds (web/compression.py); None: <instance_path>/cache.
    CACHE_DIR = None
    # The folder of the service worker's modules (joined into /sw.js, see web/offline.py).
    SERVICE_WORKER_SOURCE = PROJECT_ROOT / "service_worker"
    LANGUAGE_COOKIE_MAX_AGE = LANGUAGE_COOKIE_MAX_AGE
    # The public origin, e.g. https://guide.example (GUIDE_SITE_URL): canonical, hreflang, og:url,
    # og:image and the sitemap need absolute URLs. Empty: relative links, no sitemap, a warning
    # at startup (see seo.py). Never taken from a request's Host header.
    SITE_URL = ""
    # Strict-Transport-Security max-age, sent only on HTTPS requests (behind TLS, run gunicorn
    # with --forwarded-allow-ips so X-Forwarded-Proto makes them HTTPS). 0 turns HSTS off.
    HSTS_MAX_AGE = 2 * 365 * 24 * 3600
    # Flask refuses bodies larger than this (413): a report is at most 2,000 characters.
    MAX_CONTENT_LENGTH = 16 * 1024
    # Reader reports (web/reports.py): empty means SQLite in the instance folder;
    # GUIDE_DATABASE_URL=postgresql+psycopg://user@host/db moves them to PostgreSQL.
    DATABASE_URL = ""
    # New reports one client may send per hour (counted in the database: every process and
    # machine shares the count).
    REPORTS_PER_HOUR = 10
    # The origin of a static export (flask export) whose pages send their reports here: CORS
    # allows exactly it. Empty: only the app's own pages send reports.
    REPORTS_EXPORT_ORIGIN = ""
    # For `flask export`: the origin of the running app that takes the export's reports (its
    # form and worker post there; the export's CSP allows exactly it). Empty: the export has no
    # app behind it, and its pages offer no report.
    REPORTS_ORIGIN = ""
    # How many proxies in front of the app add X-Forwarded-For (nginx: 1). The rate limit
    # counts per client address; behind a proxy that is the address the proxy saw.
    PROXY_HOPS = 0


#: Settings that name files or folders (turned into Paths whatever their source).
PATH_SETTINGS = ("CONTENT_DIR", "TRANSLATIONS_DIR", "STATIC_SOURCE_DIR", "STATIC_BUILD_DIR",
                 "CACHE_DIR", "SERVICE_WORKER_SOURCE")
