"""The whole guide offline in real Chromium: precache, reading, switching, /, unknown URLs."""

import pytest
from helpers import SAVED, WAIT_FOR_CONTROL, cached_urls, first_visit

from web.build import build_of
from web.config import LANGUAGES, PAGES
from web.urls import page_url


def titles(app, lang):
    return [build_of(app).guide.page(lang, slug).title for slug in PAGES]


@pytest.fixture(params=["app", "export"])
def guide_server(request):
    """Serve the guide from the app, or its static export from a plain static file server."""
    return request.getfixturevalue("server" if request.param == "app" else "static_server")


def test_first_visit_to_one_page_saves_every_url_in_every_language(phone, server, app):
    page = phone.new_page()
    status = first_visit(page, server.url + "/es/getting-connected/")
    assert str(len(build_of(app).guide.pages)) in status
    urls = [e["url"] for e in build_of(app).precache]
    assert cached_urls(page, urls) == urls
    assert {"/zh/transfer-faq/", "/en/transfer-faq/", "/es/offline/"} <= set(urls)


def test_whole_guide_offline_by_clicking(phone, guide_server, app):
    server = guide_server
    page = phone.new_page()
    first_visit(page, server.url + "/en/")
    served_by_worker = []
    page.on("response", lambda r: served_by_worker.append(r.from_service_worker))
    outside = []
    phone.on("request", lambda r: r.url.startswith(server.url) or outside.append(r.url))
    server.hits.clear()
    phone.set_offline(True)

    # Every page in every language, reached by clicking: home, then "next" to the end,
    # then the switcher into the next language.
    order = ["en", "zh", "es"]
    for i, lang in enumerate(order):
        page.click(".brand")
        page.wait_for_url(server.url + page_url(lang, "index"))
        expected = titles(app, lang)
        assert page.inner_text("h1") == expected[0]
        for slug, title in zip(PAGES[1:], expected[1:], strict=True):
            page.click("a[rel=next]")
            page.wait_for_url(server.url + page_url(lang, slug))
            assert page.inner_text("h1") == title
            assert page.locator("html").get_attribute("lang") == LANGUAGES[lang].html_lang
        if i + 1 < len(order):
            page.click(f".langs a[hreflang={LANGUAGES[order[i + 1]].html_lang}]")
            page.wait_for_url(server.url + page_url(order[i + 1], "about"))

    # The switcher on a deep page, for every pair of languages, lands on the same page.
    last = None
    for source in LANGUAGES:
        for target in LANGUAGES:
            if source == target:
                continue
            page.goto(server.url + page_url(source, "transfer-faq"))
            page.click(f".langs a[hreflang={LANGUAGES[target].html_lang}]")
            page.wait_for_url(server.url + page_url(target, "transfer-faq"))
            title = build_of(app).guide.page(target, "transfer-faq").title
            assert page.inner_text("h1") == title
            last = target

    page.reload()
    assert page.url == server.url + page_url(last, "transfer-faq")

    # / opens the language read last.
    page.goto(server.url + "/")
    assert page.url == server.url + page_url(last, "index")

    # An unknown URL gets the offline page, in that URL's language or the reader's.
    page.goto(server.url + "/es/no-such-page/")
    assert page.inner_text("h1") == "No tiene conexión"
    page.goto(server.url + "/nothing-here")
    assert page.locator("html").get_attribute("lang") == LANGUAGES[last].html_lang

    assert server.guide_hits == [], "the server was reached while offline"
    assert served_by_worker and all(served_by_worker)
    assert outside == []


def test_no_request_goes_to_another_origin(phone, server):
    requests = []
    phone.on("request", lambda r: requests.append(r.url))
    page = phone.new_page()
    first_visit(page, server.url + "/zh/")
    page.goto(server.url + "/zh/transfer-faq/")
    assert requests and all(url.startswith(server.url + "/") for url in requests), requests


def test_status_line_reports_saved_pages_in_the_readers_language(phone, server, app):
    page = phone.new_page()
    text = first_visit(page, server.url + "/zh/about/")
    pages = str(len(build_of(app).guide.pages))
    assert text.startswith(SAVED["zh"]) and pages in text and "KB" in text


def test_reading_works_without_javascript(browser, server, app):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(server.url + "/es/transfer-faq/")
    assert page.inner_text("h1") == build_of(app).guide.page("es", "transfer-faq").title
    assert page.locator("#balance-transfer").is_visible()
    page.click(".langs a[hreflang=zh-Hans]")
    page.wait_for_url(server.url + "/zh/transfer-faq/")
    # Nothing is wider than the phone: no sideways scrolling of the page itself.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    context.close()


def test_worker_is_registered_at_root_scope(phone, server):
    page = phone.new_page()
    page.goto(server.url + "/en/")
    script = page.evaluate(WAIT_FOR_CONTROL)
    assert script == server.url + "/sw.js"
    scope = page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.scope)")
    assert scope == server.url + "/"


def test_first_visit_downloads_little_more_than_the_offline_total(phone, server, app, client):
    """Bytes received until all is saved: at most 1.15 x the offline total (no double download)."""
    from web.budgets import offline_total

    page = phone.new_page()
    first_visit(page, server.url + "/zh/transfer-faq/")
    received = sum(size for _, size in server.sent)
    total = offline_total(client, build_of(app).precache)
    assert received <= 1.15 * total, (received, total, sorted(server.sent))
    print(f"first visit: {received:,} B of bodies received, {received / total:.2f} x the "
          f"offline total of {total:,} B")
