"""Server throughput: wrk against gunicorn (2 workers) on 127.0.0.1, bounded in time."""

import re
import subprocess
import sys
import urllib.request

from web.config import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "tests"))
from servers import free_port, gunicorn_command, wait_until_serving  # noqa: E402 (the tests')

PAGE = "/zh/transfer-faq/"
ROUNDS = 3


def wrk(url, seconds, connections, headers=()):
    """Run wrk and return (requests/s, p99 ms, errors, non-2xx/3xx count)."""
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    for header in headers:
        args += ["-H", header]
    out = subprocess.run(args + [url], capture_output=True, text=True, check=True,
                         timeout=seconds + 30).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
    p99, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()
    p99 = float(p99) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    error_count = sum(int(n) for n in errors.groups()) if errors else 0
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, p99, error_count, int(bad[1]) if bad else 0


def measure(short=5, soak=30):
    """Return the server figures: page, 304 and trivial route, and a 64-connection soak."""
    port = free_port()
    process = subprocess.Popen(gunicorn_command(port), cwd=PROJECT_ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(process, base + "/healthz")
        request = urllib.request.Request(base + PAGE, headers={"Accept-Encoding": "br"})
        with urllib.request.urlopen(request) as response:
            etag = response.headers["ETag"]
        br = "Accept-Encoding: br"
        runs = {
            "page (br)": (base + PAGE, [br]),
            "page 304": (base + PAGE, [br, f"If-None-Match: {etag}"]),
            "/healthz": (base + "/healthz", []),
        }
        # Two cores serve wrk and gunicorn both, so one run swings by 20 %: interleave the
        # routes ROUNDS times and keep each route's median run (by requests/s).
        samples = {name: [] for name in runs}
        for _ in range(ROUNDS):
            for name, (url, headers) in runs.items():
                samples[name].append(wrk(url, short, 16, headers))
        results = {name: sorted(s)[len(s) // 2] for name, s in samples.items()}
        results["soak: page, 64 connections"] = wrk(base + PAGE, soak, 64, [br])
    finally:
        process.terminate()
        process.wait(timeout=10)
    return results


def table(results):
    """Return the server section of the report as Markdown."""
    lines = ["| route | requests/s | p99 | socket errors | non-2xx/3xx |",
             "|---|---:|---:|---:|---:|"]
    for name, (rps, p99, errors, bad) in results.items():
        lines.append(f"| {name} | {rps:,.0f} | {p99:.2f} ms | {errors} | {bad} |")
    ratio = results["page (br)"][0] / results["/healthz"][0]
    lines.append("")
    lines.append(f"- Page / trivial route throughput: **{ratio:.2f}** (target >= 0.9)")
    return "\n".join(lines)
