"""The quick-codes page in real Chromium: Copy buttons (offline too), a 360 px phone, print."""

import re

import pytest
from helpers import first_visit
from playwright.sync_api import expect

from web.config import LANGUAGES

COPIED = {"en": "Copied", "es": "Copiado", "zh": "已复制"}
COPY = {"en": "Copy", "es": "Copiar", "zh": "复制"}
READ_CLIPBOARD = "navigator.clipboard.readText()"


def code_lines(page):
    """Return the codes shown on their own line, as the page shows them."""
    return page.locator("p.code code").all_inner_texts()


DIALABLE = re.compile(r"[0-9*#]+")


def test_copy_buttons_only_on_codes_a_reader_can_dial_offline(phone, server):
    """A code that can be dialled as it stands has a Copy button; a template has none."""
    phone.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    page = phone.new_page()
    first_visit(page, server.url + "/en/")
    phone.set_offline(True)
    server.hits.clear()
    # Timers are ours to move: "Copied" turns back into "Copy" only when the test says so.
    page.clock.install()
    for lang in LANGUAGES:
        page.goto(server.url + f"/{lang}/quick-codes/")
        lines = page.locator("p.code")
        codes = code_lines(page)
        dialable = [i for i, code in enumerate(codes) if DIALABLE.fullmatch(code)]
        templates = [i for i, code in enumerate(codes) if i not in dialable]
        assert len(templates) >= 2 and len(dialable) >= 8, (lang, codes)
        for index in templates:  # placeholder words never reach the clipboard
            assert lines.nth(index).locator("button").count() == 0, (lang, codes[index])
        buttons = page.locator("p.code button")
        assert buttons.count() == len(dialable), lang
        assert set(buttons.all_inner_texts()) == {COPY[lang]}
        for nth, index in enumerate(dialable):
            button = lines.nth(index).locator("button")
            if nth in (0, len(dialable) - 1) or "*234*" in codes[index]:
                button.click()
                expect(button).to_have_text(COPIED[lang])
                assert page.evaluate(READ_CLIPBOARD) == codes[index], (lang, index)
                assert button.get_attribute("aria-label") == f"{COPIED[lang]} {codes[index]}"
        page.clock.run_for(2500)
        assert set(buttons.all_inner_texts()) == {COPY[lang]}
    assert server.guide_hits == [], "the copy buttons must work from the saved guide"


def test_codes_read_without_javascript(browser, server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(server.url + "/zh/quick-codes/")
    assert page.locator("p.code button").count() == 0
    assert code_lines(page)[0] == "*222#"
    assert page.locator("a[href='tel:*222%23']").is_visible()
    context.close()


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_quick_codes_fit_a_360_px_phone(phone, server, lang):
    page = phone.new_page()
    page.goto(server.url + f"/{lang}/quick-codes/")
    page.locator("p.code button").first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # Each code is shown large: at least 1.4 x the body text.
    sizes = page.evaluate("""() => [document.querySelector('p.code code'), document.body]
        .map((element) => parseFloat(getComputedStyle(element).fontSize))""")
    assert sizes[0] >= 1.4 * sizes[1], sizes


@pytest.mark.parametrize("paper", ["A4", "Letter"])
@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_quick_codes_print_on_one_sheet(browser, server, lang, paper):
    page = browser.new_page()
    page.goto(server.url + f"/{lang}/quick-codes/")
    pdf = page.pdf(format=paper, print_background=False)
    pages = len(re.findall(rb"/Type\s*/Page(?![a-z])", pdf))
    assert pages == 1, f"{lang} on {paper}: {pages} sheets"
    page.close()
