"""Mozilla's HTTP Observatory, run locally against the real app on 127.0.0.1.

Every test it runs must pass except the two that need TLS: a redirect from http to https, and
HSTS (sent only over HTTPS; see tests/test_security.py and docs/deploy.md).
"""

import json
import shutil
import subprocess

import pytest
from tooling import skip_or_fail

from web.config import PROJECT_ROOT

HERE = PROJECT_ROOT / "tests" / "observatory"
SCAN = HERE / "node_modules" / ".bin" / "mdn-http-observatory-scan"
PACKAGE = HERE / "node_modules" / "@mdn" / "mdn-http-observatory"
NEED_TLS = {
    "redirection": "redirection-not-to-https",
    "strict-transport-security": "hsts-not-implemented-no-https",
}


@pytest.fixture(scope="session")
def observatory():
    """Return the scan command, installing the pinned Observatory from npm when missing."""
    if not SCAN.exists():
        npm = shutil.which("npm")
        if npm is None:
            skip_or_fail("OBSERVATORY TEST SKIPPED: no npm (apt-get install npm)")
        # Its install script fetches a CA bundle from the internet: skip it (not needed here).
        subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=HERE,
                       check=True, timeout=600, capture_output=True)
    # The preload list is fetched by that install script too; an empty one means "not preloaded".
    preload = PACKAGE / "conf" / "hsts-preload.json"
    if not preload.exists():
        preload.write_text("{}\n", encoding="utf-8")
    return SCAN


def test_observatory_passes_every_test_that_does_not_need_tls(observatory, server):
    host = server.url.removeprefix("http://")
    result = subprocess.run([str(observatory), host], capture_output=True, text=True,
                            timeout=120, check=True)
    report = json.loads(result.stdout)
    assert report["scan"]["error"] is None, report["scan"]
    tests = report["tests"]
    failed = {name: t["result"] for name, t in tests.items() if not t["pass"]}
    assert failed == NEED_TLS, failed
    assert tests["content-security-policy"]["result"] == "csp-implemented-with-no-unsafe"
    assert tests["cookies"]["result"] == "cookies-secure-with-httponly-sessions-and-samesite"
    assert tests["cross-origin-resource-policy"]["result"] == "corp-implemented-with-same-origin"
    assert tests["referrer-policy"]["result"] == "referrer-policy-private"
    assert len(tests) == 10
    print(f"Observatory on plain http: grade {report['scan']['grade']}, "
          f"score {report['scan']['score']}, {report['scan']['testsPassed']}/10 passed")
