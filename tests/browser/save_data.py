"""Turn Save-Data on for every service worker Chromium starts, over the DevTools protocol.

Playwright cannot reach a worker before its script runs, and Save-Data set on a page does not
reach workers. So the test's Chromium also listens on a DevTools port; this client asks it to
hold each new service worker at start (auto-attach), sets Emulation.setDataSaverOverride on it
(navigator.connection.saveData in the worker), then lets it run.
"""

import contextlib
import itertools
import json
import threading
import time

from websockets.sync.client import connect


def devtools_endpoint(profile, timeout=10):
    """Return the browser's DevTools WebSocket URL, from the file Chromium writes in its profile."""
    path = profile / "DevToolsActivePort"
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            raise RuntimeError("Chromium wrote no DevToolsActivePort")
        time.sleep(0.05)
    port, browser_path = path.read_text().split("\n")[:2]
    return f"ws://127.0.0.1:{port}{browser_path}"


class SaveDataForWorkers:
    """While open, every service worker that starts sees navigator.connection.saveData true."""

    def __init__(self, endpoint):
        self.closing = contextlib.ExitStack()
        self.socket = self.closing.enter_context(connect(endpoint, max_size=None, open_timeout=10))
        self.ids = itertools.count(1)
        self.workers = []  # the URLs of the workers it reached
        self.send("Target.setAutoAttach", autoAttach=True, waitForDebuggerOnStart=True,
                  flatten=True, filter=[{"type": "service_worker"}])
        self.thread = threading.Thread(target=self.listen, daemon=True)
        self.thread.start()

    def send(self, method, session=None, **params):
        """Send one command (to a worker's session if given), without waiting for its answer."""
        message = {"id": next(self.ids), "method": method, "params": params}
        if session:
            message["sessionId"] = session
        self.socket.send(json.dumps(message))

    def listen(self):
        """Set Save-Data on each worker as it is attached, then let it start."""
        try:
            for raw in self.socket:
                message = json.loads(raw)
                if message.get("method") != "Target.attachedToTarget":
                    continue
                session = message["params"]["sessionId"]
                self.send("Emulation.setDataSaverOverride", session, dataSaverEnabled=True)
                self.send("Runtime.runIfWaitingForDebugger", session)
                self.workers.append(message["params"]["targetInfo"]["url"])
        except Exception:  # noqa: BLE001 (the browser closed: nothing left to watch)
            pass

    def close(self):
        self.closing.close()
