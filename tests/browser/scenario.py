"""The core offline scenario, written once and run by every engine (Chromium, WebKit, Firefox).

An engine is driven through a small Driver: goto, click, url, text and call (run an async
JavaScript function in the page and return its JSON result). The steps here are the same for
every engine; only the drivers differ (tests/browser/engines.py).
"""

import html
import json
import re
import time
import uuid

from helpers import catalog_text

from web.build import build_of
from web.config import LANGUAGES, PAGES
from web.urls import HOME, page_url, report_link

# Wait until a worker controls the page AND is activated: WebKit resolves `ready` while the
# worker may still be activating.
WAIT_FOR_CONTROL = """async () => {
  const registration = await navigator.serviceWorker.ready;
  if (!navigator.serviceWorker.controller) {
    await new Promise((resolve) =>
      navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
  }
  const worker = registration.active;
  if (worker.state !== 'activated') {
    await new Promise((resolve) => worker.addEventListener('statechange', () => {
      if (worker.state === 'activated') resolve();
    }));
  }
  return navigator.serviceWorker.controller.scriptURL;
}"""

CACHED = """async (urls) => {
  const out = [];
  for (const url of urls) { if (await caches.match(url)) out.push(url); }
  return out;
}"""

OFFLINE_HEADING = {"en": "You are offline", "es": "No tiene conexión", "zh": "你现在没有联网"}


def call_source(function, *args):
    """Return JavaScript that calls `function` with JSON arguments: every driver runs it as is."""
    return f"() => ({function})({', '.join(json.dumps(a) for a in args)})"


def wait_until(check, what, timeout=30):
    """Poll check() until it is true; fail naming `what`, and what the last poll saw, after
    `timeout` seconds."""
    deadline = time.monotonic() + timeout
    seen = None
    while True:
        try:
            if check():
                return
            seen = "false"
        except Exception as error:  # noqa: BLE001 (a page mid-navigation may refuse a script: retry)
            seen = f"{type(error).__name__}: {error}"
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what} (last: {seen})")
        time.sleep(0.1)


def wait_for_lang(driver, lang, what):
    """Wait until the page's <html lang> is the language's: its content has loaded. Read
    synchronously: an async probe started on the page being left waits for a callback that
    its replaced document never makes (WebKit then holds the probe for the whole script
    timeout, and the wait ends with it)."""
    expected = LANGUAGES[lang].html_lang
    wait_until(lambda: driver.read("document.documentElement.lang") == expected,
               f"{what} in {lang}")


def open_page(driver, url, lang):
    """Navigate, and wait until the page in that language has loaded."""
    driver.goto(url)
    wait_for_lang(driver, lang, url)


def file_report(driver, lang, slug, section, text, expected):
    """Open a section's report form, wait until the page script filled it in, send `text`, and
    wait for the form's answer (`expected`, a catalog msgid)."""
    open_page(driver, driver_base(driver) + report_link(lang, slug, section), lang)
    wait_until(lambda: driver.read("document.querySelector('#report [name=section]').value")
               == section, f"the report form for {section}")
    driver.call(call_source("(t) => { document.getElementById('text').value = t; "
                            "document.querySelector('#report button').click(); }", text))
    answer = catalog_text(lang, expected)
    wait_until(lambda: driver.read("document.getElementById('report-sent').textContent")
               == answer, f"'{answer}' after sending a report")


def driver_base(driver):
    """Return the origin of the driver's current page."""
    return re.match(r"https?://[^/]+", driver.url())[0]


def offline_report(driver, section):
    """File a report with no server: it is kept on the phone, and the page says it waits."""
    file_report(driver, "es", "transfer-faq", section, f"Sin conexión ({driver.name})",
                "Saved on your phone. It will be sent when you are online.")
    assert driver.call(call_source(
        "async () => (await (await caches.open('reports-outbox')).keys()).length")) == 1
    wait_until(lambda: driver.read("document.querySelector('#sw-status + p.status').textContent")
               == catalog_text("es", "1 report waiting to be sent."), "the waiting line")


def stored_in(app):
    """Return a function that lists the report texts an in-process app stored."""
    return lambda: [r["text"] for r in app.extensions["reports"].find()]


def offline_scenario(driver, server, app, reports=True, stored=None, built=None):
    """First visit, worker in control, server stopped, then read and switch everything offline.

    reports: whether the guide served takes reports (a static export without an app does not);
    stored: lists the texts the server stored (default: `app`'s); False for a server in another
    process, which proves it by its answer (the page shows "sent" only after a 2xx);
    built: what the server serves, when not `app`'s own build (an export's)."""
    built = built or build_of(app)
    guide = built.guide
    base = server.url
    urls = [e["url"] for e in built.precache]

    # 1. The first visit to one page fills the precache, and the worker controls the page.
    driver.goto(base + "/es/getting-connected/")
    assert driver.call(call_source(WAIT_FOR_CONTROL)) == base + "/sw.js"
    wait_until(lambda: driver.call(call_source(CACHED, urls)) == urls, "the whole precache")

    # 1b. A report filed online: the worker sends it at once, and the server stores it.
    section = guide.page("en", "transfer-faq").sections[0].id
    if reports:
        online = f"Filed online in {driver.name} ({uuid.uuid4()})"
        file_report(driver, "en", "transfer-faq", section, online,
                    "Sent. Thank you: the editors read every report.")
        if stored is not False:
            assert online in (stored or stored_in(app))()

    # 2. No server at all from here on.
    server.stop()

    # 2b. A report filed offline is kept on the phone, and the page says it waits.
    if reports:
        offline_report(driver, section)

    # 3. Every page in every language opens.
    for lang in LANGUAGES:
        for slug in PAGES:
            open_page(driver, base + page_url(lang, slug), lang)
            assert driver.text("h1") == guide.page(lang, slug).title, (lang, slug)

    # 4. The switcher on a deep page lands on the same page in each other language.
    last = None
    for source in LANGUAGES:
        for target, language in LANGUAGES.items():
            if source == target:
                continue
            open_page(driver, base + page_url(source, "transfer-faq"), source)
            driver.click(f".langs a[hreflang={language.html_lang}]")
            wanted = base + page_url(target, "transfer-faq")
            wait_until(lambda w=wanted: driver.url() == w, f"the switch to {wanted}")
            wait_for_lang(driver, target, wanted)
            assert driver.text("h1") == guide.page(target, "transfer-faq").title
            last = target

    # 5. / opens the language read last.
    driver.goto(base + "/")
    wait_until(lambda: driver.url() == base + page_url(last, HOME), f"/ to open {last}")
    wait_for_lang(driver, last, "/")
    assert driver.text("h1") == guide.page(last, HOME).title

    # 6. An unknown URL gets the offline page: in the URL's language, else the reader's.
    open_page(driver, base + "/es/no-such-page/", "es")
    assert driver.text("h1") == OFFLINE_HEADING["es"]
    open_page(driver, base + "/nothing-here", last)
    assert driver.text("h1") == OFFLINE_HEADING[last]

    # 7. A search, answered by the worker from the saved pages: the same first result as Flask's.
    expected = re.search(r'<ol class="results">\n<li><a href="([^"]+)">([^<]+)</a>',
                         built.search.page("es", "telefono"))
    open_page(driver, base + "/es/search/?q=telefono", "es")
    wait_until(lambda: driver.text("h1") == "Buscar", "the search results page")
    assert driver.text("ol.results li a") == html.unescape(expected[2])
    assert driver.call(call_source(
        "() => document.querySelector('ol.results a').getAttribute('href')")) == expected[1]
