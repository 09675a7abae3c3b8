"""Drivers for the three engines, each with the same six methods the scenario uses.

- Chromium: Playwright, with Debian's Chromium.
- WebKit: WebKitGTK's MiniBrowser through WebKitWebDriver and Selenium, on a virtual X screen.
- Firefox ESR: WebDriver BiDi over a websocket, from Python (no geckodriver can be installed).
Each driver's calls are bounded in time, so a hung browser fails the test instead of CI.
"""

import contextlib
import itertools
import json
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path

WEBKIT_BROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver"
FIREFOX = os.environ.get("FIREFOX_PATH", "/usr/bin/firefox-esr")
TIMEOUT = 30  # seconds for any one command


class PlaywrightDriver:
    """Chromium through a Playwright page."""

    name = "chromium"

    def __init__(self, page):
        self.page = page

    def goto(self, url):
        """Open a URL and wait for it to load."""
        self.page.goto(url)

    def click(self, css):
        """Click the first element matching a CSS selector."""
        self.page.click(css)

    def url(self):
        """Return the current URL."""
        return self.page.url

    def text(self, css):
        """Return the rendered text of the first element matching a CSS selector."""
        return self.page.inner_text(css)

    def call(self, source):
        """Run a JavaScript arrow function (which may be async); return its JSON result."""
        return self.page.evaluate(source)

    def read(self, expression):
        """Return the JSON value of a synchronous JavaScript expression (for polls)."""
        return self.page.evaluate(expression)


class Xvfb:
    """A virtual X screen for WebKitGTK, on the first free display number."""

    def __init__(self):
        read, write = os.pipe()
        self.process = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write)
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise RuntimeError("Xvfb did not start")
        self.display = f":{number}"

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


class WebKitDriver:
    """WebKitGTK's MiniBrowser through WebKitWebDriver (Selenium)."""

    name = "webkit"

    def __init__(self, display):
        from selenium import webdriver
        from selenium.webdriver.webkitgtk.options import Options
        from selenium.webdriver.webkitgtk.service import Service

        options = Options()
        options.binary_location = WEBKIT_BROWSER
        options.add_argument("--automation")
        service = Service(executable_path=WEBKIT_DRIVER, env={**os.environ, "DISPLAY": display})
        self.driver = webdriver.WebKitGTK(options=options, service=service)
        self.driver.set_page_load_timeout(TIMEOUT)
        self.driver.set_script_timeout(TIMEOUT)

    def goto(self, url):
        """Open a URL and wait for it to load."""
        self.driver.get(url)

    def click(self, css):
        """Click the first element matching a CSS selector."""
        from selenium.webdriver.common.by import By

        self.driver.find_element(By.CSS_SELECTOR, css).click()

    def url(self):
        """Return the current URL."""
        return self.driver.current_url

    def text(self, css):
        """Return the rendered text of the first element matching a CSS selector."""
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.CSS_SELECTOR, css).text

    def call(self, source):
        """Run a JavaScript arrow function (which may be async); return its JSON result."""
        result = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            f"Promise.resolve(({source})()).then((v) => done({{ok: v}}), "
            "(e) => done({error: String(e)}));")
        if "error" in result:
            raise RuntimeError(result["error"])
        return result.get("ok")

    def read(self, expression):
        """Return the JSON value of a synchronous JavaScript expression (for polls: no
        callback to wait for, so a document replaced mid-poll cannot hold it)."""
        return self.driver.execute_script(f"return ({expression});")

    def quit(self):
        self.driver.quit()


def from_remote(value):
    """Turn a WebDriver BiDi RemoteValue into a Python value."""
    kind, inner = value["type"], value.get("value")
    if kind in ("undefined", "null"):
        return None
    if kind == "array":
        return [from_remote(v) for v in inner]
    if kind == "object":
        return {k: from_remote(v) for k, v in inner}
    return inner


class FirefoxDriver:
    """Firefox ESR driven over WebDriver BiDi, the protocol Firefox speaks itself."""

    name = "firefox"

    def __init__(self, profile):
        from websockets.sync.client import connect

        profile = Path(profile)
        profile.mkdir(parents=True, exist_ok=True)
        # Keep Firefox from reaching out (updates, telemetry): this machine has no internet.
        (profile / "user.js").write_text(
            'user_pref("app.update.disabledForTesting", true);\n'
            'user_pref("toolkit.telemetry.reportingpolicy.firstRun", false);\n'
            'user_pref("browser.shell.checkDefaultBrowser", false);\n'
            'user_pref("network.captive-portal-service.enabled", false);\n'
            'user_pref("network.connectivity-service.enabled", false);\n', encoding="utf-8")
        self.process = subprocess.Popen(
            [FIREFOX, "--headless", "--no-remote", "--profile", str(profile),
             "--remote-debugging-port=0"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        endpoint = None
        for line in self.process.stderr:  # bounded by the test's own timeout
            found = re.search(r"WebDriver BiDi listening on (ws://\S+)", line)
            if found:
                endpoint = found[1]
                break
        if endpoint is None:
            raise RuntimeError("Firefox did not start its WebDriver BiDi server")
        # Keep reading stderr, or Firefox blocks once the pipe is full.
        threading.Thread(target=lambda: [None for _ in self.process.stderr], daemon=True).start()
        self.ids = itertools.count(1)
        self.closing = contextlib.ExitStack()
        self.socket = self.closing.enter_context(
            connect(endpoint.rstrip("/") + "/session", max_size=None, open_timeout=TIMEOUT))
        self.send("session.new", capabilities={})
        self.context = self.send("browsingContext.getTree")["contexts"][0]["context"]

    def send(self, method, **params):
        """Send one BiDi command and return its result (events in between are skipped)."""
        command_id = next(self.ids)
        self.socket.send(json.dumps({"id": command_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv(timeout=TIMEOUT))
            if message.get("id") != command_id:
                continue
            if message.get("type") == "error":
                raise RuntimeError(f"{method}: {message.get('error')}: {message.get('message')}")
            return message["result"]

    def goto(self, url):
        """Open a URL and wait for it to load."""
        self.send("browsingContext.navigate", context=self.context, url=url, wait="complete")

    def click(self, css):
        """Click the first element matching a CSS selector."""
        self.call(f"() => {{ document.querySelector({json.dumps(css)}).click(); }}")

    def url(self):
        """Return the current URL."""
        tree = self.send("browsingContext.getTree", root=self.context)
        return tree["contexts"][0]["url"]

    def text(self, css):
        """Return the rendered text of the first element matching a CSS selector."""
        return self.call(f"() => document.querySelector({json.dumps(css)}).innerText")

    def call(self, source):
        """Run a JavaScript arrow function (which may be async); return its JSON result."""
        return self.script("script.callFunction", functionDeclaration=source, awaitPromise=True)

    def read(self, expression):
        """Return the JSON value of a synchronous JavaScript expression (for polls)."""
        return self.script("script.evaluate", expression=expression, awaitPromise=False)

    def script(self, method, **params):
        """Run a BiDi script command in the page; return its value, or raise its exception."""
        result = self.send(method, target={"context": self.context}, **params)
        if result["type"] == "exception":
            raise RuntimeError(result["exceptionDetails"].get("text"))
        return from_remote(result["result"])

    def quit(self):
        try:
            self.send("session.end")
        except Exception:  # noqa: BLE001 (closing anyway)
            pass
        self.closing.close()
        self.process.terminate()
        self.process.wait(timeout=10)


def missing(engine):
    """Return why an engine cannot run on this machine, or None if it can."""
    needs = {
        "chromium": [os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")],
        "webkit": [WEBKIT_BROWSER, WEBKIT_DRIVER, shutil.which("Xvfb") or "/usr/bin/Xvfb"],
        "firefox": [FIREFOX],
    }[engine]
    absent = [path for path in needs if not os.access(path, os.X_OK)]
    return f"no {', '.join(absent)}" if absent else None
