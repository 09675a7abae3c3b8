"""`make run` as a newcomer runs it: on a fresh copy of the checkout (its tracked files only, as a
clone has them), with no venv and no compiled translations, and listening on every interface.
It sets itself up, serves the guide with links a browser can open, keeps its venv lean, and stops
quietly on Ctrl-C."""

import os
import re
import shutil
import signal
import subprocess
import urllib.request

import pytest
from servers import free_port, wait_until_serving
from test_deploy_production import TEST_TOOLS, installed_names, post_report, size_of

from web.config import PROJECT_ROOT

#: Issue 20: `make run` on a fresh clone makes a venv under 100 MB.
VENV_LIMIT = 100 * 1024 * 1024


def fresh_copy(target):
    """Copy the checkout's files as a clone would have them (tracked, or new and not ignored)."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=PROJECT_ROOT, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = PROJECT_ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


@pytest.fixture(scope="module")
def make_run(tmp_path_factory):
    """Start `make run HOST=0.0.0.0` in a fresh copy, in its own process group (as a terminal
    runs it); yield (copy, base URL, process, output file), then stop it if still running."""
    if not shutil.which("git") or not (PROJECT_ROOT / ".git").exists():
        pytest.skip("not a git checkout: no way to tell what a clone holds")
    copy = tmp_path_factory.mktemp("clone") / "guide"
    fresh_copy(copy)
    port = free_port()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("GUIDE_") and k not in ("VIRTUAL_ENV", "MAKEFLAGS", "MFLAGS")}
    output = (copy.parent / "make-run.log").open("w+b")
    process = subprocess.Popen(["make", "run", "HOST=0.0.0.0", f"PORT={port}"], cwd=copy,
                               env=env, stdout=output, stderr=subprocess.STDOUT,
                               start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        # The first run installs from the package index: bounded only to end a hung run.
        wait_until_serving(process, base + "/zh/", timeout=900)
    except (RuntimeError, TimeoutError) as error:
        output.seek(0)
        raise AssertionError(f"{error}\n{output.read().decode(errors='replace')}") from None
    yield copy, base, process, output
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def test_make_run_serves_the_guide_with_addresses_a_browser_can_open(make_run):
    copy, base, _, _ = make_run
    with urllib.request.urlopen(base + "/en/transfer-faq/", timeout=10) as response:
        html = response.read().decode()
    # GUIDE_SITE_URL reaches the app, and names loopback rather than 0.0.0.0.
    assert f'<link rel="canonical" href="{base}/en/transfer-faq/">' in html
    assert "0.0.0.0" not in html
    with urllib.request.urlopen(base + "/sitemap.xml", timeout=10) as response:
        assert "0.0.0.0" not in response.read().decode()
    # It compiled the interface translations itself.
    assert {p.parent.parent.name for p in copy.glob("translations/*/LC_MESSAGES/messages.mo")} \
        == {"zh", "es", "en"}


def test_make_runs_venv_holds_what_serving_needs_and_stays_under_100_mb(make_run):
    copy, base, _, _ = make_run
    # A report first: the database's code runs, and Python caches its bytecode in the venv.
    assert post_report(base, "0d5e2c1a-7b3f-4a9e-8c6d-2e1f0a9b8c7d", "make run") == 201
    names = installed_names(copy / ".venv")
    assert not names & set(TEST_TOOLS), names & set(TEST_TOOLS)
    size = size_of(copy / ".venv")
    print(f"make run's venv after serving: {size / 1e6:.1f} MB")
    assert size < VENV_LIMIT, size


def test_make_run_stops_quietly_on_ctrl_c(make_run):
    _, _, process, output = make_run
    output.seek(0, os.SEEK_END)
    before = output.tell()
    os.killpg(process.pid, signal.SIGINT)  # what the terminal sends on Ctrl-C
    code = process.wait(timeout=30)
    output.seek(before)
    said = output.read().decode(errors="replace")
    # make re-raises the interrupt on itself, which the shell takes as a plain Ctrl-C.
    assert code in (0, -signal.SIGINT), (code, said)
    assert not re.search(r"\*\*\*|Error|Traceback|Interrupt", said), said
