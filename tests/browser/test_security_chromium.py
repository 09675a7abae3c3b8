"""The Content Security Policy in real Chromium: zero violations and zero console errors, online
and offline, and pages served by the worker keep their security headers."""

from helpers import first_visit

from web.config import LANGUAGES, PAGES
from web.security import CONTENT_SECURITY_POLICY
from web.urls import offline_url, page_url

RECORD_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (e) => {
  (window.__violations = window.__violations || []).push(`${e.violatedDirective} ${e.blockedURI}`);
});
"""


def every_url():
    """Return every page and offline page of the guide, in every language."""
    urls = [page_url(lang, slug) for lang in LANGUAGES for slug in PAGES]
    return urls + [offline_url(lang) for lang in LANGUAGES]


def test_no_violation_or_console_error_online_and_offline(phone, server):
    phone.add_init_script(RECORD_VIOLATIONS)
    page = phone.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append((page.url, m.text)))
    page.on("pageerror", lambda e: errors.append((page.url, str(e))))
    first_visit(page, server.url + "/en/")
    violations = []
    for offline in (False, True):
        phone.set_offline(offline)
        for url in every_url():
            response = page.goto(server.url + url)
            assert response.ok, url
            # The page script has run: it shows the status line once the worker answers.
            page.locator("#sw-status").filter(has_text="KB").wait_for()
            violations += [(url, v) for v in page.evaluate("window.__violations || []")]
    assert violations == []
    assert errors == []


def test_page_served_offline_keeps_its_security_headers(phone, server):
    page = phone.new_page()
    first_visit(page, server.url + "/es/")
    phone.set_offline(True)
    for url in ("/zh/transfer-faq/", "/es/no-such-page/"):
        response = page.goto(server.url + url)
        assert response.from_service_worker, url
        headers = response.headers
        assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY, url
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
    # An inline script injected into a cached page would be blocked by the cached CSP.
    blocked = page.evaluate("""() => new Promise((resolve) => {
      document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective));
      const s = document.createElement('script');
      s.textContent = 'window.__ran = true';
      document.body.append(s);
      setTimeout(() => resolve(window.__ran ? 'ran' : 'nothing'), 2000);
    })""")
    assert blocked.startswith("script-src")
