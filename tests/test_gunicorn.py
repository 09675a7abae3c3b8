"""The production command from the README, `gunicorn "web:create_app()"`, serves the guide."""

import subprocess
import urllib.request

from servers import free_port, gunicorn_command, wait_until_serving

from web.config import PROJECT_ROOT


def test_gunicorn_serves_pages_and_static_files(tmp_path):
    port = free_port()
    process = subprocess.Popen(gunicorn_command(port), cwd=PROJECT_ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_until_serving(process, base + "/healthz", timeout=30) == b"ok\n"
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
