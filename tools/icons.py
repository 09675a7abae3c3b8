"""`make icons`: draw the PNG icons and share cards from web/static/icons/icon.svg in Chromium.

The SVG is the source; the PNGs are committed, so the server never needs a browser. Each PNG is
a Chromium screenshot, reduced to a palette with pngquant and recompressed with optipng: the
icons and cards are flat shapes and text, so a few colours lose nothing and save most bytes.

The share cards (web/static/cards/<lang>.png, 1200x630, what WeChat, WhatsApp and Telegram show
for a shared link) put the icon beside the guide's title in each language, taken from the
translations, so a card always says what the page's own title bar says. The title is stored in
the PNG as an iTXt "Title" chunk: tests/test_seo.py compares it with the current translation and
asks for `make icons` when they differ. Chinese needs a CJK font on the drawing machine.
"""

import os
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

from babel.support import Translations
from playwright.sync_api import sync_playwright

from web.config import LANGUAGES, PROJECT_ROOT
from web.seo import CARD, CARD_SIZE

STATIC = PROJECT_ROOT / "web" / "static"
TRANSLATIONS = PROJECT_ROOT / "translations"
ICONS = STATIC / "icons"
# icon-192 is also the apple-touch-icon (iOS scales it): one PNG fewer to save offline.
SIZES = {"icon-192.png": 192, "icon-512.png": 512}
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--no-first-run"]

# The card: the icon's blue, its bars at the left, the title in white at the right. The icon's
# own square is the same blue, so the bars seem to stand on the card.
CARD_HTML = """<!doctype html><html lang="{lang}"><body style="margin:0">
<div style="width:{width}px;height:{height}px;background:#1f4e8c;display:flex;align-items:center;
gap:50px;padding:0 70px 0 50px;box-sizing:border-box;color:#fff;
font-family:'DejaVu Sans','Liberation Sans','Noto Sans CJK SC','Droid Sans Fallback',sans-serif">
<div style="flex:none;width:380px;height:380px">{svg}</div>
<div><div style="font-size:76px;font-weight:700;line-height:1.2;text-wrap:balance">{title}</div>
<div style="font-size:34px;margin-top:28px;color:#dbe6f5">{languages}</div></div>
</div></body></html>"""


def render(browser, html, width, height, out):
    """Screenshot some HTML at width x height pixels into out."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.set_content(html)
    page.screenshot(path=str(out))
    page.close()


def sized(svg, size):
    """Return the SVG drawn at size x size pixels."""
    return svg.replace("<svg ", f'<svg width="{size}" height="{size}" ', 1)


def shrink(path, colours=16):
    """Reduce a PNG to a small palette and recompress it, in place."""
    subprocess.run(["pngquant", "--force", "--strip", "--speed", "1", str(colours),
                    "--output", str(path), str(path)], check=True)
    subprocess.run(["optipng", "-quiet", "-o7", "-strip", "all", str(path)], check=True)


def png_chunk(kind, data):
    """Return one PNG chunk: length, type, data, CRC."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def with_title(png, title, lang):
    """Return a PNG with an iTXt Title chunk (UTF-8, so any language) before its IEND."""
    # keyword, null, compression flag and method (none), language tag, null, no translated
    # keyword, null, then the text (PNG 1.2, 11.3.4.5).
    data = b"Title\0\0\0" + lang.encode() + b"\0\0" + title.encode()
    end = png.rindex(b"IEND") - 4  # the chunk starts with its 4-byte length
    return png[:end] + png_chunk(b"iTXt", data) + png[end:]


def card_titles():
    """Return ({lang: (html lang, the guide's title in it)}, the languages line)."""
    titles = {}
    for code, language in LANGUAGES.items():
        catalog = Translations.load(str(TRANSLATIONS), [code])
        titles[code] = (language.html_lang, catalog.gettext("Cuba mobile data guide"))
    languages = " · ".join(language.name for language in LANGUAGES.values())
    return titles, languages


def main():
    """Write every PNG icon and share card from the SVG source and print their sizes."""
    svg = (ICONS / "icon.svg").read_text(encoding="utf-8")
    titles, languages = card_titles()
    width, height = CARD_SIZE
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, size in SIZES.items():
            raw = Path(tmp) / name
            render(browser, f"<body style='margin:0'>{sized(svg, size)}</body>", size, size, raw)
            shrink(raw)
            (ICONS / name).write_bytes(raw.read_bytes())
            print(f"{name}: {size}x{size}, {raw.stat().st_size} bytes")
        for code, (html_lang, title) in titles.items():
            raw = Path(tmp) / f"card-{code}.png"
            html = CARD_HTML.format(lang=html_lang, width=width, height=height, title=title,
                                    languages=languages, svg=sized(svg, 380))
            render(browser, html, width, height, raw)
            shrink(raw)
            target = STATIC / CARD.format(lang=code)
            target.parent.mkdir(exist_ok=True)
            target.write_bytes(with_title(raw.read_bytes(), title, html_lang))
            print(f"{target.relative_to(STATIC)}: {width}x{height}, {target.stat().st_size} bytes")
        browser.close()


if __name__ == "__main__":
    sys.exit(main())
