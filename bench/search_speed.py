"""How fast a search answers offline: search.js over the saved pages, on a 4x slower CPU.

The service worker's own thread cannot be throttled from outside, so the bench runs the same
service_worker/search.js in a page of the guide, over the pages it reads from Cache Storage as
the worker does, with Chromium's CPU throttled 4x (Lighthouse's mobile preset: a mid-range
phone). "Cold" is the first search after the worker starts: it reads the language's pages and
folds their text; "warm" reuses that, as the running worker does.
"""

import statistics
import threading
import time

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from web.build import build_of, worker_constants
from web.config import LANGUAGES, PROJECT_ROOT
from web.shared import constants_line
from web.urls import offline_url, page_url

from .slow_network import CHROMIUM_ARGS

SEARCH_JS = PROJECT_ROOT / "service_worker" / "search.js"
CORE_JS = PROJECT_ROOT / "service_worker" / "core.js"
QUERIES = [("en", "pin"), ("es", "telefono"), ("zh", "余额"), ("en", "*222#"),
           ("es", "recarga saldo"), ("en", "zzqqxx")]
RUNS = 7
CPU_SLOWDOWN = 4
BUDGET_MS = 50

MISSING = "async (urls) => (await Promise.all(urls.map((u) => caches.match(u)))).some((r) => !r)"
# The worker's own glue (savedSearch), reading the pages from Cache Storage; timed.
TIMED_SEARCH = """async ([lang, query, warm]) => {
  if (!warm) for (const code of Object.keys(indexes)) delete indexes[code];
  const read = async (url) => (await caches.match(url)).text();
  const started = performance.now();
  const html = await savedSearch(lang, query, read);
  return [performance.now() - started, html.length];
}"""


def measure(app, chromium):
    """Return {(lang, query): (cold ms, warm ms)}: medians of RUNS runs each."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_port}"
    slugs = build_of(app).guide.slugs
    pages = {lang: [page_url(lang, slug) for slug in slugs] for lang in LANGUAGES}
    shells = {lang: offline_url(lang) for lang in LANGUAGES}
    results = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            # The bench injects search.js into a page: only the bench may bypass the CSP.
            context = browser.new_context(bypass_csp=True)
            page = context.new_page()
            page.goto(base + "/en/")
            wanted = [u for urls in pages.values() for u in urls] + list(shells.values())
            while page.evaluate(MISSING, wanted):
                time.sleep(0.2)
            # search.js as the worker runs it: after core.js, under sw.js's generated constants.
            built = build_of(app)
            constants = worker_constants(app.config, built.guide, list(built.precache), built.pack)
            page.add_script_tag(content="\n".join([
                constants_line(constants), CORE_JS.read_text(encoding="utf-8"),
                SEARCH_JS.read_text(encoding="utf-8")]))
            cdp = context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
            for lang, query in QUERIES:
                cold, warm = [], []
                for _ in range(RUNS):
                    cold.append(page.evaluate(TIMED_SEARCH, [lang, query, False])[0])
                    warm.append(page.evaluate(TIMED_SEARCH, [lang, query, True])[0])
                results[(lang, query)] = (statistics.median(cold), statistics.median(warm))
            browser.close()
    finally:
        httpd.shutdown()
    return results


def table(results):
    """Return the search section of the report as Markdown."""
    lines = ["| query | cold (reads the saved pages) | warm |", "|---|---:|---:|"]
    for (lang, query), (cold, warm) in results.items():
        lines.append(f"| `{query}` ({lang}) | {cold:.1f} ms | {warm:.1f} ms |")
    worst = max(max(pair) for pair in results.values())
    lines += ["", f"Chromium with the CPU throttled {CPU_SLOWDOWN}x, median of {RUNS} runs; "
              f"budget {BUDGET_MS} ms. Slowest: **{worst:.1f} ms**. Cold: the first search after "
              "the worker starts reads the language's pages from Cache Storage and folds their "
              "text once (a query with no match there reads the other two languages as well, "
              "for \"found in other languages\"); warm: the running worker keeps that."]
    return "\n".join(lines)
