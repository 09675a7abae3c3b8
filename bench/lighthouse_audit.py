"""Lighthouse (npm, mobile form factor) on one page per language, with Debian's Chromium.

`make bench` audits three pages. To audit every page of a running guide (started as `make run`
starts it, so that its links are absolute): `.venv/bin/python -m bench.lighthouse_audit URL`.
"""

import argparse
import json
import os
import subprocess
import threading
from pathlib import Path

from werkzeug.serving import make_server

from web import create_app
from web.config import LANGUAGES
from web.config import PAGES as SLUGS
from web.urls import page_url

from .server_load import free_port

BENCH = Path(__file__).parent
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = ("/zh/transfer-faq/", "/es/transfer-faq/", "/en/transfer-faq/")
FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage "
         "--disable-background-networking")


def audit(url, chromium):
    """Return ({category: score 0-100}, [failed audit titles]) for one URL."""
    lighthouse = BENCH / "node_modules" / ".bin" / "lighthouse"
    out = subprocess.run(
        [str(lighthouse), url, f"--chrome-flags={FLAGS}", "--form-factor=mobile",
         "--throttling-method=simulate", "--output=json", "--quiet",
         f"--only-categories={','.join(CATEGORIES)}"],
        capture_output=True, text=True, timeout=180, check=True,
        env={**os.environ, "CHROME_PATH": chromium},
    ).stdout
    report = json.loads(out)
    scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
    failed = sorted(
        a["title"] for c in CATEGORIES for ref in report["categories"][c]["auditRefs"]
        if ref["weight"] and (a := report["audits"][ref["id"]])["score"] is not None
        and a["score"] < 1
    )
    return scores, failed


def measure(chromium):
    """Return {url: (scores, failed audits)} for one page per language."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # As in production, the app knows its public origin, for absolute hreflang alternates.
    app = create_app({"SITE_URL": base})
    httpd = make_server("127.0.0.1", port, app, threaded=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        return {page: audit(base + page, chromium) for page in PAGES}
    finally:
        httpd.shutdown()


def table(results):
    """Return the Lighthouse section of the report as Markdown."""
    lines = ["| page | " + " | ".join(CATEGORIES) + " |", "|---|" + "---:|" * len(CATEGORIES)]
    for page, (scores, _) in results.items():
        lines.append(f"| `{page}` | " + " | ".join(str(scores[c]) for c in CATEGORIES) + " |")
    misses = sorted({title for _, failed in results.values() for title in failed})
    if misses:
        lines += ["", "Audits below full marks: " + "; ".join(misses)]
    return "\n".join(lines)


def main():
    """Audit every page of the guide served at a base URL; print a table and the lowest scores."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("base", nargs="?", default="http://127.0.0.1:8000")
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
    args = parser.parse_args()
    results = {}
    for lang in LANGUAGES:
        for slug in SLUGS:
            url = page_url(lang, slug)
            for attempt in range(3):  # Chromium now and then fails to start on a busy machine
                try:
                    results[url] = audit(args.base.rstrip("/") + url, args.chromium)
                    break
                except subprocess.CalledProcessError as error:
                    print(f"{url}: attempt {attempt + 1} failed: {error.stderr[-300:]}")
            else:
                raise SystemExit(f"{url}: Lighthouse failed three times")
            print(url, results[url][0], flush=True)
    print(table(results))
    lowest = {c: min(scores[c] for scores, _ in results.values()) for c in CATEGORIES}
    print(f"lowest over {len(results)} pages: {lowest}")


if __name__ == "__main__":
    main()
