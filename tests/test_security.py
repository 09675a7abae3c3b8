"""Security headers on every kind of response, HSTS only over HTTPS, and the language cookie."""

import pytest

from web.build import build_of
from web.security import CONTENT_SECURITY_POLICY

EXPECTED = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def routes(app):
    """Return (what, method, path, headers, status) for every kind of response the app gives."""
    static = build_of(app).static.urls
    return [
        ("page", "GET", "/zh/transfer-faq/", {}, 200),
        ("home", "GET", "/es/", {}, 200),
        ("page, br", "GET", "/en/about/", {"Accept-Encoding": "br"}, 200),
        ("304", "GET", "/en/about/", {"If-None-Match": "*"}, 304),
        ("HEAD", "HEAD", "/en/about/", {}, 200),
        ("405", "POST", "/en/about/", {}, 405),
        ("root redirect", "GET", "/", {}, 302),
        ("slash redirect", "GET", "/en", {}, 308),
        ("unknown page", "GET", "/es/nope/", {}, 404),
        ("unknown language", "GET", "/fr/", {}, 404),
        ("offline page", "GET", "/zh/offline/", {}, 200),
        ("stylesheet", "GET", static["app.css"], {}, 200),
        ("script", "GET", static["app.js"], {"Accept-Encoding": "gzip"}, 200),
        ("icon", "GET", static["icons/icon-192.png"], {}, 200),
        ("unhashed static", "GET", "/static/app.css", {}, 404),
        ("worker", "GET", "/sw.js", {}, 200),
        ("manifest", "GET", "/manifest.webmanifest", {}, 200),
        ("health", "GET", "/healthz", {}, 200),
    ]


def test_every_kind_of_response_carries_the_security_headers(client, app):
    for what, method, path, headers, status in routes(app):
        response = client.open(path, method=method, headers=headers)
        assert response.status_code == status, (what, response.status_code)
        for name, value in EXPECTED.items():
            assert response.headers.get(name) == value, (what, name)
        assert "camera=()" in response.headers["Permissions-Policy"], what
        assert response.headers.getlist("Content-Security-Policy") == [CONTENT_SECURITY_POLICY]
        assert "Strict-Transport-Security" not in response.headers, what  # plain http


def test_policy_allows_nothing_inline_and_nothing_from_elsewhere():
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert "unsafe" not in CONTENT_SECURITY_POLICY
    assert directives["script-src"] == directives["style-src"] == "'self'"
    assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == directives["base-uri"] == "'none'"


def test_hsts_only_over_https(app, make_app):
    https = app.test_client().get("/en/", base_url="https://guide.example")
    assert https.headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains"
    assert "Strict-Transport-Security" not in app.test_client().get("/en/").headers
    static = build_of(app).static.urls["app.css"]
    assert "Strict-Transport-Security" in app.test_client().get(
        static, base_url="https://guide.example").headers
    off = make_app(HSTS_MAX_AGE=0).test_client().get("/en/", base_url="https://guide.example")
    assert "Strict-Transport-Security" not in off.headers


@pytest.mark.parametrize(("base_url", "secure"), [
    ("https://guide.example", True),  # production behind TLS
    ("http://127.0.0.1:8000", True),  # loopback is a secure context: browsers keep it
    ("http://localhost", True),
    ("http://guide.example", False),  # plain http elsewhere: a Secure cookie would be dropped
])
def test_language_cookie_attributes(raw_client, base_url, secure):
    cookie = raw_client.get("/es/about/", base_url=base_url).headers["Set-Cookie"]
    parts = [p.strip() for p in cookie.split(";")]
    assert parts[0] == "lang=es"
    assert "Path=/" in parts and "SameSite=Lax" in parts
    assert int(next(p for p in parts if p.startswith("Max-Age="))[8:]) >= 365 * 24 * 3600
    assert ("Secure" in parts) is secure


def test_only_valid_languages_are_written(raw_client):
    for path in ("/fr/", "/xx/about/", "/es/nope/", "/", "/static/app.css"):
        response = raw_client.get(path, headers={"Cookie": "lang=fr"})
        assert "Set-Cookie" not in response.headers, path
