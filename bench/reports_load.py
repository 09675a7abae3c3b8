"""The report path under load: wrk POSTs new reports to gunicorn (2 workers) for 30 s over 32
connections, on SQLite and on PostgreSQL; then the database is counted: every report the server
confirmed (201) must be stored, and nothing else."""

import re
import subprocess
import sys
import tempfile

from sqlalchemy import create_engine, text

from web.config import PROJECT_ROOT

from .server_load import free_port, gunicorn_command, wait_until_serving

sys.path.insert(0, str(PROJECT_ROOT / "tests"))
import postgres  # noqa: E402 (the tests' own PostgreSQL server, started the same way)

CONNECTIONS = 32

#: wrk's script: each request a new report with a random UUID (a seed per thread); each thread
#: counts the 201s, and the main thread prints their sum.
SCRIPT = r"""
-- Globals: wrk's thread:set/get reach a thread's globals only.
threads, created, seed = {}, 0, 0
function setup(thread)
  seed = seed + 1
  thread:set("seed", seed)
  table.insert(threads, thread)
end
function init(args)
  math.randomseed(os.time() * 1000 + seed)
end
local function hex(n)
  local s = ""
  for i = 1, n do s = s .. string.format("%x", math.random(0, 15)) end
  return s
end
request = function()
  local id = hex(8) .. "-" .. hex(4) .. "-4" .. hex(3) .. "-8" .. hex(3) .. "-" .. hex(12)
  local body = '{"id":"' .. id .. '","lang":"es","page":"transfer-faq","section":"data-transfer",'
    .. '"text":"Medido por make bench.","revision":"abc1234"}'
  return wrk.format("POST", "/api/reports",
    {["Content-Type"] = "application/json", ["Sec-Fetch-Site"] = "same-origin"}, body)
end
response = function(status, headers, body)
  if status == 201 then created = created + 1 end
end
done = function(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("created") end
  io.write(string.format("CREATED %d\n", total))
end
"""


def run(database_url, seconds):
    """Load one database; return (reports/s, p99 ms, errors, confirmed, stored)."""
    port = free_port()
    env = {"PATH": "/usr/bin:/bin", "GUIDE_DATABASE_URL": database_url,
           "GUIDE_REPORTS_PER_HOUR": "1000000000"}
    process = subprocess.Popen(gunicorn_command(port), cwd=PROJECT_ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(process, base + "/healthz")
        with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
            script.write(SCRIPT)
            script.flush()
            out = subprocess.run(
                ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "--timeout",
                 "10s", "-s", script.name, base], capture_output=True, text=True,
                timeout=seconds + 60)
            if out.returncode:
                raise RuntimeError(f"wrk failed: {out.stderr or out.stdout}")
            out = out.stdout
    finally:
        process.terminate()
        process.wait(timeout=10)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
    p99, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()
    p99 = float(p99) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                        out)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = (sum(int(n) for n in sockets.groups()) if sockets else 0) + (int(bad[1]) if bad else 0)
    confirmed = int(re.search(r"CREATED (\d+)", out)[1])
    engine = create_engine(database_url)
    with engine.connect() as db:
        stored = db.execute(text("SELECT count(*) FROM reports")).scalar_one()
    engine.dispose()
    return rps, p99, errors, confirmed, stored


def measure(seconds=30):
    """Return {database: figures} for SQLite and PostgreSQL."""
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        results["SQLite (WAL, instance folder)"] = run(f"sqlite:///{folder}/r.sqlite3", seconds)
    server = postgres.PostgresServer()
    try:
        results["PostgreSQL 15 (loopback)"] = run(server.url(), seconds)
    finally:
        server.close()
    return results


def table(results):
    """Return the reports section of the report as Markdown."""
    lines = [f"POST /api/reports, each a new report, {CONNECTIONS} connections, 30 s; then the "
             "rows are counted. Lost: confirmed (201) but not stored. A few more rows than "
             "201s is not a loss: wrk stops reading the last answers when its time is up.", "",
             "| database | reports/s | p99 | errors | confirmed | stored | lost |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name, (rps, p99, errors, confirmed, stored) in results.items():
        lines.append(f"| {name} | {rps:,.0f} | {p99:.1f} ms | {errors} | {confirmed:,} | "
                     f"{stored:,} | {max(0, confirmed - stored)} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(measure()))
