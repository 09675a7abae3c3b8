"""The scripts run on our readers' browsers: the committed .browserslistrc (Chrome and Android
WebView 61+, Samsung Internet 8.2+, iOS 11.3+, Firefox 60+).

Two halves, with the tools from npm (tests/compat/package.json, installed by the test like the
Observatory):
- syntax, es-check, on the scripts as served (minified, constants filled in): what the browser
  parses;
- APIs, eslint-plugin-compat, on the sources, where a guarded use says so in a comment.
es-check's StringMatchAll is left to eslint: es-check takes the worker's `clients.matchAll`
(Clients, Chrome 40) for String.prototype.matchAll (Chrome 73).
"""

import os
import shutil
import subprocess

import pytest
from tooling import skip_or_fail

from web.build import build_of
from web.config import PROJECT_ROOT

COMPAT = PROJECT_ROOT / "tests" / "compat"
BROWSERS = PROJECT_ROOT / ".browserslistrc"
SOURCES = ["web/static/app.js", "web/static/share.js",
           *sorted(p.relative_to(PROJECT_ROOT).as_posix()
                   for p in (PROJECT_ROOT / "service_worker").glob("*.js"))]


@pytest.fixture(scope="session")
def tools():
    """Return (es_check, eslint) paths, installing the pinned tools from npm if missing."""
    npm, node = shutil.which("npm"), shutil.which("node")
    if npm is None or node is None:
        skip_or_fail("COMPATIBILITY TESTS SKIPPED: no npm (apt-get install npm)")
    bins = COMPAT / "node_modules" / ".bin"
    if not (bins / "eslint").exists() or not (bins / "es-check").exists():
        subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=COMPAT,
                       check=True, timeout=600, capture_output=True)
    return bins / "es-check", bins / "eslint"


def es_check(tools, folder, names):
    """Run es-check on files of a folder against the browser list; return (code, output)."""
    result = subprocess.run(
        [str(tools[0]), "checkBrowser", *names, "--checkFeatures", "--browserslistPath",
         str(BROWSERS), "--ignore", "StringMatchAll", "--noColor"],
        cwd=folder, capture_output=True, text=True, timeout=120)
    return result.returncode, result.stdout + result.stderr


def eslint(tools, folder, names):
    """Run eslint-plugin-compat on files of a folder; return (code, output)."""
    result = subprocess.run(
        [str(tools[1]), "--no-config-lookup", "-c", str(COMPAT / "eslint.config.mjs"), *names],
        cwd=folder, capture_output=True, text=True, timeout=120,
        env={**os.environ, "BROWSERSLIST_CONFIG": str(BROWSERS)})
    return result.returncode, result.stdout + result.stderr


def served_scripts(app, folder):
    """Write the scripts as the app serves them into a folder; return their names."""
    built = build_of(app)
    (folder / "sw.js").write_bytes(built.service_worker.data)
    for name in ("app.js", "share.js"):
        (folder / name).write_bytes(built.static.data(name))
    return ["sw.js", "app.js", "share.js"]


def test_the_served_scripts_use_no_syntax_beyond_the_browser_list(tools, app, tmp_path):
    code, output = es_check(tools, tmp_path, served_scripts(app, tmp_path))
    assert code == 0, output


def test_the_sources_use_no_api_beyond_the_browser_list(tools):
    code, output = eslint(tools, PROJECT_ROOT, SOURCES)
    assert code == 0, output


@pytest.mark.parametrize("planted", ["const y = document.body?.id;", "const z = [1].at(-1);",
                                     "const q = 'a'.matchAll(/a/g);"])
def test_the_check_fails_on_a_planted_newer_feature(tools, tmp_path, planted):
    source = (PROJECT_ROOT / "web" / "static" / "app.js").read_text(encoding="utf-8")
    (tmp_path / "app.js").write_text(source + "\n" + planted + "\n", encoding="utf-8")
    syntax, _ = es_check(tools, tmp_path, ["app.js"])
    api, _ = eslint(tools, tmp_path, ["app.js"])
    assert syntax != 0 or api != 0
    if "?." in planted:
        assert syntax != 0  # syntax: es-check's half
    else:
        assert api != 0  # an API: eslint-plugin-compat's half
