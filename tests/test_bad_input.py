"""Bad input gets a clear 4xx, never a 500, never a leaked file, never an open redirect."""

import re
from urllib.parse import unquote_to_bytes

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from web.build import build_of
from web.config import LANGUAGES
from web.urls import report_path

EXTRA_ROUTES = ["/", "/sw.js", "/healthz", "/nope/", "/en", "/static/nope.css"]

TRICKS = [
    "/../../etc/passwd",
    "/en/../../etc/passwd",
    "/en/..%2F..%2Fetc%2Fpasswd/",
    "/static/..%2F..%2Fweb%2F__init__.py",
    "/static/../web/__init__.py",
    "/en/%2e%2e/%2e%2e/pyproject.toml",
    "/en/about%00/",
    "/en/%00",
    "/%ff%fe/",
    "/en/%c0%ae%c0%ae/",
    "/en/" + "a" * 8000 + "/",
    "/" + "x/" * 4000,
    "//evil.example/",
    "//evil.example/en",
    "/\\evil.example/",
    "/en/about/?next=//evil.example",
    "/%0d%0aSet-Cookie:%20x=y/",
]


def raw_get(client, path, **kwargs):
    """GET a raw request target, with PATH_INFO decoded exactly as a WSGI server does it."""
    raw, _, query = path.partition("?")
    path_info = unquote_to_bytes(raw).decode("latin-1")
    return client.get("/", query_string=query, **kwargs,
                      environ_overrides={"PATH_INFO": path_info, "REQUEST_URI": path})


@pytest.mark.parametrize("path", TRICKS)
def test_path_tricks_are_4xx_or_safe_redirects(client, path):
    response = raw_get(client, path)
    assert response.status_code < 500
    body = response.get_data()
    assert b"root:x:0" not in body and b"create_app" not in body and b"[project]" not in body
    if response.status_code in (301, 302, 307, 308):
        location = response.headers["Location"]
        # Same host only: a relative path (not //host) or an absolute URL on our own host.
        assert location.startswith("http://localhost/") or (
            location.startswith("/") and not location.startswith(("//", "/\\"))), location
    assert "x=y" not in response.headers.get("Set-Cookie", "")


@pytest.mark.parametrize("header", [
    "", ";;;", "*", "q=1", "en;q=abc", "zh;q=2.5", "x" * 5000, "en-US,\x00,es", "é,ü;q=0.5",
    ",".join(f"l{i};q=0.{i % 10}" for i in range(500)),
])
def test_malformed_accept_language(client, header):
    for path in ("/", "/xx/"):
        response = client.get(path, headers={"Accept-Language": header})
        assert response.status_code in (302, 404)


@pytest.mark.parametrize("cookie", ["lang=", "lang=fr", "lang=%00", "lang=" + "z" * 4000,
                                    "lang=\"en\"", "lang=en; lang=es", "===", "lang"])
def test_junk_cookies(raw_client, cookie):
    for path in ("/", "/en/", "/xx/"):
        response = raw_client.get(path, headers={"Cookie": cookie})
        assert response.status_code in (200, 302, 404)
    location = raw_client.get("/", headers={"Cookie": cookie}).headers["Location"]
    assert location in ("/zh/", "/en/", "/es/")


REPORT_FORMS = {report_path(lang) for lang in LANGUAGES}


@pytest.mark.parametrize("method", ["HEAD", "OPTIONS", "POST", "DELETE", "PUT", "PATCH"])
def test_odd_methods_on_every_route(client, app, method):
    urls = [e["url"] for e in build_of(app).precache] + EXTRA_ROUTES
    for path in urls:
        response = client.open(path, method=method)
        get = client.get(path).status_code
        if method == "HEAD":
            assert response.status_code == get and response.data == b"", path
        elif method == "OPTIONS":
            # Flask answers 200 with Allow; whitenoise (static files) answers 405 with Allow.
            allowed = (404,) if get == 404 else (200, 405, get)
            assert response.status_code in allowed, (path, response.status_code)
            if response.status_code in (200, 405):
                assert "GET" in response.headers["Allow"]
        elif method == "POST" and path in REPORT_FORMS:  # an empty report: refused, not stored
            assert response.status_code == 400, path
        else:
            assert response.status_code in (404, 405), (method, path, response.status_code)
            if response.status_code == 405:
                assert "GET" in response.headers["Allow"]


def test_large_body_is_refused(client):
    response = client.post("/en/", data=b"x" * 100_000)
    assert response.status_code in (405, 413)


paths = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300
).map(lambda s: "/" + s)
header_values = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=255), max_size=200)


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=paths, accept=header_values, cookie=header_values, encoding=header_values,
       etag=header_values)
def test_no_5xx_for_random_requests(client, path, accept, cookie, encoding, etag):
    from urllib.parse import quote

    response = raw_get(
        client,
        quote(path, safe="/%?=&;~"),
        headers={"Accept-Language": accept, "Cookie": cookie, "Accept-Encoding": encoding,
                 "If-None-Match": etag},
    )
    assert response.status_code < 500


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.binary(max_size=400), lang=st.sampled_from(["en", "es", "zh", "xx"]))
def test_search_takes_any_bytes(client, query, lang):
    """Any bytes in q (NUL, invalid UTF-8, markup, quotes): a 200 or a 4xx, never a 500 and never
    reflected markup."""
    from urllib.parse import quote_from_bytes

    response = client.get(f"/{lang}/search/?q={quote_from_bytes(query)}")
    assert response.status_code == (404 if lang == "xx" else 200)
    html = response.get_data(as_text=True)
    assert "\x00" not in html
    # What the reader typed only ever appears escaped: no tag of ours starts with what they sent.
    assert len(re.findall(r"<script", html)) == 1
    tags = ("html|head|meta|title|link|script|body|a|header|nav|ul|li|span|form|label|input|"
            "button|main|article|h1|h2|p|ol|br|mark|footer")
    assert not re.search(rf"<(?!/?(?:{tags})\b|!doctype)", html)
