"""Updates in real Chromium: only the changed page is downloaded; a failed one changes nothing."""

from helpers import NEW_LINE, UPDATE, change_page, first_visit

from web.build import build_of
from web.config import LANGUAGES, PAGES
from web.urls import page_url

CACHE_NAMES = "caches.keys()"
def test_update_downloads_only_the_changed_page_and_the_worker(phone, server, make_app,
                                                              content_copy):
    page = phone.new_page()
    first_visit(page, server.url + "/en/before-you-go/")
    old_caches = page.evaluate(CACHE_NAMES)
    change_page(content_copy, "en", "before-you-go")
    server.app = make_app(content_copy)
    server.hits.clear()

    assert page.evaluate(UPDATE) == "installed waiting"
    assert sorted(server.hits) == ["/en/before-you-go/", "/sw.js"]

    # The page offers the new version quietly; choosing it reloads into the new text.
    status = page.locator("#sw-status")
    total = len(build_of(server.app).guide.pages)
    status.filter(has_text=f"Update: 1 of {total} pages").wait_for()
    # A returning reader can see what changed in the guide before choosing.
    changes = status.get_by_role("link", name="What changed")
    assert changes.get_attribute("href") == "/en/about/#what-changed"
    with page.expect_navigation():
        status.get_by_role("button", name="Reload").click()
    page.get_by_text(NEW_LINE).wait_for()

    # Old caches are gone once the new worker has activated.
    page.wait_for_function(
        "async (old) => { const names = await caches.keys(); "
        "return !names.some((n) => old.includes(n) && n !== 'guide-state'); }",
        arg=old_caches,
    )
    names = page.evaluate(CACHE_NAMES)
    assert len(names) == 2 and "guide-state" in names
    assert not set(names) & (set(old_caches) - {"guide-state"})
    # And the new cache names exactly the new list (plus the "saved" marker).
    entries = page.evaluate(
        "async (name) => (await (await caches.open(name)).keys())"
        ".map((r) => new URL(r.url).pathname)",
        [n for n in names if n != "guide-state"][0],
    )
    expected = {e["url"] for e in build_of(server.app).precache} | {"/__sw/saved"}
    assert set(entries) == expected


def test_failed_update_keeps_the_old_version_serving_offline(phone, server, make_app, app,
                                                             content_copy):
    page = phone.new_page()
    first_visit(page, server.url + "/zh/")
    change_page(content_copy, "zh", "about")
    server.app = make_app(content_copy)
    server.fail = {"/zh/about/"}
    server.hits.clear()
    assert page.evaluate(UPDATE) == "redundant"
    assert "/zh/about/" in server.hits

    phone.set_offline(True)
    server.hits.clear()
    for lang in LANGUAGES:
        for slug in PAGES:
            page.goto(server.url + page_url(lang, slug))
            assert page.inner_text("h1") == build_of(app).guide.page(lang, slug).title
    assert NEW_LINE not in page.content()
    page.goto(server.url + "/zh/about/")
    assert NEW_LINE not in page.content()
    assert server.guide_hits == []
