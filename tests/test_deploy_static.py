"""The export, made as docs/deploy.md says, served by Debian's nginx with deploy/nginx/guide.conf
over HTTPS: each URL's type and headers, the compressed twins, the 404 page, the redirects.

The expected headers come from the export's `_headers` (copied from the app, see test_export.py)
and from web/security.py, so nginx, the app and the other static hosts cannot drift apart.
"""

import re
import ssl
import subprocess

import pytest
from live_deploy import (
    ACME,
    DEPLOY,
    DOCS,
    WEBROOT,
    Nginx,
    documented_command,
    fetch_plain,
    free_port,
    localize,
    missing_tools,
)
from tooling import skip_or_fail

from web.config import PROJECT_ROOT
from web.export import NOT_FOUND, export_build, export_urls, file_for
from web.security import headers_for

#: Two names for one type (RFC 9239 made text/javascript the one; RFC 7303 says the same of
#: application/xml); Debian's mime.types uses the older names.
SAME_TYPE = {"application/javascript": "text/javascript", "text/xml": "application/xml"}
TEXT_TYPES = ("text/", "application/javascript", "application/manifest+json")


def media_type(value):
    """Return the media type of a Content-Type value, with equivalent names made one."""
    kind = value.split(";")[0].strip().lower()
    return SAME_TYPE.get(kind, kind)


def header_rules(export):
    """Return [(pattern, {name: value})] from the export's `_headers` file."""
    rules = []
    for line in (export / "_headers").read_text(encoding="utf-8").splitlines():
        if line.startswith(" "):
            name, value = line.strip().split(": ", 1)
            rules[-1][1][name] = value
        else:
            rules.append((line, {}))
    return rules


def expected_headers(rules, url):
    """Return the headers `_headers` gives a URL: every matching rule, merged in order."""
    merged = {}
    for pattern, headers in rules:
        if url == pattern or (pattern.endswith("*") and url.startswith(pattern[:-1])):
            merged.update(headers)
    return merged


@pytest.fixture(scope="module")
def urls(documented_app):
    """Return every URL of the export."""
    return export_urls(export_build(documented_app))


def test_every_url_has_its_type_and_the_headers_of_headers_file(nginx_export, documented_app,
                                                                 documented_export, urls):
    pack = export_build(documented_app).pack.url
    rules = header_rules(documented_export)
    security = headers_for(https=True, hsts_max_age=documented_app.config["HSTS_MAX_AGE"])
    client = documented_app.test_client()
    for url in urls:
        status, headers, body = nginx_export.get(url)
        assert status == 200, url
        assert body == (documented_export / file_for(url)).read_bytes(), url
        for name, value in expected_headers(rules, url).items():
            if name == "Content-Type":
                assert media_type(headers[name]) == media_type(value), url
            else:
                assert headers.get_all(name) == [value], (url, name)
        for name, value in security:
            assert headers.get_all(name) == [value], (url, name)
        # The app redirects /, where the export has a page that picks the language; the
        # export's own pack (its pages offer no report) is not the app's.
        if url not in ("/", pack):
            served = client.get(url, base_url="https://guide.example").headers["Content-Type"]
            assert media_type(headers["Content-Type"]) == media_type(served), url
        if headers["Content-Type"].startswith(TEXT_TYPES):
            assert headers["Content-Type"].endswith("; charset=utf-8"), url
        assert headers["Server"] == "nginx", url  # server_tokens off: no version


def test_the_types_a_browser_needs(nginx_export, documented_app):
    """The regression of issue 13: a `types` block once sent all of these as text/plain."""
    static = export_build(documented_app).static.urls
    expected = {
        "/es/transfer-faq/": "text/html",
        "/": "text/html",
        "/sw.js": "application/javascript",  # mime.types' name; browsers accept both
        "/manifest.webmanifest": "application/manifest+json",
        static["app.css"]: "text/css",
        static["app.js"]: "application/javascript",
        static["icons/icon-192.png"]: "image/png",
        static["cards/zh.png"]: "image/png",
        static["icons/icon.svg"]: "image/svg+xml",
        "/robots.txt": "text/plain",
        "/sitemap.xml": "text/xml",
    }
    for url, kind in expected.items():
        content_type = nginx_export.get(url)[1]["Content-Type"]
        assert content_type.split(";")[0] == kind, (url, content_type)


def test_twins_follow_accept_encoding(nginx_export, documented_export, urls):
    for url in urls:
        path = documented_export / file_for(url)
        has_twins = path.with_name(path.name + ".br").exists()
        for accept, encoding, suffix in (("br", "br", ".br"), ("gzip", "gzip", ".gz"),
                                         ("gzip, deflate, br", "br", ".br"),
                                         ("identity", None, "")):
            if not has_twins:  # PNG: compressed already, sent as it is whatever is accepted
                encoding, suffix = None, ""
            _, headers, body = nginx_export.get(url, **{"Accept-Encoding": accept})
            assert headers.get("Content-Encoding") == encoding, (url, accept)
            assert body == path.with_name(path.name + suffix).read_bytes(), (url, accept)
            if has_twins:
                assert "Accept-Encoding" in headers["Vary"], url


def test_unknown_url_gets_the_guides_404_page(nginx_export, documented_export, documented_app):
    app_404 = documented_app.test_client().get("/zh/no-such-page/")
    for url in ("/zh/no-such-page/", "/nothing-here", "/static/app.css"):
        status, headers, body = nginx_export.get(url)
        assert status == 404, url
        assert body == (documented_export / NOT_FOUND).read_bytes(), url
        assert headers["Cache-Control"] == app_404.headers["Cache-Control"] == "no-store"
        assert headers.get_all("Content-Security-Policy") == [
            app_404.headers["Content-Security-Policy"]]


def test_revalidation_answers_304(nginx_export):
    _, headers, _ = nginx_export.get("/en/about/", **{"Accept-Encoding": "br"})
    etag = headers["ETag"]
    assert not etag.startswith("W/")
    status, again, body = nginx_export.get("/en/about/", **{"Accept-Encoding": "br",
                                                             "If-None-Match": etag})
    assert (status, body) == (304, b"")
    assert again["Cache-Control"] == "no-cache"


def test_redirects_stay_on_https_and_take_nothing_from_host(nginx_export):
    # A folder without its slash: a relative redirect, whatever the Host header says; plain http
    # on port 80, and plain http sent to the https port, go to https.
    assert nginx_export.redirects() == [(301, "/es/about/"),
                                        (301, "https://127.0.0.1/es/about/?a=1"),
                                        (301, f"{nginx_export.url}/es/")]


def test_http2_and_tls_12_for_older_phones(nginx_export, local_ca):
    assert nginx_export.tls(local_ca.context(alpn=("h2", "http/1.1"))) == ("h2", "TLSv1.3")
    older = local_ca.context()
    older.maximum_version = ssl.TLSVersion.TLSv1_2  # Android before 10 has no TLS 1.3
    assert nginx_export.tls(older)[1] == "TLSv1.2"


def test_observatory_grades_it_a_plus_over_https(observatory, nginx_export, local_ca):
    report = observatory(f"127.0.0.1:{nginx_export.https_port}", ca=local_ca.ca)
    scan = report["scan"]
    failed = {name: t["result"] for name, t in report["tests"].items() if not t["pass"]}
    assert failed == {} and scan["grade"] == "A+", (scan, failed)
    assert report["tests"]["redirection"]["result"] == "redirection-to-https"
    assert report["tests"]["strict-transport-security"]["result"] == (
        "hsts-implemented-max-age-at-least-six-months")
    print(f"Observatory, export on nginx over HTTPS: grade {scan['grade']}, score "
          f"{scan['score']}, {scan['testsPassed']}/{scan['testsQuantity']} passed")


def test_certbot_challenges_are_served_over_plain_http_from_the_webroot(nginx_export):
    """certbot's webroot method proves the domain over port 80: first certificate, renewals."""
    token = "Yx2-kq_9TOKEN"
    assert nginx_export.acme_challenge(token, b"Yx2-kq_9TOKEN.keyauth") == (
        200, "text/plain", b"Yx2-kq_9TOKEN.keyauth")
    # Nothing else on plain http is served: everything else goes to https.
    assert nginx_export.redirects()[1] == (301, "https://127.0.0.1/es/about/?a=1")


def test_the_first_certificate_bootstrap_serves_challenges_before_any_tls(tmp_path):
    """docs/deploy.md's bootstrap: the shipped file's plain-http block alone (no certificate
    exists yet), as its `sed` line cuts it, runs on nginx and serves certbot's challenges."""
    reason = missing_tools()
    if reason:
        skip_or_fail(f"DEPLOY TESTS SKIPPED: {reason}")
    _, argv = documented_command("sed")
    assert argv[argv.index(">") - 1] == "deploy/nginx/guide.conf"
    block = subprocess.run(argv[:argv.index(">")], cwd=PROJECT_ROOT, capture_output=True,
                           text=True, check=True).stdout
    # Both configs end with the same plain-http block: either bootstraps either way.
    app_conf = (DEPLOY / "guide-app.conf").read_text(encoding="utf-8")
    assert app_conf.endswith(block) and "ssl_certificate" not in block
    port, webroot = free_port(), tmp_path / "letsencrypt"
    (webroot / ACME).mkdir(parents=True)
    (webroot / ACME / "tok").write_bytes(b"tok.auth")
    site = localize(block, listen={"80": f"127.0.0.1:{port}"}, certificate=None,
                    roots={WEBROOT: webroot}, tls=False)
    nginx = Nginx(tmp_path / "nginx", site, wait_for=port)
    try:
        assert fetch_plain(port, f"/{ACME}/tok")[::2] == (200, b"tok.auth")
        assert fetch_plain(port, "/zh/")[0] == 301
    finally:
        nginx.stop()
    # certbot writes into the same webroot, and reloads nginx after each renewal.
    docs = DOCS.read_text(encoding="utf-8")
    certbot = re.search(r"certbot certonly --webroot -w (\S+) .*--deploy-hook \"([^\"]+)\"", docs)
    assert certbot and certbot[1] == WEBROOT and "reload nginx" in certbot[2]
