"""The production command from the README, `gunicorn "web:create_app()"`, serves the guide."""

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from web.config import PROJECT_ROOT


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_serves_pages_and_static_files(tmp_path):
    port = free_port()
    gunicorn = Path(sys.executable).parent / "gunicorn"
    process = subprocess.Popen(
        [str(gunicorn), "--workers", "2", "--bind", f"127.0.0.1:{port}", "web:create_app()"],
        cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                    assert response.read() == b"ok\n"
                break
            except OSError:
                assert process.poll() is None, process.stdout.read().decode()
                assert time.monotonic() < deadline, "gunicorn did not answer in 30 s"
                time.sleep(0.2)
        with urllib.request.urlopen(base + "/zh/transfer-faq/", timeout=5) as response:
            html = response.read().decode()
            assert response.status == 200
        assert '<html lang="zh-Hans">' in html
        css = html.split('rel="stylesheet" href="')[1].split('"')[0]
        with urllib.request.urlopen(base + css, timeout=5) as response:
            assert response.status == 200
            assert "immutable" in response.headers["Cache-Control"]
    finally:
        process.terminate()
        process.wait(timeout=10)
