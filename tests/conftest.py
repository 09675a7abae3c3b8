"""Fixtures that drive the real app, as in Flask's tutorial: app, client and runner."""

import json
import logging
import os
import shutil
import subprocess
from pathlib import Path

import postgres as postgres_server
import pytest
from live_deploy import DEPLOY, Deployed, LocalCA, documented_command, missing_tools
from servers import Server, StaticServer
from tooling import banner, export_into, skip_or_fail

from web import create_app
from web.config import PROJECT_ROOT

CONTENT = PROJECT_ROOT / "content"
# One log line per request drowns the failures; the Server counts requests itself.
logging.getLogger("werkzeug").setLevel(logging.WARNING)


def pytest_terminal_summary(terminalreporter):
    """End the run with a banner for every kind of test skipped for a missing tool."""
    banner(terminalreporter)


@pytest.fixture(scope="session")
def static_build(tmp_path_factory):
    """Return one folder for the built static files, shared by every app in the run."""
    return tmp_path_factory.mktemp("static-build")


@pytest.fixture(scope="session")
def build_cache(tmp_path_factory):
    """Return one folder for the compressed bodies, shared by every app in the run."""
    return tmp_path_factory.mktemp("build-cache")


@pytest.fixture(scope="session")
def make_app(static_build, build_cache, tmp_path_factory):
    """Return a factory of apps over the real content, or over another content folder. Their
    reports go to one SQLite file of the run (the reports tests give each app its own)."""
    reports_db = tmp_path_factory.mktemp("reports") / "reports.sqlite3"

    def make(content_dir=CONTENT, **config):
        return create_app({"TESTING": True, "CONTENT_DIR": Path(content_dir),
                           "STATIC_BUILD_DIR": static_build, "CACHE_DIR": build_cache,
                           "DATABASE_URL": f"sqlite:///{reports_db}", **config})

    return make


@pytest.fixture(scope="session")
def postgres():
    """Return a real PostgreSQL server started for the run (skipped loudly when missing
    locally, a failure in CI)."""
    reason = postgres_server.missing()
    if reason:
        skip_or_fail(f"POSTGRESQL TESTS SKIPPED: {reason}")
    server = postgres_server.PostgresServer()
    yield server
    server.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """Return the URL of an empty reports database: SQLite, then a real PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'reports.sqlite3'}"
    return request.getfixturevalue("postgres").url()


@pytest.fixture(scope="session")
def app(make_app):
    """Return the app over the real content (built once: it is read-only)."""
    return make_app()


@pytest.fixture
def client(app):
    """Return a test client of the real app."""
    return app.test_client()


@pytest.fixture
def raw_client(app):
    """Return a test client without a cookie jar: tests send Cookie headers as they are."""
    return app.test_client(use_cookies=False)


@pytest.fixture
def runner(app):
    """Return a CLI runner of the real app."""
    return app.test_cli_runner()


@pytest.fixture
def content_copy(tmp_path):
    """Return a writable copy of the real content, for tests that break or change it."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


@pytest.fixture
def server(app):
    """Serve the real guide for one test, on its own port (a fresh origin each time)."""
    live = Server(app)
    yield live
    live.stop()


@pytest.fixture
def reports_server(make_app, tmp_path):
    """Serve the guide from an app with a reports database of its own (SQLite)."""
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'reports.sqlite3'}")
    live = Server(app)
    yield live
    live.stop()
    app.extensions["reports"].dispose()


@pytest.fixture(scope="session")
def exported(app, tmp_path_factory):
    """Return a folder holding `flask export` of the real guide (made once)."""
    return export_into(app, tmp_path_factory.mktemp("export"))


@pytest.fixture
def static_server(exported):
    """Serve the static export with a plain static file server, as any static host would."""
    live = StaticServer(exported)
    yield live
    live.stop()


# Mozilla's HTTP Observatory, pinned in tests/observatory/package.json.
OBSERVATORY = PROJECT_ROOT / "tests" / "observatory"
OBSERVATORY_PACKAGE = OBSERVATORY / "node_modules" / "@mdn" / "mdn-http-observatory"


@pytest.fixture(scope="session")
def observatory():
    """Return scan(host, ca=None) -> report, installing the pinned Observatory from npm if missing.

    scan.js is run by node directly: the package's bin wrapper overwrites NODE_EXTRA_CA_CERTS
    with a bundle its install script would download, so a test's own CA could not be trusted.
    """
    npm, node = shutil.which("npm"), shutil.which("node")
    if npm is None or node is None:
        skip_or_fail("OBSERVATORY TESTS SKIPPED: no npm (apt-get install npm)")
    if not OBSERVATORY_PACKAGE.exists():
        # Its install script fetches a CA bundle from the internet: skip it (not needed here).
        subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
                       cwd=OBSERVATORY, check=True, timeout=600, capture_output=True)
    # The preload list is fetched by that install script too; an empty one means "not preloaded".
    preload = OBSERVATORY_PACKAGE / "conf" / "hsts-preload.json"
    if not preload.exists():
        preload.write_text("{}\n", encoding="utf-8")

    def scan(host, ca=None):
        """Scan host[:port] (http and https on that same port) and return the JSON report."""
        env = {**os.environ, **({"NODE_EXTRA_CA_CERTS": str(ca)} if ca else {})}
        result = subprocess.run([node, str(OBSERVATORY_PACKAGE / "src" / "scan.js"), host],
                                capture_output=True, text=True, timeout=120, check=True, env=env)
        return json.loads(result.stdout)

    return scan


@pytest.fixture(scope="session")
def local_ca(tmp_path_factory):
    """Return a throwaway CA and a certificate for 127.0.0.1; skip or fail without the tools."""
    reason = missing_tools(("openssl", "openssl"), ("certutil", "libnss3-tools"))
    if reason:
        skip_or_fail(f"DEPLOY TESTS SKIPPED: {reason}")
    return LocalCA(tmp_path_factory.mktemp("local-ca"))


@pytest.fixture(scope="session")
def documented_app(make_app):
    """Return the app as docs/deploy.md configures it: its GUIDE_SITE_URL (the public origin)."""
    env, _ = documented_command("flask")
    return make_app(SITE_URL=env["GUIDE_SITE_URL"])


@pytest.fixture(scope="session")
def documented_export(documented_app, tmp_path_factory):
    """Return the folder of the export made as docs/deploy.md says (made once)."""
    return export_into(documented_app, tmp_path_factory.mktemp("documented-export"))


@pytest.fixture(scope="session")
def nginx_export(local_ca, documented_export, tmp_path_factory):
    """Serve the documented export with deploy/nginx/guide.conf on real nginx (shared)."""
    site = Deployed(DEPLOY / "guide.conf", tmp_path_factory.mktemp("nginx-export"), local_ca,
                    root=documented_export)
    yield site
    site.stop()


@pytest.fixture(scope="session")
def nginx_app(local_ca, tmp_path_factory):
    """Serve the documented gunicorn command behind deploy/nginx/guide-app.conf (shared)."""
    site = Deployed(DEPLOY / "guide-app.conf", tmp_path_factory.mktemp("nginx-app"), local_ca,
                    app=True)
    yield site
    site.stop()
