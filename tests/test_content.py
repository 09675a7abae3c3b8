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
    assert len(guide.pages) == 27


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


def test_every_section_states_its_confidence(app):
    for page in app.extensions["guide"].pages.values():
        chunks = re.split(r"<h2 ", page.html)[1:]
        for chunk in chunks:
            assert re.search(r'<p class="confidence (high|medium|low)">', chunk), (
                f"{page.source}: a section has no confidence line"
            )


def test_same_confidence_in_every_language(app):
    """A fact is as sure in Chinese as in English: each section has one level in all three."""
    guide = app.extensions["guide"]
    for slug in PAGES:
        levels = {lang: re.findall(r'<p class="confidence (\w+)">', guide.page(lang, slug).html)
                  for lang in LANGUAGES}
        assert levels["zh"] == levels["es"] == levels["en"], (slug, levels)


def test_low_confidence_facts_are_reported_as_such(app):
    """Cubacel Tur's details come from one weak source: every language hedges them."""
    words = {"en": "reportedly", "es": "según se informa", "zh": "据报道"}
    for lang, word in words.items():
        html = app.extensions["guide"].page(lang, "getting-connected").html
        assert word in html.lower(), lang
        assert "confidence low" in html


def test_no_external_links_or_raw_html_in_content(app):
    for page in app.extensions["guide"].pages.values():
        for href in re.findall(r'href="([^"]*)"', page.html):
            assert href.startswith(("/", "#")), f"{page.source}: {href}"


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
