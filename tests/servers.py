"""The test servers: the app on a free loopback port in a thread, and a plain static file
server for the export; each counts the requests it receives."""

import http.server
import socket
import sys
import threading
import time
import urllib.request
from pathlib import Path

from werkzeug.serving import make_server

from web.offline import SW_URL


class CountsHits:
    """A test server's record of the paths requested from it (`hits`)."""

    hits: list

    @property
    def guide_hits(self):
        """Return the requests for the guide itself: every hit but the browser's own update
        checks of /sw.js, which it makes when it likes (even with the page offline)."""
        return [hit for hit in self.hits if hit != SW_URL]


class Server(CountsHits):
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


class StaticServer(CountsHits):
    """A plain static file server (Python's http.server) on a free loopback port; counts hits."""

    def __init__(self, root):
        self.hits = []
        hits = self.hits

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(root), **kwargs)

            def send_head(self):
                hits.append(self.path.split("?")[0])
                return super().send_head()

            def log_message(self, *args):
                pass  # one line per request would drown the failures

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def free_port():
    """Return a TCP port free on loopback now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn_command(port, workers=2):
    """Return the README's production command on a loopback port, from this venv."""
    gunicorn = Path(sys.executable).parent / "gunicorn"
    return [str(gunicorn), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
            "--log-level", "warning", "web:create_app()"]


def wait_until_serving(process, url, timeout=60):
    """Wait until a server process answers `url` and return the body; fail with the process's
    output if it exits first, or after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read()
        except OSError:
            if process.poll() is not None:
                output = process.stdout.read().decode() if process.stdout else ""
                raise RuntimeError(f"the server exited: {output}") from None
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not answer in {timeout} s") from None
            time.sleep(0.2)
