"""Loading the Markdown: every page renders, and broken files stop startup naming the file."""

import re
from html.parser import HTMLParser

import pytest

from web.build import build_of
from web.config import LANGUAGES, PAGES, SOURCE_LANGUAGE
from web.content import ContentError, check_guide, render_markdown

FAQ_ANCHORS = [
    "etecsa-esim", "data-transfer", "bonus-transfer", "balance-transfer",
    "informal-balance-sales", "hotspot", "travel-esim-data", "transfermovil",
    "esim-only-phone", "why-no-transfer",
]


def test_every_page_exists_in_every_language(app):
    guide = build_of(app).guide
    assert sorted(guide.pages) == sorted((lang, slug) for lang in LANGUAGES for slug in PAGES)
    assert len(guide.pages) == len(LANGUAGES) * len(PAGES)


def test_parity_same_headings_in_every_language(app):
    guide = build_of(app).guide
    assert check_guide(guide, SOURCE_LANGUAGE) == []
    for slug in PAGES:
        ids = {lang: [h.id for h in guide.page(lang, slug).sections] for lang in LANGUAGES}
        assert ids["zh"] == ids["es"] == ids["en"], slug
        assert ids["en"], f"{slug} has no sections"


def test_faq_has_stable_anchors_in_every_language(app):
    guide = build_of(app).guide
    for lang in LANGUAGES:
        ids = [h.id for h in guide.page(lang, "transfer-faq").sections]
        assert ids == FAQ_ANCHORS, lang
        html = guide.page(lang, "transfer-faq").html
        assert '<h2 id="balance-transfer">' in html


BADGE = re.compile(r'<span class="badge (\w+)">([^<]+)</span>')


class BadgeParents(HTMLParser):
    """Collect (tag of the enclosing block, level) for each badge of a page, in order."""

    VOID = {"br", "img", "hr", "input", "meta", "link", "wbr"}

    def __init__(self):
        super().__init__()
        self.open, self.found = [], []

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "span" and "badge" in classes:
            self.found.append((self.open[-1] if self.open else None, classes[-1]))
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag):]


def test_badges_sit_on_the_claims_they_mark(app):
    """Each marked claim shows one badge in its paragraph or list item; no heading has one."""
    for page in build_of(app).guide.pages.values():
        parser = BadgeParents()
        parser.feed(page.html)
        assert [level for _, level in parser.found] == [m.level for m in page.marks], page.source
        assert {tag for tag, _ in parser.found} <= {"p", "li"}, (page.source, parser.found)
        assert "{." not in page.html and "{:" not in page.html, page.source


def test_same_badges_in_the_same_sections_in_every_language(app):
    """A claim is as sure in Chinese as in English: the same levels, section by section."""
    guide = build_of(app).guide
    for slug in guide.slugs:
        levels = {lang: [(m.section, m.level) for m in guide.page(lang, slug).marks]
                  for lang in guide.languages}
        assert levels["zh"] == levels["es"] == levels["en"], (slug, levels)


def test_badges_speak_the_pages_language(app):
    """One short badge text per level and language, the same on every page."""
    texts = {}
    for page in build_of(app).guide.pages.values():
        for level, text in BADGE.findall(page.html):
            texts.setdefault((page.lang, level), set()).add(text)
    assert all(len(found) == 1 for found in texts.values()), texts
    assert texts[("en", "medium")] == {"may be out of date"}
    assert texts[("zh", "low")] == {"未经证实，只有一个不太可靠的来源"}
    assert texts[("es", "medium")] == {"puede estar desactualizado"}


#: The words that say "reportedly" in each language (es "según se informa", "según …").
HEDGES = {"en": ("reportedly",), "es": ("según",), "zh": ("据",)}


def test_every_low_claim_says_reportedly(app):
    """A claim from one weak source says so in its own sentence, in every language."""
    for page in build_of(app).guide.pages.values():
        for mark in page.marks:
            if mark.level == "low":
                assert any(w in mark.text.lower() for w in HEDGES[page.lang]), (page.source, mark)


def test_one_check_date_on_every_page_and_on_about(app, client):
    """The headers and the About page show content/guide.yaml's one date, in each language."""
    from flask_babel import force_locale, format_date

    guide = build_of(app).guide
    for lang in guide.languages:
        with app.test_request_context("/"), force_locale(lang):
            shown = format_date(guide.checked, "long")
        about = guide.page(lang, "about").html
        checked = about[about.index('id="last-reviewed"'):about.index('id="confidence-levels"')]
        assert shown in checked, lang
        for slug in guide.slugs:
            html = client.get(f"/{lang}/{slug}/" if slug != "index" else f"/{lang}/").text
            header = re.search(r'<p class="updated">.*?</p>', html)[0]
            assert f'datetime="{guide.checked.isoformat()}">{shown}</time>' in header, (lang, slug)


def test_chinese_never_says_censorship_review(app):
    """审核 reads as censorship review: the date label is 最近核实 (facts sheet)."""
    for page in build_of(app).guide.pages.values():
        if page.lang == "zh":
            assert "审核" not in page.html + page.title + page.description, page.source
    catalog = app.config["TRANSLATIONS_DIR"] / "zh" / "LC_MESSAGES" / "messages.po"
    assert "审核" not in catalog.read_text(encoding="utf-8")


def test_no_external_links_or_raw_html_in_content(app):
    """Links stay in the guide, but for tel: links that dial one of the page's own codes."""
    for page in build_of(app).guide.pages.values():
        shown = set(codes_of(page.html))
        for href in re.findall(r'href="([^"]*)"', page.html):
            if href.startswith("tel:"):
                assert re.fullmatch(r"tel:[0-9*]+(%23)?", href), f"{page.source}: {href}"
                assert href[4:].replace("%23", "#") in shown, f"{page.source}: {href}"
            else:
                assert href.startswith(("/", "#")), f"{page.source}: {href}"


def codes_of(html):
    """Return the codes a page shows on their own line, in order."""
    return re.findall(r'<p class="code(?: dial)?">(?:<a href="tel:[^"]*">)?<code>([^<]+)</code>',
                      html)


#: The quick-codes page: every code of the facts sheet's "Quick codes", in this order, and the
#: worked example of the change-PIN template (a complete code, shown but never a link: it would
#: change a real PIN).
QUICK_CODES = ["*222#", "*222*266#", "*222*328#", "*133#", "*234*1*NUMBER*PIN*AMOUNT#",
               "*234#", "*234*2*OLDPIN*NEWPIN#", "*234*2*1234*4821#", "LTE", "118", "52642266"]
EXAMPLES = {"*234*2*1234*4821#"}


def shape(code):
    """Return a code with its placeholder words (translated in each language) as `_`."""
    return re.sub(r"[^0-9*#]+", "_", code) if re.search(r"[^0-9*#]", code) else code


def test_quick_codes_are_the_same_in_every_language(app):
    """Complete codes are identical character for character; templates differ only in words."""
    guide = build_of(app).guide
    assert PAGES.index("quick-codes") == PAGES.index("transfer-faq") + 1
    for lang in LANGUAGES:
        codes = codes_of(guide.page(lang, "quick-codes").html)
        assert [shape(c) for c in codes] == [shape(c) for c in QUICK_CODES], lang
        complete = [c for c in codes if re.fullmatch(r"[0-9*#]+", c) and c not in EXAMPLES]
        html = guide.page(lang, "quick-codes").html
        # Every complete code is a tel: link with # written %23; a template or an example
        # never is a link.
        links = re.findall(r'<a href="tel:([^"]*)"><code>([^<]+)</code></a>', html)
        assert [code for _, code in links] == complete, lang
        assert all(href == code.replace("#", "%23") for href, code in links), lang
        assert "LTE" not in [code for _, code in links]


def test_home_page_and_faq_link_to_the_quick_codes(app):
    guide = build_of(app).guide
    for lang in LANGUAGES:
        for slug in ("index", "transfer-faq"):
            assert f'href="/{lang}/quick-codes/' in guide.page(lang, slug).html, (lang, slug)


def test_chinese_uses_one_register_everywhere(app):
    """你 throughout, interface included: never 您 (facts sheet, language and style)."""
    for page in build_of(app).guide.pages.values():
        if page.lang == "zh":
            assert "您" not in page.html and "您" not in page.title + page.description, page.source
    catalog = (app.config["TRANSLATIONS_DIR"] / "zh" / "LC_MESSAGES" / "messages.po")
    assert "您" not in catalog.read_text(encoding="utf-8")


def test_raw_html_is_escaped():
    html, _, _, _ = render_markdown(
        "Hi <script>alert(1)</script>\n\n<div onclick=x>block</div>\n\n<img src=x onerror=y>",
        slug="index", resolve=lambda slug, anchor: "/x/",
    )
    assert "<script" not in html and "<div" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;div onclick=x&gt;block&lt;/div&gt;" in html


def test_links_are_rewritten_per_language():
    html, _, _, targets = render_markdown(
        "[a](transfer-faq.md#balance-transfer) [b](index.md) [c](#here)\n\n## Here {#here}",
        slug="about", resolve=lambda slug, anchor: f"/es/{slug}/#{anchor}",
    )
    assert '<a href="/es/transfer-faq/#balance-transfer">a</a>' in html
    assert '<a href="#here">c</a>' in html
    assert targets == [("transfer-faq", "balance-transfer"), ("index", None), ("about", "here")]


def test_chinese_headings_get_unicode_ids():
    html, sections, _, _ = render_markdown("## 能转移流量吗\n\n### 小标题", slug="x", resolve=None)
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
    html, _, _, targets = render_markdown(
        "[`*222#`](tel:*222%23)\n\n`*234*1*NUMBER*PIN*AMOUNT#`\n\n`*234*2*1234*4821#`\n\n"
        "Dial `*133#` now.",
        slug="x", resolve=None,
    )
    # Only a code that can be dialled as it stands gets `dial` (and so a Copy button).
    assert html == ('<p class="code dial"><a href="tel:*222%23"><code>*222#</code></a></p>\n'
                    '<p class="code"><code>*234*1*NUMBER*PIN*AMOUNT#</code></p>\n'
                    '<p class="code dial"><code>*234*2*1234*4821#</code></p>\n'
                    "<p>Dial <code>*133#</code> now.</p>")
    assert targets == []


BADGES = {"medium": "puede estar desactualizado", "low": "sin confirmar"}


def test_badges_mark_paragraphs_and_list_items():
    html, sections, marks, _ = render_markdown(
        "Intro.\n{.low}\n\n## Plans {#plans}\n\nSure.\n\nPerhaps [so](#plans).\n{.medium}\n\n"
        "- one\n  {.low}\n- two\n\n## Codes {#codes}\n",
        slug="x", resolve=lambda slug, anchor: "", badges=BADGES,
    )
    assert html == (
        '<p>Intro. <span class="badge low">sin confirmar</span></p>\n'
        '<h2 id="plans">Plans</h2>\n<p>Sure.</p>\n'
        '<p>Perhaps <a href="#plans">so</a>. '
        '<span class="badge medium">puede estar desactualizado</span></p>\n'
        '<ul>\n<li>one <span class="badge low">sin confirmar</span></li>\n<li>two</li>\n</ul>\n'
        '<h2 id="codes">Codes</h2>')
    assert [(h.id, h.title) for h in sections] == [("plans", "Plans"), ("codes", "Codes")]
    assert [(m.section, m.level, m.text) for m in marks] == [
        ("", "low", "Intro."), ("plans", "medium", "Perhaps so."), ("plans", "low", "one")]


def test_a_badge_goes_before_a_nested_list():
    html, _, marks, _ = render_markdown("- outer\n  {.medium}\n    - inner\n", slug="x",
                                        resolve=None, badges=BADGES)
    assert html == ('<ul>\n<li>outer <span class="badge medium">puede estar desactualizado</span>'
                    "\n<ul>\n<li>inner</li>\n</ul>\n</li>\n</ul>")
    assert [m.text for m in marks] == ["outer"]


PRICE = re.compile(r"\d[\d,.]*\s?(?:CUP|古巴比索|USD)|(?:US)?\$\s?\d|\d\s?(?:美元|dólares)")
YEAR = re.compile(r"20[12]\d")


#: What a price from an undated source says instead of a year (facts sheet: never our own date).
UNDATED = {"en": "undated source", "es": "fuente sin fecha", "zh": "来源未注明日期"}


def test_every_price_has_its_date_beside_it(app):
    """A price's paragraph, list item or table row gives its source's year (or says the source
    is undated), or its table's header does."""
    for page in build_of(app).guide.pages.values():
        html = page.html

        def dated(text, lang=page.lang):
            return YEAR.search(text) or UNDATED[lang] in text

        for table in re.findall(r"<table>.*?</table>", html, re.S):
            head = re.search(r"<thead>.*?</thead>", table, re.S)[0]
            for row in re.findall(r"<tr>.*?</tr>", table, re.S):
                if PRICE.search(row):
                    assert dated(row) or dated(head), (page.source, row)
        html = re.sub(r"<table>.*?</table>", "", html, flags=re.S)
        for block in re.findall(r"<(p|li)(?: [^>]*)?>(.*?)</\1>", html, re.S):
            if PRICE.search(block[1]):
                assert dated(block[1]), (page.source, block[1])


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
        ("---\ntitle: T\ndescription: D\nupdated: 2026-11-23\n---\nA\n{.low .medium}\n",
         "two confidence levels"),
        ("---\ntitle: T\ndescription: D\nupdated: 2026-11-23\n---\n## A {#a .medium}\n",
         "not a heading or other block"),
        ("---\ntitle: T\ndescription: D\nupdated: 2026-11-23\n---\n- A {.low}\n",
         "was not read as a mark"),
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
                  "zh": {"done": "12", "total": "30", "pages": "××", "size": "××", "date": "××"}}


def test_offline_help_quotes_the_status_line_as_the_page_shows_it(app):
    """What the guide says the status line reads is what app.js shows, in every language."""
    from web.i18n import script_strings

    strings = script_strings(app)
    for lang, example in STATUS_EXAMPLE.items():
        text = build_of(app).guide.page(lang, "offline-help").html
        for name in ("progress", "saved"):
            quoted = re.sub(r"\{(\w+)\}", lambda m, ex=example: ex[m[1]], strings[lang][name])
            assert quoted in text, (lang, quoted)


def test_about_lists_the_same_sources_everywhere(app):
    """The About page's source list: the same entries, with the same dates, in every language."""
    years = {}
    for lang in LANGUAGES:
        html = build_of(app).guide.page(lang, "about").html
        sources = html[html.index('id="sources"'):]
        items = re.findall(r"<li>(.*?)</li>", sources, re.S)
        years[lang] = [re.findall(r"20\d\d", item) for item in items]
    assert years["en"] and years["zh"] == years["es"] == years["en"]
    newest = max(int(y) for item in years["en"] for y in item)
    for lang in LANGUAGES:  # the date range the page states ends with its newest source
        reviewed = build_of(app).guide.page(lang, "about").html
        assert str(newest) in reviewed[reviewed.index('id="last-reviewed"'):
                                       reviewed.index('id="confidence-levels"')]


@pytest.mark.parametrize(("text", "message"), [
    (None, "is missing"),
    ("checked: '2026-12-03'\n", "must be an unquoted ISO date"),
    ("checked: [\n", "is not valid YAML"),
])
def test_a_broken_check_date_stops_startup_naming_its_file(make_app, content_copy, text,
                                                          message):
    path = content_copy / "guide.yaml"
    if text is None:
        path.unlink()
    else:
        write(path, text)
    with pytest.raises(ContentError, match=message) as info:
        make_app(content_copy)
    assert str(info.value).startswith(str(path))
