"""The byte budgets of DESIGN.md, computed from what the app serves: bytes are deterministic."""

import re

import pytest

from web.budgets import (
    FIRST_VIEW_BUDGET,
    OFFLINE_RATIO,
    SW_BUDGET,
    br_size,
    content_floor,
    first_view,
    offline_total,
    served_bytes,
)
from web.build import build_of
from web.config import LANGUAGES, PAGES
from web.site import first_view_urls
from web.urls import offline_url, page_url


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_first_view_of_every_page_fits_in_14_kb(app, client, lang):
    static = build_of(app).static
    for slug in PAGES:
        assets = first_view_urls(static, slug)
        # The page loads exactly these: its one stylesheet and its one script (offline-help:
        # and share.js, which makes the single-file guide from the saved pages).
        html = client.get(page_url(lang, slug)).text
        loaded = re.findall(r'<(?:link rel="stylesheet"|script) (?:href|src)="([^"]+)"', html)
        assert loaded == assets and len(assets) == (3 if slug == "offline-help" else 2), loaded
        sizes = first_view(client, page_url(lang, slug), assets)
        assert sum(sizes.values()) <= FIRST_VIEW_BUDGET, (lang, slug, sizes)


def test_service_worker_fits_in_its_budget(client):
    assert br_size(served_bytes(client, "/sw.js")) <= SW_BUDGET


@pytest.mark.parametrize("site_url", ["", "https://guide.example"])
def test_whole_guide_offline_is_within_2x_the_content_floor(make_app, site_url):
    # With SITE_URL too, as deployed: absolute links and share-preview URLs add bytes to pages.
    app = make_app(SITE_URL=site_url)
    client = app.test_client()
    floor = content_floor(app.config["CONTENT_DIR"])
    total = offline_total(client, build_of(app).precache)
    assert floor > 10_000  # the guide is real: pages of text, not a stub
    assert total <= OFFLINE_RATIO * floor, (total, floor, total / floor)


def test_nothing_served_names_another_origin(client, app):
    """No page, stylesheet, script, manifest or worker refers to http(s)://elsewhere."""
    urls = [e["url"] for e in build_of(app).precache] + ["/sw.js"]
    urls += [offline_url(lang) for lang in LANGUAGES]
    pattern = re.compile(rb"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", re.I)
    for url in urls:
        if url.endswith(".png"):
            continue
        body = served_bytes(client, url)
        # The SVG namespace is an identifier, not a request.
        found = [m for m in pattern.findall(body) if m != b"http://www.w3.org"]
        assert found == [], (url, found)
