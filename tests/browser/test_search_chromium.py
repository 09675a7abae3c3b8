"""Search in real Chromium: with the network cut, the worker answers with Flask's own pages."""

from urllib.parse import quote

from helpers import first_visit

from web.build import build_of

QUERIES = [
    ("en", "pin"), ("en", "*222#"), ("en", "Hotspot"), ("en", "roaming"), ("en", "余额"),
    ("en", "quick codes"), ("en", '<b>"x"</b>'), ("en", ""), ("en", "zzqqxx"),
    ("es", "telefono"), ("es", "teléfono"), ("es", "codigos rapidos"), ("es", "recarga saldo"),
    ("es", "apagon"), ("es", "118"), ("es", "&amp;"),
    ("zh", "余额"), ("zh", "话费转账"), ("zh", "*222#"), ("zh", "个人热点"), ("zh", "LTE"),
    ("zh", "ＰＩＮ"), ("zh", "pin " * 80),
]


def test_worker_gives_the_same_results_as_flask_offline(phone, server, app):
    page = phone.new_page()
    first_visit(page, server.url + "/en/")
    search = build_of(app).search
    online = {}
    for lang, query in QUERIES[:3]:  # online, Flask answers (through the worker's network try)
        response = page.goto(f"{server.url}/{lang}/search/?q={quote(query)}")
        online[(lang, query)] = response.text()
        assert "/search/" in server.hits[-1]
    phone.set_offline(True)
    server.hits.clear()
    for lang, query in QUERIES:
        page.goto(server.url + "/en/")  # the form's own URL encoding, from a real page
        page.goto(f"{server.url}/{lang}/search/")
        page.fill("input[name=q]", query)
        with page.expect_navigation() as navigation:
            page.press("input[name=q]", "Enter")
        response = navigation.value
        assert response.from_service_worker, query
        expected = search.page(lang, query)
        assert response.text() == expected, (lang, query)
        if (lang, query) in online:
            assert online[(lang, query)] == expected
        # The page keeps the guide's strict CSP: the worker copies the saved page's headers.
        assert "script-src 'self'" in response.headers["content-security-policy"]
    assert server.guide_hits == []


def test_offline_search_needs_no_page_script(phone, server):
    page = phone.new_page()
    first_visit(page, server.url + "/es/")
    phone.set_offline(True)
    # From here the page runs no script at all: the form is plain HTML, the worker answers.
    cdp = phone.new_cdp_session(page)
    cdp.send("Emulation.setScriptExecutionDisabled", {"value": True})
    page.goto(server.url + "/es/quick-codes/")
    page.fill("input[name=q]", "saldo principal")
    with page.expect_navigation():
        page.press("input[name=q]", "Enter")
    assert page.url == server.url + "/es/search/?q=saldo+principal"
    first = page.locator("ol.results li a").first
    assert first.get_attribute("href") == "/es/quick-codes/#main-balance"
    assert page.locator("ol.results mark").count() > 0
    assert page.locator("input[name=q]").input_value() == "saldo principal"
