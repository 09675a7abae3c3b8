"""The static export in real Chromium: / picks the language with no server behind it."""


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
