"""Reader reports: the API and the form store each report once, in SQLite and in a real
PostgreSQL, with nothing that identifies the reader; bad input gets a 4xx; the editors' CLI."""

import concurrent.futures
import datetime
import json
import multiprocessing
import os
import re
import subprocess
import urllib.error
import urllib.request
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from servers import free_port, gunicorn_command, wait_until_serving
from sqlalchemy import inspect
from tooling import export_into

from web.build import build_of
from web.config import LANGUAGES, PAGES, PROJECT_ROOT
from web.reports_store import Report, Store, UnavailableError, reports
from web.security import CONTENT_SECURITY_POLICY
from web.urls import page_url, report_link, report_path

SAME = {"Sec-Fetch-Site": "same-origin"}


@pytest.fixture
def reports_app(make_app, database_url):
    """Return an app with an empty reports database of its own (SQLite, then PostgreSQL)."""
    app = make_app(DATABASE_URL=database_url)
    yield app
    app.extensions["reports"].dispose()


def a_report(**changes):
    """Return a valid report's JSON, with a fresh id."""
    report = {"id": str(uuid.uuid4()), "lang": "es", "page": "transfer-faq",
              "section": "data-transfer", "text": "El precio cambió en la oficina de Obispo, "
              "el 2 de diciembre.", "revision": "abc1234"}
    report.update(changes)
    return report


def stored(app):
    """Return every stored report, as dicts."""
    return app.extensions["reports"].find()


def post(client, report, **headers):
    """POST a report to the API the way the page script does."""
    return client.post("/api/reports", data=json.dumps(report),
                       content_type="application/json", headers={**SAME, **headers})


def test_a_report_is_stored_once_with_nothing_about_the_reader(reports_app):
    client = reports_app.test_client()
    report = a_report(text="  Nuevo precio: 30 USD.\r\nVisto ayer.  ")
    first = post(client, report, **{"User-Agent": "Phone/1.0", "Cookie": "lang=es"})
    assert first.status_code == 201 and first.json == {"id": report["id"], "stored": True}
    again = post(client, report)
    assert again.status_code == 200 and again.json["stored"] is False
    [row] = stored(reports_app)
    assert row["text"] == "Nuevo precio: 30 USD.\nVisto ayer."  # trimmed, one kind of line end
    assert (row["id"], row["lang"], row["page"], row["section"], row["revision"]) == (
        report["id"], "es", "transfer-faq", "data-transfer", "abc1234")
    # The hour it arrived, no finer; and no column could hold an address or a browser.
    received = row["received"]
    assert (received.minute, received.second, received.microsecond) == (0, 0, 0)
    engine = reports_app.extensions["reports"].engine
    columns = {c["name"] for c in inspect(engine).get_columns("reports")}
    assert columns == {"id", "lang", "page", "section", "text", "revision", "received",
                       "closed", "note"}
    # The rate limit's table holds hashes and hours only.
    assert {c["name"] for c in inspect(engine).get_columns("report_hits")} == {
        "client", "hour", "count"}
    with engine.connect() as db:
        dumped = " ".join(str(v) for table in ("report_hits", "report_salts")
                          for row in db.exec_driver_sql(f"SELECT * FROM {table}") for v in row)
    assert "127.0.0.1" not in dumped and "Phone" not in dumped


def test_the_same_id_with_another_text_is_refused(reports_app):
    client = reports_app.test_client()
    report = a_report()
    assert post(client, report).status_code == 201
    clash = post(client, {**report, "text": "otro"})
    assert clash.status_code == 409
    assert [r["text"] for r in stored(reports_app)] == [report["text"]]


def test_the_same_id_three_times_at_once_is_one_row(reports_app):
    client = reports_app.test_client
    report = a_report()
    with concurrent.futures.ThreadPoolExecutor(3) as pool:
        answers = list(pool.map(lambda _: post(client(), report).status_code, range(3)))
    assert sorted(answers) == [200, 200, 201]
    assert len(stored(reports_app)) == 1


def test_200_reports_from_20_threads_store_each_id_once(make_app, database_url):
    app = make_app(DATABASE_URL=database_url, REPORTS_PER_HOUR=1_000)
    try:
        originals = [a_report(text=f"cambio {n}") for n in range(160)]
        sends = originals + originals[::4]  # 40 repeats: 20 % of the 200
        assert len(sends) == 200
        with concurrent.futures.ThreadPoolExecutor(20) as pool:
            answers = list(pool.map(lambda r: post(app.test_client(), r).status_code, sends))
        assert set(answers) <= {200, 201}, answers
        assert answers.count(201) == 160
        assert sorted(r["id"] for r in stored(app)) == sorted(r["id"] for r in originals)
    finally:
        app.extensions["reports"].dispose()


def test_the_form_works_without_javascript(reports_app):
    client = reports_app.test_client()
    html = client.get(report_link("zh", "transfer-faq", "data-transfer")).text
    assert '<html lang="zh-Hans">' in html
    heading = build_of(reports_app).guide.page("zh", "transfer-faq").sections
    title = next(h.title for h in heading if h.id == "data-transfer")
    assert title in html and 'name="text"' in html and "<form" in html
    # It asks for nothing that identifies the reader.
    assert not re.search(r'name="(?:name|email|e-mail|phone|tel)"', html)
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))
    fields["text"] = "新价格"
    done = client.post(report_link("zh", "transfer-faq", "data-transfer"), data=fields,
                       headers=SAME)
    assert done.status_code == 201
    assert 'href="/zh/transfer-faq/#data-transfer"' in done.text
    again = client.post(report_path("zh"), data=fields, headers=SAME)  # a reload of the POST
    assert again.status_code == 200
    [row] = stored(reports_app)
    assert (row["lang"], row["page"], row["section"], row["text"]) == (
        "zh", "transfer-faq", "data-transfer", "新价格")
    # The revision of the page the reader came from.
    assert row["revision"] == next(e["revision"] for e in build_of(reports_app).precache
                                   if e["url"] == page_url("zh", "transfer-faq"))


@pytest.mark.parametrize("query", ["?page=nope&section=data-transfer",
                                   "?page=transfer-faq&section=nope", "?page=transfer-faq",
                                   "?section=x", "?page=../../etc&section=%00"])
def test_an_unknown_page_or_section_is_a_404_in_the_readers_language(client, query):
    response = client.get(report_path("es") + query)
    assert response.status_code == 404
    assert '<html lang="es">' in response.text


def test_every_section_of_every_page_links_to_its_form(client, app):
    guide = build_of(app).guide
    for lang in LANGUAGES:
        for slug in PAGES:
            html = client.get(page_url(lang, slug)).text
            links = re.findall(r'<a class="report" href="([^"]+)" rel="nofollow">([^<]+)</a>',
                               html)
            wanted = [report_link(lang, slug, h.id).replace("&", "&amp;")
                      for h in guide.page(lang, slug).sections]
            assert [href for href, _ in links] == wanted, (lang, slug)
            for href, _ in links[:1]:
                assert client.get(href.replace("&amp;", "&")).status_code == 200


def test_the_report_form_is_saved_for_offline_in_every_language(app):
    urls = {e["url"] for e in build_of(app).precache}
    assert {report_path(lang) for lang in LANGUAGES} <= urls


def test_search_and_the_single_file_leave_the_report_links_out(client, app):
    built = build_of(app)
    for lang, words in (("en", "Report a change"), ("es", "Reportar un cambio"),
                        ("zh", "报告变化")):
        assert words in client.get(page_url(lang, "transfer-faq")).text
        found = built.search.page(lang, words.split()[-1]).split("</h1>")[1]
        assert words not in found.split("</p>", 1)[1]  # the results, past "N results for …"
        assert all(words not in s.text for s in built.search.pages[lang])
    assert b'class="report"' not in built.bundle.data


@pytest.mark.parametrize("change, status", [
    ({"text": ""}, 400), ({"text": "   \n "}, 400), ({"text": "x" * 2001}, 400),
    ({"text": "a\x00b"}, 400), ({"text": "a\x1bb"}, 400), ({"text": 5}, 400),
    ({"id": "not-a-uuid"}, 400), ({"id": None}, 400), ({"lang": "fr"}, 404),
    ({"page": "nope"}, 404), ({"section": "nope"}, 404), ({"revision": "<b>"}, 400),
    ({"revision": ""}, 400), ({"page": ["transfer-faq"]}, 400),
])
def test_bad_reports_get_a_clear_4xx(client, change, status):
    response = post(client, a_report(**change))
    assert response.status_code == status, response.json
    assert response.is_json and response.json["error"]


def test_2000_characters_after_trimming_are_enough(client):
    assert post(client, a_report(text=" " + "ñ" * 2000 + "\n")).status_code == 201


@pytest.mark.parametrize("body, kind, status", [
    (b"{", "application/json", 400), (b"[]", "application/json", 400),
    (b'"text"', "application/json", 400), (b"\xff\xfe", "application/json", 400),
    (b"[" * 100_00, "application/json", 400), (b"{}", "text/plain", 415),
    (b"x" * 17_000, "application/json", 413),
])
def test_bodies_that_are_not_a_report(client, body, kind, status):
    response = client.post("/api/reports", data=body, content_type=kind, headers=SAME)
    assert response.status_code == status


@pytest.mark.parametrize("headers, status", [
    ({"Sec-Fetch-Site": "cross-site"}, 403),
    ({"Sec-Fetch-Site": "same-site"}, 403),
    ({"Origin": "https://evil.example"}, 403),
    ({"Origin": "http://localhost"}, 201),  # the test client's own origin
    ({}, 201),  # an old browser that says neither
    ({"Origin": "null"}, 201),  # an old browser under the guide's no-referrer policy
])
def test_only_the_guides_own_pages_may_report(reports_app, headers, status):
    response = reports_app.test_client().post(
        "/api/reports", data=json.dumps(a_report()), content_type="application/json",
        headers=headers)
    assert response.status_code == status
    form = reports_app.test_client().post(report_path("es"), data=a_report(), headers=headers)
    assert form.status_code == status


def test_the_rate_limit_answers_429_and_repeats_do_not_count(make_app, database_url):
    app = make_app(DATABASE_URL=database_url, REPORTS_PER_HOUR=3)
    try:
        client = app.test_client()
        first = a_report()
        assert [post(client, r).status_code for r in (first, first, a_report(), a_report())] == [
            201, 200, 201, 201]
        limited = post(client, a_report())
        assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
        assert post(client, first).status_code == 200  # a retry of a stored one still confirms
        # A made-up X-Forwarded-For is no other client (no proxy is trusted by default)...
        assert post(client, a_report(), **{"X-Forwarded-For": "10.9.9.9"}).status_code == 429
        far = client.post("/api/reports", data=json.dumps(a_report()),
                          content_type="application/json", headers=SAME,
                          environ_base={"REMOTE_ADDR": "10.1.2.3"})
        assert far.status_code == 201  # ...another address is
        assert len(stored(app)) == 4
    finally:
        app.extensions["reports"].dispose()


def test_a_database_that_cannot_answer_gets_503_with_retry_after(make_app, tmp_path):
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'no-such-folder' / 'r.sqlite3'}")
    response = post(app.test_client(), a_report())
    assert response.status_code == 503 and int(response.headers["Retry-After"]) > 0
    form = app.test_client().post(report_path("en"), data=a_report(), headers=SAME)
    assert form.status_code == 503 and '<html lang="en">' in form.text


def test_postgresql_stopped_mid_run_then_back_stores_every_report_once(make_app, postgres):
    app = make_app(DATABASE_URL=postgres.url())
    try:
        client = app.test_client()
        sent = [a_report(text=f"informe {n}") for n in range(6)]
        assert [post(client, r).status_code for r in sent[:3]] == [201] * 3
        postgres.stop()
        try:
            down = [post(client, r) for r in sent[2:]]
        finally:
            postgres.start()
        assert [r.status_code for r in down] == [503] * 4
        assert all(int(r.headers["Retry-After"]) > 0 for r in down)
        # The phone retries everything it has not seen confirmed: one of them was stored.
        assert [post(client, r).status_code for r in sent[2:]] == [200, 201, 201, 201]
        assert sorted(r["text"] for r in stored(app)) == sorted(r["text"] for r in sent)
    finally:
        app.extensions["reports"].dispose()


class Flaky:
    """A store that answers 'unavailable' a given number of times, then works."""

    def __init__(self, store, failures):
        self.store, self.failures = store, failures

    def add(self, report, client):
        if self.failures:
            self.failures -= 1
            raise UnavailableError("down on purpose")
        return self.store.add(report, client)


def test_503_twice_then_201_is_one_row(reports_app):
    real = reports_app.extensions["reports"]
    reports_app.extensions["reports"] = Flaky(real, 2)
    try:
        client = reports_app.test_client()
        report = a_report()
        assert [post(client, report).status_code for _ in range(4)] == [503, 503, 201, 200]
    finally:
        reports_app.extensions["reports"] = real
    assert len(stored(reports_app)) == 1


def test_the_editors_cli_lists_shows_closes_exports_and_prunes(reports_app):
    client = reports_app.test_client()
    one, two = a_report(text="<b>negrita</b>\ty otra línea\nfin"), a_report(lang="zh")
    post(client, one)
    post(client, two)
    runner = reports_app.test_cli_runner()
    listed = runner.invoke(args=["reports", "list"])
    assert listed.exit_code == 0 and one["id"] in listed.output and two["id"] in listed.output
    assert "<b>negrita</b>\\ty otra línea\\nfin" in listed.output  # one line each, as text
    only_zh = runner.invoke(args=["reports", "list", "--lang", "zh"])
    assert two["id"] in only_zh.output and one["id"] not in only_zh.output
    shown = runner.invoke(args=["reports", "show", one["id"]])
    assert shown.exit_code == 0 and shown.output.endswith(one["text"] + "\n")
    assert runner.invoke(args=["reports", "show", str(uuid.uuid4())]).exit_code == 1
    closed = runner.invoke(args=["reports", "close", one["id"], "--note", "fixed in v4"])
    assert closed.exit_code == 0
    still_open = runner.invoke(args=["reports", "list", "--open"])
    assert one["id"] not in still_open.output and two["id"] in still_open.output
    exported = json.loads(runner.invoke(args=["reports", "export", "--format", "json"]).output)
    assert {r["id"]: r["note"] for r in exported} == {one["id"]: "fixed in v4", two["id"]: None}
    csv_out = runner.invoke(args=["reports", "export", "--format", "csv"]).output
    assert csv_out.splitlines()[0] == "id,received,lang,page,section,revision,closed,note,text"
    # Prune: only closed reports older than 180 days go.
    with reports_app.extensions["reports"].engine.begin() as db:
        db.execute(reports.update().values(received=datetime.datetime(2020, 1, 1)))
    pruned = runner.invoke(args=["reports", "prune"])
    assert pruned.exit_code == 0 and "deleted 1" in pruned.output
    assert [r["id"] for r in stored(reports_app)] == [two["id"]]


REPORT_FIELDS = st.fixed_dictionaries({}, optional={
    name: st.one_of(st.text(max_size=50), st.integers(), st.none(), st.lists(st.text(max_size=3)),
                    st.sampled_from(["es", "transfer-faq", "data-transfer", "abc1234",
                                     str(uuid.uuid4()), "<script>x</script>"]))
    for name in ("id", "lang", "page", "section", "text", "revision", "extra")})


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.one_of(st.binary(max_size=300), REPORT_FIELDS.map(
    lambda d: json.dumps(d).encode())))
def test_any_bytes_to_the_api_get_an_answer_below_500_that_echoes_no_markup(client, body):
    response = client.post("/api/reports", data=body, content_type="application/json",
                           headers=SAME)
    assert 200 <= response.status_code < 500, (body, response.status_code)
    assert b"<script" not in response.data


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fields=st.dictionaries(st.sampled_from(["id", "page", "section", "text", "revision"]),
                              st.text(max_size=40)),
       query=st.binary(max_size=60), lang=st.sampled_from(["en", "es", "zh"]))
def test_any_form_gets_an_answer_below_500_that_echoes_no_markup(client, fields, query, lang):
    fields = {k: v.replace("\x00", "") + "<script>" for k, v in fields.items()}
    url = report_path(lang) + "?" + query.decode("latin-1")
    response = client.post(url, data=fields, headers=SAME)
    assert 200 <= response.status_code < 500
    assert "<script>" not in response.get_data(as_text=True)


def test_the_rate_limit_holds_across_two_gunicorn_workers(tmp_path):
    port = free_port()
    env = {**os.environ, "GUIDE_DATABASE_URL": f"sqlite:///{tmp_path / 'r.sqlite3'}",
           "GUIDE_REPORTS_PER_HOUR": "10", "GUIDE_CACHE_DIR": str(tmp_path / "cache"),
           "GUIDE_STATIC_BUILD_DIR": str(tmp_path / "static")}
    process = subprocess.Popen(gunicorn_command(port), cwd=PROJECT_ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"

    def send(report):
        request = urllib.request.Request(base + "/api/reports", data=json.dumps(report).encode(),
                                         headers={"Content-Type": "application/json", **SAME})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    try:
        wait_until_serving(process, base + "/healthz")
        # New connections each time: the two workers take turns accepting them.
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(send, [a_report() for _ in range(16)]))
        assert sorted(answers) == [201] * 10 + [429] * 6
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_an_export_without_an_app_offers_no_report(exported):
    pages = [p for p in exported.rglob("*.html")]
    assert len(pages) > 30 and not any(b'class="report"' in p.read_bytes() for p in pages)
    assert not list(exported.glob("*/report"))
    headers = (exported / "_headers").read_text(encoding="utf-8")
    assert f"Content-Security-Policy: {CONTENT_SECURITY_POLICY}\n" in headers


def test_an_export_with_reports_origin_posts_there_and_its_policy_allows_only_it(make_app,
                                                                                tmp_path):
    app = make_app(REPORTS_ORIGIN="https://app.example")
    out = export_into(app, tmp_path / "out")
    page = (out / "en" / "transfer-faq" / "index.html").read_text(encoding="utf-8")
    assert 'class="report" href="/en/report/?page=transfer-faq&amp;section=' in page
    form = (out / "en" / "report" / "index.html").read_text(encoding="utf-8")
    assert '<form id="report" method="post" action="https://app.example/en/report/">' in form
    assert '"https://app.example/api/reports"' in (out / "sw.js").read_text(encoding="utf-8")
    policy = re.search(r"Content-Security-Policy: (.*)\n",
                       (out / "_headers").read_text(encoding="utf-8"))[1]
    assert "form-action 'self' https://app.example;" in policy
    assert policy.endswith("; connect-src 'self' https://app.example")
    assert set(re.findall(r"https?://[^ ;]+", policy)) == {"https://app.example"}


def test_the_app_takes_reports_from_exactly_its_export(make_app, tmp_path):
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'r.sqlite3'}",
                   REPORTS_EXPORT_ORIGIN="https://export.example")
    client = app.test_client()
    export = {"Origin": "https://export.example", "Sec-Fetch-Site": "cross-site"}
    preflight = client.options("/api/reports", headers={
        **export, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "https://export.example"
    assert "content-type" in preflight.headers["Access-Control-Allow-Headers"].lower()
    sent = client.post("/api/reports", data=json.dumps(a_report()),
                       content_type="application/json", headers=export)
    assert sent.status_code == 201
    assert sent.headers["Access-Control-Allow-Origin"] == "https://export.example"
    assert client.post(report_path("es"), data=a_report(), headers=export).status_code == 201
    other = {"Origin": "https://other.example", "Sec-Fetch-Site": "cross-site"}
    refused = client.post("/api/reports", data=json.dumps(a_report()),
                          content_type="application/json", headers=other)
    assert refused.status_code == 403 and "Access-Control-Allow-Origin" not in refused.headers
    assert "Access-Control-Allow-Origin" not in client.options(
        "/api/reports", headers=other).headers
    app.extensions["reports"].dispose()


def _first_report(url, barrier, answers):
    """Store one report through a Store of its own, as a gunicorn worker's first does."""
    store = Store(url, 10)
    barrier.wait()
    try:
        answers.put(store.add(Report(**a_report()), "127.0.0.1"))
    except UnavailableError as error:
        answers.put(f"unavailable: {error}")
    finally:
        store.dispose()


def test_two_processes_storing_their_first_reports_at_once_both_succeed(tmp_path):
    """Two workers' first reports on a new SQLite file: switching it to WAL once failed at
    once for one of them (a 503), about 1 time in 3."""
    context = multiprocessing.get_context("fork")
    for attempt in range(20):
        url = f"sqlite:///{tmp_path / f'r{attempt}.sqlite3'}"
        barrier, answers = context.Barrier(2), context.Queue()
        workers = [context.Process(target=_first_report, args=(url, barrier, answers))
                   for _ in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
        assert [answers.get(timeout=5), answers.get(timeout=5)] == [True, True], attempt
