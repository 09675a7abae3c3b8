"""The documented gunicorn command behind Debian's nginx with deploy/nginx/guide-app.conf, over
HTTPS and HTTP/2: nginx passes the app's responses through untouched, and the app, told by
X-Forwarded-Proto that the request was HTTPS, adds HSTS and the Secure cookie."""



from web.build import build_of
from web.security import headers_for

#: What the app decides and nginx must pass on unchanged.
PASSED_ON = ("Content-Type", "Cache-Control", "ETag", "Content-Encoding", "Vary",
             "Content-Disposition", "Location", "Set-Cookie")


def test_nginx_passes_the_apps_responses_through_unchanged(nginx_app, documented_app):
    static = build_of(documented_app).static.urls
    client = documented_app.test_client(use_cookies=False)
    security = headers_for(https=True, hsts_max_age=documented_app.config["HSTS_MAX_AGE"])
    requests = [
        ("/es/transfer-faq/", {"Accept-Encoding": "br"}), ("/zh/", {"Accept-Encoding": "gzip"}),
        ("/en/about/", {}), ("/sw.js", {"Accept-Encoding": "br"}), ("/manifest.webmanifest", {}),
        ("/robots.txt", {}), ("/sitemap.xml", {}), ("/cuba-mobile-data-guide.html", {}),
        (static["app.css"], {"Accept-Encoding": "br"}), (static["cards/es.png"], {}),
        ("/", {"Accept-Language": "es"}), ("/en", {}), ("/es/no-such-page/", {}),
    ]
    for url, headers in requests:
        status, got, body = nginx_app.get(url, **headers)
        # The app as it answers the same request over HTTPS.
        want = client.get(url, headers=headers, base_url="https://guide.example")
        assert status == want.status_code, url
        assert body == want.data, url
        for name in PASSED_ON:
            # whitenoise's ETags hold the file's mtime, and gunicorn built its own copies.
            if name == "ETag" and url.startswith("/static/"):
                continue
            assert (got.get_all(name) or []) == want.headers.getlist(name), (url, name)
        for name, value in security:  # once: nginx adds none of its own
            assert got.get_all(name) == [value], (url, name)


def test_https_gets_hsts_and_a_secure_cookie(nginx_app):
    _, headers, _ = nginx_app.get("/es/about/")
    assert headers.get_all("Strict-Transport-Security") == ["max-age=63072000; includeSubDomains"]
    cookie = headers["Set-Cookie"].split("; ")
    assert cookie[0] == "lang=es" and "Secure" in cookie and "SameSite=Lax" in cookie


def test_redirects_stay_on_https_and_take_nothing_from_host(nginx_app):
    # The app's own redirect (308, relative: never from Host), then nginx's two to https.
    assert nginx_app.redirects() == [(308, "/es/about/"),
                                     (301, "https://127.0.0.1/es/about/?a=1"),
                                     (301, f"{nginx_app.url}/es/")]


def test_http2(nginx_app, local_ca):
    assert nginx_app.tls(local_ca.context(alpn=("h2", "http/1.1")))[0] == "h2"



def test_bodies_over_16_kb_are_refused(nginx_app):
    status, _, _ = nginx_app.get("/en/", **{"Content-Length": str(64 * 1024)})
    assert status == 413


def test_observatory_grades_it_a_plus_over_https(observatory, nginx_app, local_ca):
    report = observatory(f"127.0.0.1:{nginx_app.https_port}", ca=local_ca.ca)
    scan, tests = report["scan"], report["tests"]
    failed = {name: t["result"] for name, t in tests.items() if not t["pass"]}
    assert failed == {} and scan["grade"] == "A+", (scan, failed)
    assert tests["redirection"]["result"] == "redirection-to-https"
    assert tests["strict-transport-security"]["result"] == (
        "hsts-implemented-max-age-at-least-six-months")
    assert tests["cookies"]["result"] == "cookies-secure-with-httponly-sessions-and-samesite"
    print(f"Observatory, app behind nginx over HTTPS: grade {scan['grade']}, score "
          f"{scan['score']}, {scan['testsPassed']}/{scan['testsQuantity']} passed")


def test_certbot_challenges_are_served_over_plain_http_from_the_webroot(nginx_app):
    """certbot's webroot method proves the domain over port 80: first certificate, renewals."""
    token = "Yx2-kq_9TOKEN"
    assert nginx_app.acme_challenge(token, b"Yx2-kq_9TOKEN.keyauth") == (
        200, "text/plain", b"Yx2-kq_9TOKEN.keyauth")
    # Nothing else on plain http is served: everything else goes to https.
    assert nginx_app.redirects()[1] == (301, "https://127.0.0.1/es/about/?a=1")
