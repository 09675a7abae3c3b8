"""Passing the guide on in person, in real Chromium: the phone's share sheet with the single file,
and a QR code of the guide's address (decoded from the pixels the browser draws)."""

import io

import zxingcpp
from helpers import first_visit
from PIL import Image
from servers import Server

from web.build import build_of
from web.urls import page_url

#: Web Share as a phone has it, recording what the page shares (desktop Chromium on Linux has
#: no navigator.share).
SHARE_SHEET = """
navigator.canShare = (data) => Boolean(data && data.files && data.files.length);
navigator.share = async (data) => {
  const file = data.files[0];
  window.shared = { name: file.name, type: file.type, text: await file.text() };
};
"""


def test_the_share_button_shares_the_single_file_made_offline(phone, server, app):
    phone.add_init_script(SHARE_SHEET)
    page = phone.new_page()
    first_visit(page, server.url + page_url("es", "offline-help"))
    phone.set_offline(True)
    page.reload()
    page.click("p.share button")
    shared = page.wait_for_function("() => window.shared").json_value()
    assert shared["type"] == "text/html"
    assert shared["name"] == "cuba-mobile-data-guide.html"
    assert shared["text"].encode() == build_of(app).bundle.data


def test_without_web_share_there_is_no_share_button_and_the_link_downloads(phone, server):
    page = phone.new_page()
    page.goto(server.url + page_url("en", "offline-help"))
    assert page.evaluate("typeof navigator.share") == "undefined"
    assert page.locator("p.share button").count() == 0
    assert page.locator("p.share a[data-recipe]").is_visible()


def test_the_qr_code_decodes_to_the_guides_address(phone, make_app):
    app = make_app(SITE_URL="https://guide.example")
    server = Server(app)
    try:
        page = phone.new_page()
        page.goto(server.url + page_url("zh", "offline-help"))
        image = page.locator(".qr img")
        image.scroll_into_view_if_needed()
        page.wait_for_function("() => document.querySelector('.qr img').complete")
        found = zxingcpp.read_barcodes(Image.open(io.BytesIO(image.screenshot())))
        assert [code.text for code in found] == ["https://guide.example/"]
        assert page.inner_text(".qr figcaption").endswith("https://guide.example/")
        # Saved with the guide, and small.
        src = image.get_attribute("src")
        entry = next(e for e in build_of(app).precache if e["url"] == src)
        assert entry["size"] < 600
    finally:
        server.stop()


def test_without_site_url_there_is_no_qr_code_and_no_broken_image(phone, server):
    page = phone.new_page()
    page.goto(server.url + page_url("en", "offline-help"))
    assert page.locator(".qr").count() == 0
    assert page.evaluate("[...document.images].every((i) => i.complete && i.naturalWidth > 0)")
