"""`make icons`: draw the PNG icons from web/static/icons/icon.svg in headless Chromium.

The SVG is the source; the PNGs are committed, so the server never needs a browser. Each PNG is
a Chromium screenshot of the SVG at its size, reduced to a palette with pngquant and recompressed
with optipng: the icons are flat shapes, so a few colours lose nothing and save most bytes.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ICONS = Path(__file__).resolve().parent.parent / "web" / "static" / "icons"
SIZES = {"icon-192.png": 192, "icon-512.png": 512, "apple-touch-icon.png": 180}
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--no-first-run"]


def render(browser, svg, size, out):
    """Screenshot the SVG at size x size pixels into out."""
    page = browser.new_page(viewport={"width": size, "height": size})
    sized = svg.replace("<svg ", f'<svg width="{size}" height="{size}" ', 1)
    page.set_content(f"<body style='margin:0'>{sized}</body>")
    page.screenshot(path=str(out))
    page.close()


def shrink(path):
    """Reduce a PNG to a small palette and recompress it, in place."""
    subprocess.run(["pngquant", "--force", "--strip", "--speed", "1", "16",
                    "--output", str(path), str(path)], check=True)
    subprocess.run(["optipng", "-quiet", "-o7", "-strip", "all", str(path)], check=True)


def main():
    """Write every PNG icon from the SVG source and print their sizes."""
    svg = (ICONS / "icon.svg").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, size in SIZES.items():
            raw = Path(tmp) / name
            render(browser, svg, size, raw)
            shrink(raw)
            (ICONS / name).write_bytes(raw.read_bytes())
            print(f"{name}: {size}x{size}, {raw.stat().st_size} bytes")
        browser.close()


if __name__ == "__main__":
    sys.exit(main())
