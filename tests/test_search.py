"""Search: one definition in Python (web/search.py) and JavaScript (service_worker/search.js).

Matching tables per language run against Flask; then Node runs search.js over the same saved
pages for hundreds of queries, and every results page must be byte for byte what Flask serves.
"""

import json
import random
import re
import shutil
import subprocess
from html import unescape as html_unescape

import pytest
from tooling import skip_or_fail

from web.build import build_of, worker_constants
from web.config import LANGUAGES, PROJECT_ROOT
from web.search import MAX_QUERY, fold

SEARCH_JS = PROJECT_ROOT / "service_worker" / "search.js"
CORE_JS = PROJECT_ROOT / "service_worker" / "core.js"


def results(client, lang, query):
    """Return [(url, heading text, snippet html)] of a search, and the whole page."""
    response = client.get(f"/{lang}/search/", query_string={"q": query})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    found = re.findall(r'<li><a href="([^"]+)">(.*?)</a><br>(.*?)</li>', html)
    return found, html


def folded_text_of(snippet):
    """Return a snippet's text, folded, without its marks."""
    return fold(html_unescape(re.sub(r"</?mark>", "", snippet)))[0]


@pytest.mark.parametrize(("lang", "query", "expect"), [
    # Case-insensitive, and the snippet marks the match.
    ("en", "pin", "/en/quick-codes/#change-pin"),
    ("en", "PIN", "/en/quick-codes/#change-pin"),
    ("en", "Hotspot", "/en/transfer-faq/#hotspot"),
    ("en", "eSIM", None),
    ("en", "*222#", "/en/quick-codes/#main-balance"),
    ("en", "*133#", "/en/quick-codes/#buy-plans"),
    ("en", "52642266", "/en/quick-codes/#mobile-assistance"),
    ("en", "quick codes", "/en/quick-codes/"),
    ("en", "balance transfer", None),
    ("en", "ＰＩＮ", "/en/quick-codes/#change-pin"),  # full-width letters fold too
    # Spanish: accents optional both ways.
    ("es", "linea", None),
    ("es", "línea", None),
    ("es", "codigos rapidos", "/es/quick-codes/"),
    ("es", "CÓDIGOS RÁPIDOS", "/es/quick-codes/"),
    ("es", "saldo", None),
    ("es", "*222#", "/es/quick-codes/#main-balance"),
    ("es", "apagon", None),
    ("es", "recarga", None),
    ("es", "transferir saldo", None),
    ("es", "118", "/es/quick-codes/#complaints"),
    # Chinese: substrings.
    ("zh", "余额", None),
    ("zh", "话费", None),
    ("zh", "转账", None),
    ("zh", "常用代码", "/zh/quick-codes/"),
    ("zh", "*222#", "/zh/quick-codes/#main-balance"),
    ("zh", "个人热点", "/zh/transfer-faq/#hotspot"),
    ("zh", "停电", None),
    ("zh", "4G", None),
    ("zh", "eSIM", None),
    ("zh", "LTE", "/zh/quick-codes/#turn-on-4g"),
])
def test_matching_table(client, lang, query, expect):
    found, _ = results(client, lang, query)
    assert found, (lang, query)
    if expect:
        assert expect in [url for url, _, _ in found], (lang, query, found[:5])
    terms = fold(query)[0].split()
    for url, heading, snippet in found:
        assert url.startswith(f"/{lang}/")
        # Every term is in the heading or the snippet's section; the snippet marks the first.
        text = fold(heading)[0] + " " + folded_text_of(snippet)
        assert all(t in text for t in terms) or "…" in snippet, (query, url)
        if any(t in folded_text_of(snippet) for t in terms):
            assert "<mark>" in snippet


def test_accents_are_optional(client):
    """The same sections, in the same order, with or without accents."""
    for plain, accented in [("linea", "línea"), ("codigo", "código"), ("dias", "días"),
                            ("informacion", "información"), ("pais", "país")]:
        assert results(client, "es", plain)[0] == results(client, "es", accented)[0], plain


def test_chinese_matches_inside_words(client, app):
    """余额 finds every section whose text holds it, inside longer words too."""
    found, _ = results(client, "zh", "余额")
    pages = build_of(app).search.pages["zh"]
    holding = [s.url for s in pages if "余额" in s.text or "余额" in s.heading]
    assert sorted(url for url, _, _ in found) == sorted(holding)
    longer = [s for s in pages if re.search(r"\w余额|余额\w", s.text)]
    assert longer, "the guide has 余额 inside longer words (话费余额, 余额转移…)"


def test_title_hits_first_then_headings_then_text(client, app):
    found, _ = results(client, "en", "quick codes")
    urls = [url for url, _, _ in found]
    assert urls[0] == "/en/quick-codes/"  # the page whose title matches
    found, _ = results(client, "en", "pin")
    index = {s.url: s for s in build_of(app).search.pages["en"]}
    tiers = [0 if "#" not in url and "pin" in index[url].page_title.lower()
             else 1 if "pin" in index[url].heading.lower() else 2 for url, _, _ in found]
    assert tiers == sorted(tiers) and 1 in tiers and 2 in tiers, tiers


def test_no_match_points_to_other_languages(client):
    found, html = results(client, "en", "余额")
    assert found == []
    link = 'href="/zh/search/?q=%E4%BD%99%E9%A2%9D" hreflang="zh-Hans" lang="zh-Hans">中文</a>'
    assert link in html
    found, html = results(client, "en", "zzqqxx")
    assert found == [] and "Nothing found for “zzqqxx”." in html
    assert "Found in other languages" not in html


def test_empty_query_gives_the_page_with_a_hint(client):
    for query in ("", "   ", "\x00"):
        found, html = results(client, "es", query)
        assert found == [] and "Escriba una palabra o un código" in html


def test_results_page_is_noindex_and_in_the_readers_language(client):
    found, html = results(client, "zh", "余额")
    assert '<meta name="robots" content="noindex">' in html
    assert '<html lang="zh-Hans">' in html
    assert "<title>搜索: 余额 · 古巴手机流量指南</title>" in html
    # The header's box holds the query; the language links keep it.
    assert 'name="q" value="余额"' in html
    assert 'href="/en/search/?q=%E4%BD%99%E9%A2%9D" hreflang="en"' in html


@pytest.mark.parametrize("query", [
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "'; DROP TABLE x; --",
    "\x00<b>", "a" * 5000, "%00", "&amp;", "{q}", "{n}", "\ufffd", "😀 pin",
])
def test_any_query_is_escaped_never_reflected(client, query):
    found, html = results(client, "en", query)
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>" not in html
    assert "\x00" not in html
    shown = re.search(r'name="q" value="([^"]*)"', html)[1]
    assert len(html_unescape(shown)) <= MAX_QUERY


def test_long_query_is_cut_without_error(client):
    found, html = results(client, "en", "pin " * 100)
    assert found and re.search(r'name="q" value="([^"]*)"', html)[1] == ("pin " * 50).strip()


def test_invalid_utf8_and_raw_bytes(client):
    for raw in (b"q=%ff%fe", b"q=%c0%ae", b"q=%00%00", b"q=a&q=b", b"q", b"q=%E4%BD"):
        response = client.get("/en/search/?" + raw.decode())
        assert response.status_code == 200, raw


def test_search_needs_a_language(client):
    assert client.get("/fr/search/?q=pin").status_code == 404
    assert client.get("/search/?q=pin").status_code == 404
    assert client.post("/en/search/?q=pin").status_code == 405


# --- the same results from search.js ---------------------------------------------------------

NODE_RUNNER = r"""
const fs = require('fs'), vm = require('vm');
const input = JSON.parse(fs.readFileSync(0, 'utf8'));
const script = input.scripts.map((path) => fs.readFileSync(path, 'utf8')).join('\n');
const api = vm.runInNewContext(script + ';({buildIndex, resultsPage})', input.constants);
const pages = {};
for (const [lang, list] of Object.entries(input.pages)) pages[lang] = api.buildIndex(list);
const out = input.queries.map(([lang, q]) => api.resultsPage(q, lang, pages, input.shells[lang]));
process.stdout.write(JSON.stringify(out));
"""


def sample_queries(app):
    """Return many (lang, query) pairs: words and substrings of the guide, codes, odd input."""
    rng = random.Random(2026)
    queries = []
    for lang in LANGUAGES:
        for section in build_of(app).search.pages[lang]:
            words = section.text.split(" ")
            for _ in range(2):
                word = rng.choice(words)
                queries.append((lang, word))
                queries.append((lang, word.upper()))
            start = rng.randrange(max(1, len(section.text) - 6))
            queries.append((lang, section.text[start:start + rng.randint(1, 6)]))
            queries.append((lang, " ".join(rng.sample(words, min(2, len(words))))))
        for odd in ("", " ", "*222#", "*234*1*", "<mark>", "&lt;", "'\"", "\x00x", "a" * 300,
                    "telefono", "teléfono", "余额", "zzqqxx", "ｅＳＩＭ", "ﬁ", "İ", "ß", "😀",
                    "%", "{q}", "1,000", "…", "›", "\u3000余额", "n\u0303", "ñ", "Ñ"):
            queries.append((lang, odd))
    return queries


def test_search_js_gives_the_same_pages_as_flask(app, client):
    node = shutil.which("node")
    if node is None:
        skip_or_fail("SEARCH EQUIVALENCE TEST SKIPPED: no node (apt-get install nodejs)")
    search = build_of(app).search
    site = build_of(app).site
    pages = {lang: [(s.url, site[s.url].data.decode()) for s in search.pages[lang]
                    if "#" not in s.url] for lang in LANGUAGES}
    queries = sample_queries(app)
    assert len(queries) > 500
    # search.js as the worker runs it: after core.js, under sw.js's generated constants.
    built = build_of(app)
    constants = worker_constants(app.config, built.guide, list(built.precache), built.pack)
    payload = {"scripts": [str(CORE_JS), str(SEARCH_JS)], "constants": constants, "pages": pages,
               "shells": search.shells, "queries": queries}
    result = subprocess.run([node, "-e", NODE_RUNNER], input=json.dumps(payload), text=True,
                            capture_output=True, timeout=120, check=True)
    from_js = json.loads(result.stdout)
    for (lang, query), js_page in zip(queries, from_js, strict=True):
        assert js_page == search.page(lang, query), (lang, query)
    print(f"search.js matched Flask on {len(queries)} queries")


def test_guide_text_is_in_the_basic_plane(app):
    """search.js counts UTF-16 units, Python code points: equal while the text stays in the BMP."""
    for lang in LANGUAGES:
        for section in build_of(app).search.pages[lang]:
            assert all(ord(c) < 0x10000 for c in section.text + section.heading), section.url



@pytest.mark.parametrize("lang, queries", [
    ("en", ["pin", "balance", "esim", "hotspot", "price", "airport", "data"]),
    ("es", ["saldo", "datos", "precio", "aeropuerto", "tarjeta", "plan"]),
])
def test_snippets_begin_and_end_between_words(app, lang, queries):
    """A cut snippet (…) starts just after a space and ends just before one, in the section's
    text; and no snippet holds the share block's link text (the page's tools, not its text)."""
    search = build_of(app).search
    texts = [s.text for s in search.pages[lang]]
    cut = 0
    for query in queries:
        page = search.page(lang, query)
        for snippet in re.findall(r"</a><br>(.*?)</li>", page):
            words = html_unescape(re.sub(r"</?mark>", "", snippet))
            core = words.strip("…")
            if words.startswith("…"):
                cut += 1
                assert any(f" {core}" in text for text in texts), (query, words)
            if words.endswith("…"):
                cut += 1
                assert any(f"{core} " in text for text in texts), (query, words)
    assert cut > 10  # the check saw real cuts
    assert not any("Download the guide as one file" in text for text in texts)
