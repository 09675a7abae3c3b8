"""Loading the Markdown: every page renders, and broken files stop startup naming the file."""

import re

import pytest

from web.config import LANGUAGES, PAGES, SOURCE_LANGUAGE
from web.content import ContentError, check_guide, render_markdown

FAQ_ANCHORS = [
    "etecsa-esim", "data-transfer", "bonus-transfer", "balance-transfer",
    "informal-balance-sales", "hotspot", "travel-esim-data", "transfermovil",
    "esim-only-phone", "why-no-transfer",
]


def test_every_page_exists_in_every_language(app):
    guide = app.extensions["guide"]
    assert sorted(guide.pages) == sorted((lang, slug) for lang in LANGUAGES for slug in PAGES)
    assert len(guide.pages) == 30


def test_parity_same_headings_in_every_language(app):
    guide = app.extensions["guide"]
    assert check_guide(guide, SOURCE_LANGUAGE) == []
    for slug in PAGES:
        ids = {lang: [h.id for h in guide.page(lang, slug).sections] for lang in LANGUAGES}
        assert ids["zh"] == ids["es"] == ids["en"], slug
        assert ids["en"], f"{slug} has no sections"


def test_faq_has_stable_anchors_in_every_language(app):
    guide = app.extensions["guide"]
    for lang in LANGUAGES:
        ids = [h.id for h in guide.page(lang, "transfer-faq").sections]
        assert ids == FAQ_ANCHORS, lang
        html = guide.page(lang, "transfer-faq").html
        assert '<h2 id="balance-transfer">' in html


BADGE = re.compile(r'<span class="badge (\w+)">([^<]+)</span>')


def section_chunks(html):
    """Return the HTML of each `##` section of a page: its heading and what follows it."""
    return ["<h2 " + chunk for chunk in re.split(r"<h2 ", html)[1:]]


def test_badges_show_only_on_medium_and_low_sections(app):
    """High-confidence and instruction sections carry no label; others carry exactly one badge."""
    for page in app.extensions["guide"].pages.values():
        chunks = section_chunks(page.html)
        assert len(chunks) == len(page.sections), page.source
        for section, chunk in zip(page.sections, chunks, strict=True):
            badges = BADGE.findall(chunk)
            heading = chunk[: chunk.index("</h2>")]
            expected = [section.confidence] if section.confidence else []
            assert [level for level, _ in badges] == expected, (page.source, section.id)
            assert all(b in heading for b in re.findall(r'<span class="badge[^>]*>', chunk))
        assert 'class="confidence' not in page.html, f"{page.source}: an old confidence line"


def test_same_confidence_in_every_language(app):
    """A fact is as sure in Chinese as in English: each section has one level in all three."""
    guide = app.extensions["guide"]
    for slug in PAGES:
        levels = {lang: [(h.id, h.confidence) for h in guide.page(lang, slug).sections]
                  for lang in LANGUAGES}
        assert levels["zh"] == levels["es"] == levels["en"], (slug, levels)


def test_badges_speak_the_pages_language(app):
    """One short badge text per level and language, the same on every page."""
    texts = {}
    for page in app.extensions["guide"].pages.values():
        for level, text in BADGE.findall(page.html):
            texts.setdefault((page.lang, level), set()).add(text)
    assert all(len(found) == 1 for found in texts.values()), texts
    assert texts[("en", "medium")] == {"may be out of date"}
    assert texts[("zh", "low")] == {"未经证实，只有一个不太可靠的来源"}
    assert texts[("es", "medium")] == {"puede estar desactualizado"}


def test_low_confidence_facts_are_reported_as_such(app):
    """Every low section says "reportedly" in its own words, in every language."""
    words = {"en": "reportedly", "es": "según", "zh": "据"}
    for page in app.extensions["guide"].pages.values():
        for section, chunk in zip(page.sections, section_chunks(page.html), strict=True):
            if section.confidence == "low":
                body = chunk[chunk.index("</h2>"):].lower()
                assert words[page.lang] in body, (page.source, section.id)


def test_no_external_links_or_raw_html_in_content(app):
    """Links stay in the guide, but for tel: links that dial one of the page's own codes."""
    for page in app.extensions["guide"].pages.values():
        shown = set(codes_of(page.html))
        for href in re.findall(r'href="([^"]*)"', page.html):
            if href.startswith("tel:"):
                assert re.fullmatch(r"tel:[0-9*]+(%23)?", href), f"{page.source}: {href}"
                assert href[4:].replace("%23", "#") in shown, f"{page.source}: {href}"
            else:
                assert href.startswith(("/", "#")), f"{page.source}: {href}"


def codes_of(html):
    """Return the codes a page shows on their own line, in order."""
    return re.findall(r'<p class="code">(?:<a href="tel:[^"]*">)?<code>([^<]+)</code>', html)


#: The quick-codes page: every code of the facts sheet's "Quick codes", in this order.
QUICK_CODES = ["*222#", "*222*266#", "*222*328#", "*133#", "*234*1*NUMBER*PIN*AMOUNT#",
               "*234#", "*234*2*OLDPIN*NEWPIN#", "LTE", "118", "52642266"]


def shape(code):
    """Return a code with its placeholder words (translated in each language) as `_`."""
    return re.sub(r"[^0-9*#]+", "_", code) if re.search(r"[^0-9*#]", code) else code


def test_quick_codes_are_the_same_in_every_language(app):
    """Complete codes are identical character for character; templates differ only in words."""
    guide = app.extensions["guide"]
    assert PAGES.index("quick-codes") == PAGES.index("transfer-faq") + 1
    for lang in LANGUAGES:
        codes = codes_of(guide.page(lang, "quick-codes").html)
        assert [shape(c) for c in codes] == [shape(c) for c in QUICK_CODES], lang
        complete = [c for c in codes if re.fullmatch(r"[0-9*#]+", c)]
        html = guide.page(lang, "quick-codes").html
        # Every complete code is a tel: link with # written %23; a template never is a link.
        links = re.findall(r'<a href="tel:([^"]*)"><code>([^<]+)</code></a>', html)
        assert [code for _, code in links] == complete, lang
        assert all(href == code.replace("#", "%23") for href, code in links), lang
        assert "LTE" not in [code for _, code in links]


def test_home_page_and_faq_link_to_the_quick_codes(app):
    guide = app.extensions["guide"]
    for lang in LANGUAGES:
        for slug in ("index", "transfer-faq"):
            assert f'href="/{lang}/quick-codes/' in guide.page(lang, slug).html, (lang, slug)


def test_chinese_uses_one_register_everywhere(app):
    """你 throughout, interface included: never 您 (facts sheet, language and style)."""
    for page in app.extensions["guide"].pages.values():
        if page.lang == "zh":
            assert "您" not in page.html and "您" not in page.title + page.description, page.source
    catalog = (app.config["TRANSLATIONS_DIR"] / "zh" / "LC_MESSAGES" / "messages.po")
    assert "您" not in catalog.read_text(encoding="utf-8")


def test_raw_html_is_escaped():
    html, _, _ = render_markdown(
        "Hi <script>alert(1)</script>\n\n<div onclick=x>block</div>\n\n<img src=x onerror=y>",
        slug="index", resolve=lambda slug, anchor: "/x/",
    )
    assert "<script" not in html and "<div" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;div onclick=x&gt;block&lt;/div&gt;" in html


def test_links_are_rewritten_per_language():
    html, _, targets = render_markdown(
        "[a](transfer-faq.md#balance-transfer) [b](index.md) [c](#here)\n\n## Here {#here}",
        slug="about", resolve=lambda slug, anchor: f"/es/{slug}/#{anchor}",
    )
    assert '<a href="/es/transfer-faq/#balance-transfer">a</a>' in html
    assert '<a href="#here">c</a>' in html
    assert targets == [("transfer-faq", "balance-transfer"), ("index", None), ("about", "here")]


def test_chinese_headings_get_unicode_ids():
    html, sections, _ = render_markdown("## 能转移流量吗\n\n### 小标题", slug="x", resolve=None)
    assert '<h2 id="能转移流量吗">' in html
    assert '<h3 id="小标题">' in html
    assert sections[0].id == "能转移流量吗"


def test_front_matter_is_standard_yaml(content_copy):
    """Every page's front matter reads with PyYAML's safe loader alone, as other tools read it."""
    import yaml

    for path in sorted(content_copy.glob("*/*.md")):
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        assert set(meta) == {"title", "description", "updated"}, path
        assert isinstance(meta["title"], str) and isinstance(meta["description"], str), path


def test_codes_are_marked_and_tel_links_kept():
    html, _, targets = render_markdown(
        "[`*222#`](tel:*222%23)\n\n`*234*1*NUMBER*PIN*AMOUNT#`\n\nDial `*133#` now.",
        slug="x", resolve=None,
    )
    assert html == ('<p class="code"><a href="tel:*222%23"><code>*222#</code></a></p>\n'
                    '<p class="code"><code>*234*1*NUMBER*PIN*AMOUNT#</code></p>\n'
                    "<p>Dial <code>*133#</code> now.</p>")
    assert targets == []


def test_badges_come_from_the_heading_mark():
    html, sections, _ = render_markdown(
        "## Plans {#plans .medium}\n\nText.\n\n## Codes {#codes}\n",
        slug="x", resolve=None, badges={"medium": "puede estar desactualizado", "low": "x"},
    )
    assert html.startswith('<h2 id="plans">Plans <span class="badge medium">'
                           "puede estar desactualizado</span></h2>")
    assert [(h.id, h.title, h.confidence) for h in sections] == [
        ("plans", "Plans", "medium"), ("codes", "Codes", None)]


PRICE = re.compile(r"\d[\d,.]*\s?(?:CUP|古巴比索|USD)|(?:US)?\$\s?\d|\d\s?(?:美元|dólares)")
YEAR = re.compile(r"20[12]\d")


def test_every_price_has_its_date_beside_it(app):
    """A price's paragraph, list item or table row gives a year, or its table's header does."""
    for page in app.extensions["guide"].pages.values():
        html = page.html
        for table in re.findall(r"<table>.*?</table>", html, re.S):
            head = re.search(r"<thead>.*?</thead>", table, re.S)[0]
            for row in re.findall(r"<tr>.*?</tr>", table, re.S):
                if PRICE.search(row):
                    assert YEAR.search(row) or YEAR.search(head), (page.source, row)
        html = re.sub(r"<table>.*?</table>", "", html, flags=re.S)
        for block in re.findall(r"<(p|li)>(.*?)</\1>", html, re.S):
            if PRICE.search(block[1]):
                assert YEAR.search(block[1]), (page.source, block[1])


def write(path, text):
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no front matter\n", "must start with a front matter block"),
        ("---\ntitle: T\ndescription: D\nupdated: 2026-11-23\n", "not closed"),
        ("---\ndescription: D\nupdated: 2026-11-23\n---\nx\n", "no 'title'"),
        ("---\ntitle: T\ndescription: D\nupdated: soon\n---\nx\n", "not an ISO date"),
        ("---\ntitle: T\ndescription: D\nupdated: 2026-11-23\nauthor: x\n---\n", "expected one of"),
        ("---\ntitle: T\ndescription: D\nupdated: 2026-11-23\n---\n# H1\n", "'#' heading"),
        ("---\ntitle: Before you go: checklist\ndescription: D\nupdated: 2026-11-23\n---\n",
         "line 2: front matter is not valid YAML"),
        ("---\ntitle: T\ndescription: \"D\nupdated: 2026-11-23\n---\n", "not valid YAML"),
        ("---\ntitle: 2026\ndescription: D\nupdated: 2026-11-23\n---\n", "must be text"),
        ("---\n- title\n---\n", "must be a YAML mapping"),
        ("---\ntitle: T\ndescription: D\nupdated: 2026-11-23 10:00:00\n---\n", "not an ISO date"),
        ("---\ntitle: T\ndescription: D\nupdated: 2026-11-23\n---\n[x](tel:*222%23)\n",
         "the text must be the code"),
        ("---\ntitle: T\ndescription: D\nupdated: 2026-11-23\n---\n[`*222#`](tel:*222#)\n",
         "a tel: link holds digits"),
        ("---\ntitle: T\ndescription: D\nupdated: 2026-11-23\n---\n[`118`](tel:+118)\n",
         "a tel: link holds digits"),
        ("---\ntitle: T\ndescription: D\nupdated: 2026-11-23\n---\n[2266](sms:2266)\n",
         "is not of the form"),
        ("---\ntitle: T\ndescription: D\nupdated: 2026-11-23\n---\n[x](javascript:alert(1))\n",
         "is not of the form"),
        ("---\ntitle: T\ndescription: D\nupdated: 2026-11-23\n---\n<https://evil.example/>\n",
         "is not of the form"),
        ("---\ntitle: T\ndescription: D\nupdated: 2026-11-23\n---\n## A {#a .low .medium}\n",
         "two confidence levels"),
        ("---\ntitle: T\ndescription: D\nupdated: 2026-11-23\n---\n[x](https://evil.example/)\n",
         "is not of the form"),
    ],
)
def test_broken_file_stops_startup_naming_it(make_app, content_copy, text, message):
    broken = content_copy / "es" / "about.md"
    write(broken, text)
    with pytest.raises(ContentError) as info:
        make_app(content_copy)
    assert str(info.value).startswith(str(broken))
    assert message in str(info.value)


@pytest.mark.parametrize(("link", "message"), [
    ("[x](nope.md)", "links to nope.md, which is not a page"),
    ("[x](about.md#nope)", "links to about.md#nope, which has no such heading"),
    ("[x](#nope)", "links to about.md#nope, which has no such heading"),
])
def test_broken_link_stops_startup_naming_its_file(make_app, content_copy, link, message):
    broken = content_copy / "es" / "about.md"
    write(broken, broken.read_text(encoding="utf-8") + f"\n{link}\n")
    with pytest.raises(ContentError) as info:
        make_app(content_copy)
    assert str(info.value).startswith(str(broken))
    assert message in str(info.value)


def test_missing_page_in_one_language_stops_startup(make_app, content_copy):
    (content_copy / "zh" / "before-you-go.md").unlink()
    missing = r"zh/before-you-go\.md: page 'before-you-go' is missing"
    with pytest.raises(ContentError, match=missing):
        make_app(content_copy)


def test_unknown_page_file_stops_startup(make_app, content_copy):
    write(content_copy / "en" / "extra.md",
          "---\ntitle: T\ndescription: D\nupdated: 2026-11-23\n---\n")
    with pytest.raises(ContentError, match=r"en/extra\.md: is not a page"):
        make_app(content_copy)


def test_invalid_utf8_stops_startup(make_app, content_copy):
    (content_copy / "en" / "about.md").write_bytes(b"---\ntitle: \xff\n---\n")
    with pytest.raises(ContentError, match=r"en/about\.md: is not valid UTF-8"):
        make_app(content_copy)


#: How each language's offline-help page writes the status line's placeholders.
STATUS_EXAMPLE = {"en": {"done": "12", "total": "30", "pages": "N", "size": "X", "date": "DATE"},
                  "es": {"done": "12", "total": "30", "pages": "N", "size": "X", "date": "FECHA"},
                  "zh": {"done": "12", "total": "30", "pages": "N", "size": "X", "date": "DATE"}}


def test_offline_help_quotes_the_status_line_as_the_page_shows_it(app):
    """What the guide says the status line reads is what app.js shows, in every language."""
    from web.i18n import script_strings

    strings = script_strings(app)
    for lang, example in STATUS_EXAMPLE.items():
        text = app.extensions["guide"].page(lang, "offline-help").html
        for name in ("progress", "saved"):
            quoted = re.sub(r"\{(\w+)\}", lambda m, ex=example: ex[m[1]], strings[lang][name])
            assert quoted in text, (lang, quoted)


def test_about_lists_the_same_sources_everywhere(app):
    """The About page's source list: the same entries, with the same dates, in every language."""
    years = {}
    for lang in LANGUAGES:
        html = app.extensions["guide"].page(lang, "about").html
        sources = html[html.index('id="sources"'):]
        items = re.findall(r"<li>(.*?)</li>", sources, re.S)
        years[lang] = [re.findall(r"20\d\d", item) for item in items]
    assert len(years["en"]) == 15
    assert years["zh"] == years["es"] == years["en"]
    newest = max(int(y) for item in years["en"] for y in item)
    for lang in LANGUAGES:  # the date range the page states ends with its newest source
        reviewed = app.extensions["guide"].page(lang, "about").html
        assert str(newest) in reviewed[reviewed.index('id="last-reviewed"'):
                                       reviewed.index('id="confidence-levels"')]
