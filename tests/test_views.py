"""Pages in three languages: lang, title, interface, switcher, navigation, caching."""

import re
from html.parser import HTMLParser

import pytest
from markupsafe import escape

from web.build import build_of
from web.config import LANGUAGES, PAGES
from web.urls import page_url

ALL_PAGES = [(lang, slug) for lang in LANGUAGES for slug in PAGES]
UI = {"zh": "古巴手机流量指南", "es": "Guía de datos móviles en Cuba",
      "en": "Cuba mobile data guide"}
SKIP = {"zh": "跳到正文", "es": "Ir al contenido", "en": "Skip to content"}


class Links(HTMLParser):
    """Collect the attributes of <html>, <a>, <link>, <script>, <img> and <h1> in a page."""

    def __init__(self, html):
        super().__init__()
        self.tags = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def all(self, tag, **match):
        return [a for t, a in self.tags
                if t == tag and all(a.get(k) == v for k, v in match.items())]


@pytest.mark.parametrize(("lang", "slug"), ALL_PAGES)
def test_every_page_renders_in_its_language(client, app, lang, slug):
    response = client.get(page_url(lang, slug))
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    page = build_of(app).guide.page(lang, slug)
    doc = Links(html)
    assert doc.all("html")[0]["lang"] == LANGUAGES[lang].html_lang
    title = escape(page.title)  # as Jinja writes it: "Cuba's" is "Cuba&#39;s"
    assert f"<h1>{title}</h1>" in html
    assert f"<title>{title}" in html
    assert UI[lang] in html and SKIP[lang] in html
    # The switcher: a link to the same page in each other language, matching an alternate.
    switch = [a for a in doc.all("a") if "hreflang" in a]
    assert sorted(a["href"] for a in switch) == sorted(
        page_url(other, slug) for other in LANGUAGES if other != lang
    )
    alternates = {(a["hreflang"], a["href"]) for a in doc.all("link", rel="alternate")}
    for a in switch:
        assert (a["hreflang"], a["href"]) in alternates
    assert ("zh-Hans", page_url("zh", slug)) in alternates


def test_html_lang_values(client):
    for lang, expected in (("en", "en"), ("es", "es"), ("zh", "zh-Hans")):
        assert f'<html lang="{expected}">' in client.get(f"/{lang}/").get_data(as_text=True)


def test_home_has_table_of_contents_of_every_page(client, app):
    html = client.get("/es/").get_data(as_text=True)
    toc = html.split('class="toc"')[1].split("</nav>")[0]
    hrefs = re.findall(r'href="([^"]+)"', toc)
    assert hrefs == [page_url("es", slug) for slug in PAGES]


def test_previous_and_next_follow_reading_order(client):
    for i, slug in enumerate(PAGES):
        html = client.get(page_url("en", slug)).get_data(as_text=True)
        prev_ = re.search(r'rel="prev" href="([^"]+)"', html)
        next_ = re.search(r'rel="next" href="([^"]+)"', html)
        assert (prev_ and prev_[1]) == (page_url("en", PAGES[i - 1]) if i else None)
        following = page_url("en", PAGES[i + 1]) if i + 1 < len(PAGES) else None
        assert (next_ and next_[1]) == following


def test_no_page_names_another_origin(client):
    for lang, slug in ALL_PAGES:
        doc = Links(client.get(page_url(lang, slug)).get_data(as_text=True))
        for tag, attrs in doc.tags:
            for name in ("href", "src", "action", "srcset"):
                value = attrs.get(name)
                if value is not None:
                    # tel: dials a code on the phone itself: no request to anyone's server.
                    assert value.startswith(("/", "#", "tel:")), (lang, slug, tag, value)


def test_no_inline_script_or_style(client):
    for lang, slug in ALL_PAGES:
        html = client.get(page_url(lang, slug)).get_data(as_text=True)
        assert "<style" not in html and " style=" not in html
        # Only scripts of our own, by URL: app.js, and share.js on the page with the single file.
        scripts = re.findall(r"<script[^>]*>", html)
        assert all(re.fullmatch(r'<script src="/static/[\w.]+\.js" defer>', s) for s in scripts)
        assert len(scripts) == (2 if slug == "offline-help" else 1)
        assert "<script src=" in html and "</script>" in html


def test_root_redirects_by_cookie_then_accept_language_then_zh(raw_client):
    def location(**headers):
        response = raw_client.get("/", headers=headers)
        assert response.status_code == 302
        assert set(response.vary) >= {"Cookie", "Accept-Language"}
        return response.headers["Location"]

    assert location() == "/zh/"
    assert location(**{"Accept-Language": "es-CU,es;q=0.9,en;q=0.5"}) == "/es/"
    assert location(**{"Accept-Language": "en-GB,en;q=0.8"}) == "/en/"
    assert location(**{"Accept-Language": "zh-CN,zh;q=0.9"}) == "/zh/"
    assert location(**{"Accept-Language": "fr-FR,de;q=0.5"}) == "/zh/"
    assert location(Cookie="lang=en", **{"Accept-Language": "es"}) == "/en/"
    assert location(Cookie="lang=../../etc", **{"Accept-Language": "es"}) == "/es/"


def test_reading_a_page_remembers_its_language(client):
    response = client.get("/es/about/")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("lang=es;")
    assert "Path=/" in cookie and "SameSite=Lax" in cookie and "Max-Age=" in cookie
    assert client.get("/").headers["Location"] == "/es/"
    # Once remembered, pages stop setting it.
    assert "Set-Cookie" not in client.get("/es/").headers
    client.get("/en/esim-basics/")
    assert client.get("/").headers["Location"] == "/en/"


def test_missing_trailing_slash_redirects(client):
    for path, target in (("/en", "/en/"), ("/zh/transfer-faq", "/zh/transfer-faq/")):
        response = client.get(path)
        assert response.status_code == 308
        assert response.headers["Location"].endswith(target)


def test_unknown_page_is_404_in_the_readers_language(client):
    response = client.get("/es/no-such-page/")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert '<html lang="es">' in html and "Página no encontrada" in html
    assert 'href="/es/transfer-faq/"' in html
    response = client.get("/fr/", headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 404
    assert '<html lang="zh-Hans">' in response.get_data(as_text=True)
    assert "找不到这个页面" in response.get_data(as_text=True)


def test_pages_have_strong_etags_and_answer_304(client):
    first = client.get("/zh/transfer-faq/", headers={"Accept-Encoding": "br"})
    etag = first.headers["ETag"]
    assert not etag.startswith("W/")
    again = client.get("/zh/transfer-faq/",
                       headers={"Accept-Encoding": "br", "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert first.headers["Cache-Control"] == "no-cache"


def test_compressed_bodies_are_negotiated(client):
    import gzip

    import brotli

    plain = client.get("/en/about/", headers={"Accept-Encoding": "identity"})
    br = client.get("/en/about/", headers={"Accept-Encoding": "gzip, br"})
    gz = client.get("/en/about/", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain.headers
    assert br.headers["Content-Encoding"] == "br" and gz.headers["Content-Encoding"] == "gzip"
    assert brotli.decompress(br.data) == gzip.decompress(gz.data) == plain.data
    assert len({plain.headers["ETag"], br.headers["ETag"], gz.headers["ETag"]}) == 3
    assert "Accept-Encoding" in br.vary


def test_static_files_are_hashed_and_immutable(client, app):
    for name, url in build_of(app).static.urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
        cache_control = response.headers["Cache-Control"]
        assert "immutable" in cache_control
        assert int(re.search(r"max-age=(\d+)", cache_control)[1]) >= 365 * 24 * 3600
    assert client.get("/static/app.css").status_code == 404
    assert client.get("/static/app.css/").status_code == 404


def test_health(client):
    assert client.get("/healthz").data == b"ok\n"


def test_site_url_makes_alternates_and_canonical_absolute(make_app):
    client = make_app(SITE_URL="https://guide.example/").test_client()
    html = client.get("/es/about/").get_data(as_text=True)
    assert '<link rel="canonical" href="https://guide.example/es/about/">' in html
    alternate = '<link rel="alternate" hreflang="zh-Hans" href="https://guide.example/zh/about/">'
    assert alternate in html
    # The switcher stays relative: it must work offline and on any host.
    assert '<a href="/zh/about/" hreflang="zh-Hans"' in html
