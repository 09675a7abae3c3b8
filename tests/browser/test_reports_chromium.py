"""Reader reports in real Chromium: filed offline from a saved page, kept through a reload, a
closed tab and a server error, and stored exactly once when the network is back."""

import time
import uuid

from helpers import NEW_LINE, UPDATE, catalog_text, change_page, first_visit
from servers import Server, StaticServer
from tooling import export_into

from web.build import build_of
from web.urls import page_url

KEPT = "Saved on your phone. It will be sent when you are online."
SENT = "Sent. Thank you: the editors read every report."
WAITING_ONE = "1 report waiting to be sent."


def rows(server):
    """Return the reports the server stored."""
    return server.app.extensions["reports"].find()


def wait_for_rows(server, count):
    """Wait until the server has stored `count` reports (the worker sends in the background)."""
    deadline = time.monotonic() + 15
    while len(rows(server)) < count:
        assert time.monotonic() < deadline, f"{len(rows(server))} reports stored, not {count}"
        time.sleep(0.1)
    return rows(server)


def waiting_line(page):
    """Return the line under the status line that counts reports waiting ('' when hidden)."""
    return page.evaluate("() => { const p = document.querySelector('#sw-status + p.status');"
                         " return p && !p.hidden ? p.textContent : ''; }")


def file_report(page, text):
    """Write a report in the open form and send it."""
    page.fill("#text", text)
    page.click("#report button[type=submit]")


def test_a_report_filed_offline_arrives_once_when_the_network_is_back(phone, reports_server):
    server = reports_server
    guide = build_of(server.app).guide
    page = phone.new_page()
    first_visit(page, server.url + page_url("es", "transfer-faq"))
    phone.set_offline(True)

    # The saved page's "Report a change" link opens the saved form, filled in for its section.
    section = guide.page("es", "transfer-faq").sections[1]
    page.click(f"a.report[href*='section={section.id}']")
    page.locator("#report-about a").filter(has_text=section.title).wait_for()
    assert page.locator("#report-about a").get_attribute("href") == (
        page_url("es", "transfer-faq") + f"#{section.id}")
    text = f"Ahora cuesta otra cosa ({uuid.uuid4()})."
    file_report(page, text)
    page.locator("#report-sent").filter(has_text=catalog_text("es", KEPT)).wait_for()
    assert waiting_line(page) == catalog_text("es", WAITING_ONE)

    # Kept through a reload and a closed tab.
    page.reload()
    page.wait_for_function("() => document.querySelector('#sw-status + p.status')")
    assert waiting_line(page) == catalog_text("es", WAITING_ONE)
    page.close()
    assert rows(server) == []

    # The network is back, and the server fails: the report stays on the phone.
    server.fail.add("/api/reports")
    phone.set_offline(False)
    page = phone.new_page()
    page.goto(server.url + page_url("es", "about"))
    page.wait_for_function("() => document.querySelector('#sw-status + p.status')")
    assert waiting_line(page) == catalog_text("es", WAITING_ONE)
    assert "/api/reports" in server.hits and rows(server) == []

    # The server works again: the next visit sends it; stored once; the line goes.
    server.fail.clear()
    page.reload()
    [row] = wait_for_rows(server, 1)
    assert (row["lang"], row["page"], row["section"], row["text"]) == (
        "es", "transfer-faq", section.id, text)
    page.wait_for_function("() => !document.querySelector('#sw-status + p.status').textContent")
    assert waiting_line(page) == ""
    page.reload()
    assert len(rows(server)) == 1


def test_a_report_filed_online_says_sent_and_the_form_works_without_the_worker(phone,
                                                                               reports_server):
    server = reports_server
    page = phone.new_page()
    first_visit(page, server.url + page_url("zh", "index"))
    page.click("a.report")
    text = f"价格变了 {uuid.uuid4()}"
    file_report(page, text)
    page.locator("#report-sent").filter(has_text=catalog_text("zh", SENT)).wait_for()
    assert [r["text"] for r in wait_for_rows(server, 1)] == [text]

    # Without a service worker (blocked, as in-app browsers do), the plain form posts.
    bare = phone.browser.new_context(service_workers="block")
    try:
        plain = bare.new_page()
        plain.goto(server.url + page_url("en", "transfer-faq"))
        plain.click("a.report")
        file_report(plain, "Plain form report.")
        plain.wait_for_url("**/en/report/**")
        assert "Thank you" in plain.inner_text("article")
    finally:
        bare.close()
    assert sorted(r["text"] for r in rows(server)) == sorted([text, "Plain form report."])


def test_a_static_export_sends_its_reports_to_the_app_that_allows_it(phone, make_app, tmp_path):
    root = tmp_path / "export"
    root.mkdir()
    host = StaticServer(root)
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'r.sqlite3'}",
                   REPORTS_EXPORT_ORIGIN=host.url)
    server = Server(app)
    try:
        export_into(make_app(REPORTS_ORIGIN=server.url), root)
        page = phone.new_page()
        first_visit(page, host.url + page_url("en", "transfer-faq"))
        page.click("a.report")
        file_report(page, "From the export.")
        page.locator("#report-sent").filter(has_text=catalog_text("en", SENT)).wait_for()
        assert [r["text"] for r in rows(server)] == ["From the export."]
        assert "/api/reports" in server.hits and "/api/reports" not in host.hits
    finally:
        server.stop()
        host.stop()
        app.extensions["reports"].dispose()


def test_a_waiting_report_outlives_an_update_of_the_guide(phone, reports_server, make_app,
                                                           content_copy):
    server = reports_server
    page = phone.new_page()
    first_visit(page, server.url + page_url("en", "transfer-faq"))
    server.fail.add("/api/reports")  # the server answers 500: the report waits
    page.click("a.report")
    file_report(page, "Kept through an update.")
    page.locator("#report-sent").filter(has_text=catalog_text("en", KEPT)).wait_for()

    # A new version of the guide installs and the reader takes it: the old caches go.
    change_page(content_copy, "en", "about")
    server.app = make_app(content_copy, DATABASE_URL=server.app.config["DATABASE_URL"])
    page.goto(server.url + page_url("en", "about"))
    assert page.evaluate(UPDATE) == "installed waiting"
    with page.expect_navigation():
        page.locator("#sw-status").get_by_role("button", name="Reload").click()
    page.get_by_text(NEW_LINE).wait_for()
    assert page.evaluate(
        "async () => (await (await caches.open('reports-outbox')).keys()).length") == 1

    # The server works again: the next visit delivers it, once.
    server.fail.clear()
    page.reload()
    assert [r["text"] for r in wait_for_rows(server, 1)] == ["Kept through an update."]
