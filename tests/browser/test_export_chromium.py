"""The static export and the single file in real Chromium: / picks the language with no server
behind it; the single file opens from file:// and works with no network."""

from pathlib import Path

from helpers import first_visit

from web.build import build_of
from web.bundle import BUNDLE_URL
from web.config import LANGUAGES, PAGES


def test_root_of_the_export_picks_remembered_then_browser_language(browser, static_server):
    context = browser.new_context(locale="es-ES")
    page = context.new_page()
    page.goto(static_server.url + "/")
    page.wait_for_url(static_server.url + "/es/")
    # Reading a page in another language remembers it (the page script keeps the cookie).
    page.goto(static_server.url + "/en/about/")
    page.goto(static_server.url + "/")
    page.wait_for_url(static_server.url + "/en/")
    context.close()
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(static_server.url + "/")
    page.wait_for_url(static_server.url + "/zh/")
    context.close()


def test_root_of_the_export_without_javascript_offers_plain_links(browser, static_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(static_server.url + "/")
    page.get_by_role("link", name="Guía de datos móviles en Cuba").click()
    page.wait_for_url(static_server.url + "/es/")
    context.close()


def open_bundle(browser, app, tmp_path, **options):
    """Write the single file and open it from file:// in a phone-sized context."""
    path = tmp_path / "cuba-mobile-data-guide.html"
    path.write_bytes(build_of(app).bundle.data)
    context = browser.new_context(viewport={"width": 360, "height": 740}, **options)
    requests = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.goto(path.as_uri())
    return context, page, requests, path.as_uri()


def test_single_file_every_page_reachable_and_switch_keeps_place(browser, app, tmp_path):
    context, page, requests, uri = open_bundle(browser, app, tmp_path)
    guide = build_of(app).guide
    for code, language in LANGUAGES.items():
        page.click(f"header .langs a[hreflang={language.html_lang}]")
        assert page.url == f"{uri}#{code}"
        for slug in PAGES:
            page.goto(f"{uri}#{code}")
            page.locator(f"#{code} .toc a[href='#{code}-{slug}']").click()
            heading = page.locator(f"#{code}-{slug} h2").first
            assert heading.inner_text() == guide.page(code, slug).title
            assert heading.is_visible()
            assert page.locator(f"#{code}-{slug}").get_attribute("class") == "bundle-page"
            assert page.evaluate(f"document.getElementById('{code}').lang") == language.html_lang
    # The switcher on a page lands on the same page in each other language.
    for source in LANGUAGES:
        for target, language in LANGUAGES.items():
            if source == target:
                continue
            page.goto(f"{uri}#{source}-transfer-faq")
            page.locator(f"#{source}-transfer-faq > nav a[hreflang={language.html_lang}]").click()
            assert page.url == f"{uri}#{target}-transfer-faq"
    # An FAQ anchor from the home page.
    page.goto(f"{uri}#en-index")
    page.locator("#en-index a[href='#en-transfer-faq--balance-transfer']").first.click()
    assert page.locator("#en-transfer-faq--balance-transfer").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert requests == [uri], "the single file made a request"
    context.close()


def test_single_file_reads_without_javascript(browser, app, tmp_path):
    context, page, requests, uri = open_bundle(browser, app, tmp_path, java_script_enabled=False)
    for code in LANGUAGES:
        page.click(f"header .langs a[href='#{code}']")
        assert page.locator(f"#{code}-transfer-faq--balance-transfer").count() == 1
    assert requests == [uri]
    context.close()


def test_worker_makes_the_single_file_offline_with_the_same_bytes(phone, server, app):
    """Offline, the download link still gives the file: the worker builds it from saved pages."""
    page = phone.new_page()
    first_visit(page, server.url + "/zh/")
    phone.set_offline(True)
    server.hits.clear()
    page.goto(server.url + "/es/offline-help/")
    with page.expect_download() as info:
        page.click(f"a[href='{BUNDLE_URL}']")
    download = info.value
    assert download.suggested_filename == "cuba-mobile-data-guide.html"
    assert Path(download.path()).read_bytes() == build_of(app).bundle.data
    assert server.guide_hits == []
