"""The phones our readers carry, in real Chromium: in-app browsers (service workers blocked, each
app's user agent), Safari on an iPhone (navigator.standalone), Chromium's install prompt."""

import contextlib
import re

import pytest
from helpers import SAVED, catalog_text, first_visit

from web.config import LANGUAGES, PROJECT_ROOT
from web.urls import LAYOUT, page_url

IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 " \
         "(KHTML, like Gecko) Mobile/15E148"
ANDROID_WEBVIEW = "Mozilla/5.0 (Linux; Android 12; M2012K11AC Build/SKQ1.220303.001; wv) " \
                  "AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/111.0.5563.116 " \
                  "Mobile Safari/537.36"
IN_APP = {
    "wechat-ios": f"{IPHONE} MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN",
    "facebook": f"{IPHONE} [FBAN/FBIOS;FBAV/455.0.0.38.103;FBBV/612345678;FBDV/iPhone14,5]",
    "instagram": f"{IPHONE} Instagram 321.0.2.19.103 (iPhone14,5; iOS 17_4; en_US; en)",
    "line": f"{IPHONE} Safari Line/14.3.0",
}
WECHAT_ANDROID = (f"{ANDROID_WEBVIEW} XWEB/5235 MMWEBSDK/20230701 MicroMessenger/8.0.40.2420"
                  "(0x28002837) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64")
SAFARI = f"{IPHONE.replace('Mobile/15E148', 'Version/17.4 Mobile/15E148')} Safari/604.1"

IN_APP_MSGID = ("This app's browser can't keep the guide for offline use. Open it in your "
                "phone's own browser: in the app's menu (··· or ⋮), choose “Open in browser”.")
WECHAT_MSGID = ("WeChat's browser can't keep the guide for offline use. Tap ··· at the top "
                "right, then “Open in Browser” (在浏览器中打开).")
NO_WORKER_MSGID = ("This browser can't save the guide for offline use. Download it as one "
                   "file instead:")
WECHAT_SAVED_MSGID = ("It is saved inside WeChat, which may delete it when its cache is cleared; "
                      "your phone's own browser keeps a safer copy.")
HOME_HINT_MSGID = ("To keep it for good on this iPhone: tap ··· (or Share), then Share → Add to "
                   "Home Screen, and open the guide once from the new icon while online.")
HOME_SAVED_MSGID = "This Home Screen app keeps its own copy."

INSTALL_PROMPT = """() => {
  const event = new Event('beforeinstallprompt', { cancelable: true });
  event.prompt = () => { window.prompted = (window.prompted || 0) + 1; return Promise.resolve(); };
  event.userChoice = Promise.resolve({ outcome: 'dismissed' });
  window.dispatchEvent(event);
}"""


#: What an app's web view on an iPhone, or an old Android WebView, has: no service worker API at
#: all (Playwright's "block" leaves the API in place, and a registration that never ends).
NO_WORKERS = "delete Navigator.prototype.serviceWorker;"


@contextlib.contextmanager
def phone_as(browser, user_agent, workers="allow", standalone=None):
    """Give a phone-sized context with a user agent, service workers allowed or blocked, and
    navigator.standalone set (as iOS has it) unless None; closed after."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True,
                                  has_touch=True, user_agent=user_agent,
                                  service_workers=workers)
    if workers == "block":
        context.add_init_script(NO_WORKERS)
    if standalone is not None:
        context.add_init_script("Object.defineProperty(navigator, 'standalone', "
                                f"{{value: {'true' if standalone else 'false'}}})")
    context.set_default_timeout(15_000)
    try:
        yield context
    finally:
        context.close()


def status(page):
    """Return the status line's text, once the page script has written it."""
    line = page.locator("#sw-status")
    line.wait_for()
    return line.inner_text()


@pytest.mark.parametrize("app_name", list(IN_APP))
@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_in_app_browsers_say_why_and_how_to_open_the_guide_elsewhere(browser, server, app_name,
                                                                     lang):
    with phone_as(browser, IN_APP[app_name], workers="block") as context:
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
        page = context.new_page()
        page.goto(server.url + page_url(lang, "offline-help"))
        wanted = WECHAT_MSGID if app_name == "wechat-ios" else IN_APP_MSGID
        assert status(page).startswith(catalog_text(lang, wanted))
        assert SAVED[lang] not in status(page)
        # Downloads are blocked in WeChat: no single-file link there; elsewhere it stays.
        assert page.locator("a[data-recipe]").is_visible() == (app_name != "wechat-ios")
        page.click(f"#sw-status button:text-is('{catalog_text(lang, 'Copy link')}')")
        assert page.evaluate("navigator.clipboard.readText()") == page.url


def test_wechat_on_android_saves_and_says_where(browser, server):
    with phone_as(browser, WECHAT_ANDROID) as context:
        line = first_visit(context.new_page(), server.url + page_url("zh", "index"))
        assert catalog_text("zh", WECHAT_SAVED_MSGID) in line


def test_a_browser_without_service_workers_offers_the_single_file(browser, server):
    with phone_as(browser, ANDROID_WEBVIEW, workers="block") as context:
        page = context.new_page()
        page.goto(server.url + page_url("es", "transfer-faq"))
        assert status(page).startswith(catalog_text("es", NO_WORKER_MSGID))
        assert page.locator("#sw-status a").get_attribute("href") == LAYOUT["bundle"]


def test_safari_on_an_iphone_once_saved_hints_at_the_home_screen_until_closed(browser, server):
    with phone_as(browser, SAFARI, standalone=False) as context:
        page = context.new_page()
        first_visit(page, server.url + page_url("es", "index"))
        hint = page.locator("#sw-status .hint")
        hint.filter(has_text=catalog_text("es", HOME_HINT_MSGID)).wait_for()
        hint.locator("button").click()
        assert hint.count() == 0
        page.reload()
        page.locator("#sw-status").filter(has_text=SAVED["es"]).wait_for()
        assert page.locator("#sw-status .hint").count() == 0  # not shown again


def test_the_home_screen_app_saves_at_once_and_says_so_without_a_hint(browser, server):
    with phone_as(browser, SAFARI, standalone=True) as context:
        line = first_visit(context.new_page(), server.url + page_url("en", "index"))
        assert catalog_text("en", HOME_SAVED_MSGID) in line
        assert catalog_text("en", HOME_HINT_MSGID) not in line


def test_the_install_button_comes_once_saved_and_never_after_a_dismissal(phone, server):
    # Not saved (the worker can't be fetched): no Install button, whatever the browser offers.
    server.fail.add("/sw.js")
    early = phone.new_page()
    early.goto(server.url + page_url("en", "about"))
    early.evaluate(INSTALL_PROMPT)
    assert early.locator("#sw-status button.install").count() == 0
    early.close()
    server.fail.clear()

    page = phone.new_page()
    first_visit(page, server.url + page_url("en", "about"))
    page.evaluate(INSTALL_PROMPT)
    install = page.locator("#sw-status button.install")
    assert install.inner_text() == "Install"
    install.click()
    assert page.evaluate("window.prompted") == 1
    page.wait_for_function("() => localStorage.getItem('guide-install') === 'no'")
    page.reload()
    page.locator("#sw-status").filter(has_text=SAVED["en"]).wait_for()
    page.evaluate(INSTALL_PROMPT)
    assert page.locator("#sw-status button.install").count() == 0


def test_the_readmes_phone_recipe_saves_the_guide_through_localhost(phone, server):
    """The README's way to try offline on a phone: `adb reverse` makes the phone's localhost
    this machine's, where `make run` listens; there (unlike a LAN address on plain http) the
    browser runs the worker, saves the guide and reads it offline."""
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    phone_port, machine_port = re.search(r"^adb reverse tcp:(\d+) tcp:(\d+)", readme,
                                         re.M).groups()
    run_port = re.search(r"^PORT \?= (\d+)$", makefile, re.M)[1]
    assert phone_port == machine_port == run_port
    assert f"open http://localhost:{phone_port}/ on the phone" in readme
    # The same on the test server's port: localhost, not 127.0.0.1, as the phone names it.
    local = server.url.replace("127.0.0.1", "localhost")
    page = phone.new_page()
    first_visit(page, local + "/es/")
    phone.set_offline(True)
    page.goto(local + page_url("zh", "transfer-faq"))
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
