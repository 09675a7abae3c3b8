"""`make bench`: measure the guide, print the tables, and write docs/performance.md."""

import argparse
import datetime
import logging
import os
import platform
import subprocess

from web import create_app
from web.budgets import content_floor
from web.config import PROJECT_ROOT

from . import (
    bytes_table,
    lighthouse_audit,
    reports_load,
    search_speed,
    server_load,
    slow_network,
)

# One log line per request would drown the tables.
logging.getLogger("werkzeug").setLevel(logging.WARNING)

REPORT = PROJECT_ROOT / "docs" / "performance.md"


def machine():
    """Return a one-line description of this machine."""
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                if line.startswith("model name")), platform.processor())
    chromium = subprocess.run(["chromium", "--version"], capture_output=True, text=True).stdout
    return (f"{platform.node()}: {os.cpu_count()} cores, {cpu}; Python "
            f"{platform.python_version()}; {chromium.strip()}")


def main():
    """Run every benchmark section and write the report."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
    parser.add_argument("--soak", type=int, default=30, help="seconds of the 64-connection load")
    args = parser.parse_args()
    app = create_app()
    sections = [
        ("Bytes", bytes_table.table(bytes_table.measure(app))),
        ("Time on slow networks", slow_network.table(slow_network.measure(app, args.chromium),
                                                     content_floor(app.config["CONTENT_DIR"]))),
        ("Offline search (the worker's search.js, CPU 4x slower)",
         search_speed.table(search_speed.measure(app, args.chromium))),
        ("Server (gunicorn, 2 workers, wrk on 127.0.0.1)",
         server_load.table(server_load.measure(soak=args.soak))),
        ("Reader reports (gunicorn, 2 workers, wrk on 127.0.0.1)",
         reports_load.table(reports_load.measure(seconds=args.soak))),
        ("Lighthouse (mobile)", lighthouse_audit.table(lighthouse_audit.measure(args.chromium))),
    ]
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    report = [f"# Performance\n\nMeasured {stamp} on {machine()} by `make bench`.\n"]
    for title, body in sections:
        report.append(f"## {title}\n\n{body}\n")
        print(f"\n== {title}\n{body}", flush=True)
    REPORT.write_text("\n".join(report), encoding="utf-8")
    print(f"\nwrote {REPORT}")


if __name__ == "__main__":
    main()
