"""`flask --app web bundle FILE.html`: the whole guide in one self-contained file."""

import json
import re
import zipfile

from web.budgets import content_floor
from web.build import build_of
from web.bundle import BUNDLE_URL
from web.config import LANGUAGES, PAGES


def bundle_html(app):
    return build_of(app).bundle.data.decode("utf-8")  # valid UTF-8, or this raises


def test_every_page_in_every_language_with_lang_on_each_section(app):
    html = bundle_html(app)
    guide = build_of(app).guide
    for code, language in LANGUAGES.items():
        section = re.search(rf'<section id="{code}" lang="{language.html_lang}">(.*?)</section>',
                            html, re.S)
        assert section, code
        for slug in PAGES:
            assert f'<article id="{code}-{slug}" class="bundle-page">' in section[1], (code, slug)
            assert guide.page(code, slug).title.replace("'", "&#39;") in section[1]


def test_every_link_lands_on_an_id_in_the_file(app):
    html = bundle_html(app)
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "ids must be unique in one file"
    # In-file anchors, and the quick codes' tel: links, which dial from a file as from the site.
    hrefs = [h for h in re.findall(r'href="([^"]*)"', html) if not h.startswith("tel:")]
    assert hrefs and all(h.startswith("#") for h in hrefs), [h for h in hrefs if h[:1] != "#"]
    missing = {h for h in hrefs if h[1:] not in set(ids)}
    assert missing == set()
    # FAQ anchors survive, one per language: #zh-transfer-faq--balance-transfer and so on.
    for code in LANGUAGES:
        assert f'id="{code}-transfer-faq--balance-transfer"' in html
        assert f'href="#{code}-transfer-faq--balance-transfer"' in html  # the home page links it


def test_self_contained(app):
    html = bundle_html(app)
    assert "<script" not in html and "<link" not in html and "<img" not in html
    assert not re.search(r"(?:src|href)=\"(?!#|tel:)", html)
    assert not re.search(r"https?://(?!www\.w3\.org)", html)
    assert "<style>" in html and "--bg:" in html  # the CSS is inline


def test_bundle_is_served_as_a_download_and_written_by_the_command(app, client, runner, tmp_path):
    response = client.get(BUNDLE_URL, headers={"Accept-Encoding": "br"})
    assert response.status_code == 200
    disposition = 'attachment; filename="cuba-mobile-data-guide.html"'
    assert response.headers["Content-Disposition"] == disposition
    target = tmp_path / "guide.html"
    result = runner.invoke(args=["bundle", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == build_of(app).bundle.data
    # Small enough for Bluetooth: report raw and zipped sizes.
    with zipfile.ZipFile(tmp_path / "guide.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.write(target, "guide.html")
    raw, zipped = target.stat().st_size, (tmp_path / "guide.zip").stat().st_size
    print(f"single file: {raw:,} bytes raw, {zipped:,} bytes zipped")
    # Zipped, it costs less than the content itself compressed page by page (brotli): the
    # limit follows the content instead of a number that content v3 (+41 %) outgrew.
    assert raw < 200_000 and zipped < content_floor(app.config["CONTENT_DIR"])


def test_offline_help_offers_the_single_file(client, app):
    """The link downloads from the app; share.js, with its recipe, makes it from saved pages."""
    for lang in LANGUAGES:
        html = client.get(f"/{lang}/offline-help/").get_data(as_text=True)
        link = re.search(rf'<a href="{BUNDLE_URL}" data-recipe=\'([^\']+)\' data-share="[^"]+">',
                         html)
        assert link, lang
        assert json.loads(link[1]) == build_of(app).bundle_recipe
        assert f'<script src="{build_of(app).static.urls["share.js"]}" defer>' in html
