"""What search engines and chat apps read: absolute links from SITE_URL (never from Host), the
sitemap, robots.txt, Open Graph share previews and their cards."""

import logging
import os
import struct
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from babel.support import Translations

from web.build import build_of
from web.config import LANGUAGES, PAGES, PROJECT_ROOT
from web.seo import CARD, CARD_SIZE, NO_SITE_URL, site_origin
from web.urls import page_url

ORIGIN = "https://guide.example"
ALL_PAGES = [(lang, slug) for lang in LANGUAGES for slug in PAGES]
CARD_BUDGET = 30_000
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


class Head(HTMLParser):
    """Collect a page's <meta property/name> values and <link> tags."""

    def __init__(self, html):
        super().__init__()
        self.meta, self.links = [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta.append((attrs.get("property") or attrs["name"], attrs["content"]))
        elif tag == "link":
            self.links.append(attrs)

    def values(self, key):
        return [value for name, value in self.meta if name == key]


@pytest.fixture(scope="module")
def site_app(make_app):
    return make_app(SITE_URL=ORIGIN + "/")


def png_facts(data):
    """Return (width, height, {keyword: (language tag, text)} of its iTXt chunks) of a PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    texts, at = {}, 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + length]
        if kind == b"iTXt":
            keyword, rest = body.split(b"\0", 1)
            language, _, text = rest[2:].split(b"\0", 2)
            texts[keyword.decode()] = (language.decode(), text.decode())
        at += 12 + length
    return width, height, texts


@pytest.mark.parametrize(("value", "origin"), [
    ("", ""), ("https://guide.example", ORIGIN), ("https://Guide.Example/", ORIGIN),
    ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
])
def test_site_url_is_an_origin(value, origin):
    assert site_origin(value) == origin


@pytest.mark.parametrize("value", ["guide.example", "ftp://guide.example",
                                   "https://guide.example/guide/", "https://guide.example/?a",
                                   "https://user@guide.example", "https://",
                                   "https://guide.example:port"])
def test_site_url_that_is_not_an_origin_stops_startup(make_app, value):
    with pytest.raises(ValueError, match="SITE_URL must be an origin"):
        make_app(SITE_URL=value)


def test_without_site_url_the_app_warns_and_keeps_links_relative(make_app, caplog):
    app = make_app()
    client = app.test_client()
    with caplog.at_level(logging.WARNING):
        app.test_cli_runner().invoke(args=["content", "check"])
    assert NO_SITE_URL not in caplog.text  # no absolute link is built there: no false alarm
    with caplog.at_level(logging.WARNING):
        head = Head(client.get("/es/about/").get_data(as_text=True))
        client.get("/zh/")
    assert caplog.text.count(NO_SITE_URL) == 1  # where pages are served, once
    assert {"rel": "canonical", "href": "/es/about/"} in head.links
    assert head.values("og:url") == head.values("og:image") == []
    assert head.values("twitter:card") == ["summary"]
    assert client.get("/sitemap.xml").status_code == 404
    assert "Sitemap" not in client.get("/robots.txt").get_data(as_text=True)


@pytest.mark.parametrize(("lang", "slug"), ALL_PAGES)
def test_every_page_has_absolute_links_and_a_share_preview(site_app, lang, slug):
    client = site_app.test_client()
    page = build_of(site_app).guide.page(lang, slug)
    # Pages are rendered once; no Host header can get into them.
    html = client.get(page_url(lang, slug), headers={"Host": "evil.example"}).get_data(as_text=True)
    assert "evil.example" not in html
    head = Head(html)
    url = ORIGIN + page_url(lang, slug)
    assert {"rel": "canonical", "href": url} in head.links
    alternates = {link["hreflang"]: link["href"] for link in head.links
                  if link.get("rel") == "alternate"}
    assert alternates == {language.html_lang: ORIGIN + page_url(code, slug)
                          for code, language in LANGUAGES.items()}
    card = ORIGIN + build_of(site_app).static.urls[CARD.format(lang=lang)]
    assert head.values("og:title") == [page.title]
    assert head.values("og:description") == [page.description]
    assert head.values("og:url") == [url]
    assert head.values("og:locale") == [LANGUAGES[lang].og_locale]
    assert sorted(head.values("og:locale:alternate")) == sorted(
        language.og_locale for code, language in LANGUAGES.items() if code != lang)
    assert head.values("og:image") == [card]
    assert head.values("twitter:card") == ["summary_large_image"]


def test_cards_are_small_pngs_titled_in_their_language(site_app, client):
    catalogs = PROJECT_ROOT / "translations"
    for code, language in LANGUAGES.items():
        url = build_of(site_app).static.urls[CARD.format(lang=code)]
        response = client.get(url)
        assert response.status_code == 200 and response.mimetype == "image/png"
        assert "immutable" in response.headers["Cache-Control"]
        assert len(response.data) <= CARD_BUDGET, (code, len(response.data))
        width, height, texts = png_facts(response.data)
        assert (width, height) == CARD_SIZE
        title = Translations.load(str(catalogs), [code]).gettext("Cuba mobile data guide")
        # The card was drawn with the title the pages show: else run `make icons`.
        assert texts["Title"] == (language.html_lang, title), "run `make icons`"


def test_sitemap_lists_every_page_with_its_alternates(site_app):
    response = site_app.test_client().get("/sitemap.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    assert response.headers["Cache-Control"] == "no-cache"
    root = ET.fromstring(response.data)
    entries = root.findall("s:url", NS)
    guide = build_of(site_app).guide
    assert [e.find("s:loc", NS).text for e in entries] == [
        ORIGIN + page_url(lang, slug) for lang, slug in ALL_PAGES]
    for entry, (lang, slug) in zip(entries, ALL_PAGES, strict=True):
        assert entry.find("s:lastmod", NS).text == guide.page(lang, slug).updated.isoformat()
        links = {link.get("hreflang"): link.get("href") for link in entry.findall("x:link", NS)}
        assert links == {language.html_lang: ORIGIN + page_url(code, slug)
                         for code, language in LANGUAGES.items()}


def test_robots_txt_points_to_the_sitemap(site_app):
    response = site_app.test_client().get("/robots.txt", headers={"Host": "evil.example"})
    assert response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "User-agent: *"
    assert f"Sitemap: {ORIGIN}/sitemap.xml" in lines
    assert "Disallow: /cuba-mobile-data-guide.html" in lines
    assert not any(line == "Disallow: /" for line in lines)


def test_sitemap_robots_and_cards_are_exported_but_not_precached(site_app, tmp_path):
    precached = {entry["url"] for entry in build_of(site_app).precache}
    cards = {build_of(site_app).static.urls[CARD.format(lang=code)] for code in LANGUAGES}
    assert not ({"/sitemap.xml", "/robots.txt"} | cards) & precached
    result = site_app.test_cli_runner().invoke(args=["export", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for url in {"/sitemap.xml", "/robots.txt"} | cards:
        assert (tmp_path / url.lstrip("/")).is_file(), url
    assert (tmp_path / "sitemap.xml").read_bytes() == site_app.test_client().get(
        "/sitemap.xml").data


@pytest.mark.parametrize("host", ["127.0.0.1", "0.0.0.0", "::"])
def test_make_run_gives_the_app_its_own_address(host):
    """The links name an address a browser can open: never 0.0.0.0 or ::. (The address the run
    target exports; tests/test_make_run.py runs it for real with HOST=0.0.0.0.)"""
    env = {k: v for k, v in os.environ.items() if k != "GUIDE_SITE_URL"}
    printed = subprocess.run(
        ["make", "-s", "--eval", "print-site-url: ; @echo $(GUIDE_SITE_URL)", "print-site-url",
         f"HOST={host}", "PORT=8123"], cwd=PROJECT_ROOT, capture_output=True, text=True, env=env,
        check=True).stdout
    assert printed == "http://127.0.0.1:8123\n", printed
    assert "run: export GUIDE_SITE_URL := $(GUIDE_SITE_URL)" in (
        PROJECT_ROOT / "Makefile").read_text()


def test_redirects_take_nothing_from_the_host_header(client):
    for path, target in (("/es/about", "/es/about/"), ("/en?x=1", "/en/?x=1"),
                         ("/zh//about", "/zh/about/")):
        response = client.get(path, headers={"Host": "evil.example"})
        assert response.status_code == 308, path
        assert response.headers["Location"] == target, path
        assert b"evil.example" not in response.data, path
