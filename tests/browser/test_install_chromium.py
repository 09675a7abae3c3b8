"""Installability, as Chromium itself judges it (needs a persistent, non-incognito profile)."""

from helpers import WAIT_FOR_CONTROL


def test_guide_is_installable(browser_type, browser_type_launch_args, server, tmp_path):
    context = browser_type.launch_persistent_context(
        tmp_path / "profile", **browser_type_launch_args, headless=True
    )
    try:
        page = context.new_page()
        page.goto(server.url + "/en/")
        page.evaluate(WAIT_FOR_CONTROL)
        cdp = context.new_cdp_session(page)
        assert cdp.send("Page.getInstallabilityErrors") == {"installabilityErrors": []}
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["url"] == server.url + "/manifest.webmanifest"
        assert manifest["errors"] == []
        assert manifest["manifest"]["display"].lower().endswith("standalone")
        apple = page.locator("link[rel=apple-touch-icon]").get_attribute("href")
        assert page.request.get(server.url + apple).ok
    finally:
        context.close()
