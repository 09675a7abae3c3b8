"""Mozilla's HTTP Observatory, run locally against the real app on 127.0.0.1.

Every test it runs must pass except the two that need TLS: a redirect from http to https, and
HSTS (sent only over HTTPS; tests/test_deploy_app.py scans the app over HTTPS behind nginx).
"""

NEED_TLS = {
    "redirection": "redirection-not-to-https",
    "strict-transport-security": "hsts-not-implemented-no-https",
}


def test_observatory_passes_every_test_that_does_not_need_tls(observatory, server):
    report = observatory(server.url.removeprefix("http://"))
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
