"""Real headless Chromium (Debian's) against the real app on 127.0.0.1.

The browser tests are skipped, loudly, when Chromium is missing on a developer's machine; in CI
(CI=true) a missing Chromium fails the run instead, so CI can never pass without them.
"""

import logging
import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
MISSING = not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK))
REASON = f"BROWSER TESTS SKIPPED: no Chromium at {CHROMIUM} (apt-get install chromium)"


HERE = Path(__file__).parent
# One log line per request drowns the failures; the Server counts requests itself.
logging.getLogger("werkzeug").setLevel(logging.WARNING)


def pytest_collection_modifyitems(config, items):
    """Mark the tests here as browser tests; skip them (locally) or stop (in CI) if no Chromium."""
    mine = [item for item in items if HERE in Path(item.path).parents]
    for item in mine:
        item.add_marker(pytest.mark.browser)
    if MISSING and mine:
        if IN_CI:
            pytest.exit(f"CI=true but {REASON}: browser tests must run in CI", returncode=1)
        for item in mine:
            item.add_marker(pytest.mark.skip(reason=REASON))


def pytest_terminal_summary(terminalreporter):
    """Say it loudly at the end of the run too, where nobody can miss it."""
    if MISSING and not IN_CI:
        terminalreporter.write_sep("!", REASON, red=True, bold=True)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch Debian's Chromium instead of a Playwright download (none can be fetched here)."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


class Server:
    """The app on a free loopback port, in a thread; counts the requests it receives."""

    def __init__(self, app):
        self.app = app
        self.hits = []
        self.sent = []  # (path, body bytes) of every response
        self.fail = set()  # paths to answer with 500, to break an update on purpose
        self.httpd = make_server("127.0.0.1", 0, self.wsgi, threaded=True)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def wsgi(self, environ, start_response):
        """Record the request, then hand it to the current app (tests may swap it)."""
        path = environ.get("PATH_INFO", "")
        self.hits.append(path)
        if path in self.fail:
            start_response("500 Internal Server Error", [("Content-Type", "text/plain")])
            return [b"broken on purpose"]
        body = b"".join(self.app(environ, start_response))
        self.sent.append((path, len(body)))
        return [body]

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server(app):
    """Serve the real guide for one test, on its own port (a fresh origin each time)."""
    live = Server(app)
    yield live
    live.stop()


@pytest.fixture
def phone(browser):
    """Return a new phone-sized browser context (no worker, no cache: a first visit)."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture(scope="session")
def chromium_path():
    """Return the Chromium executable (for persistent contexts)."""
    return shutil.which(CHROMIUM) or CHROMIUM
