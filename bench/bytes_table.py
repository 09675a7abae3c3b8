"""Bytes: raw, gzip and br for each URL the guide precaches, the totals and the content floor."""

from web.budgets import (
    FIRST_VIEW_BUDGET,
    OFFLINE_RATIO,
    SW_BUDGET,
    br_size,
    content_floor,
    encodings_of,
    first_view,
    offline_total,
)
from web.build import build_of
from web.config import LANGUAGES, PAGES
from web.site import first_view_urls
from web.urls import page_url


def measure(app):
    """Return the byte figures of the guide as served by `app`."""
    client = app.test_client()
    rows = []
    for entry in [*build_of(app).precache, {"url": "/sw.js"}, {"url": build_of(app).pack.url}]:
        data = client.get(entry["url"], headers={"Accept-Encoding": "identity"}).data
        rows.append((entry["url"], *encodings_of(data)))
    floor = content_floor(app.config["CONTENT_DIR"])
    total = offline_total(client, build_of(app).precache)
    first = {
        lang: max(sum(first_view(client, page_url(lang, slug),
                                 first_view_urls(build_of(app).static, slug)).values())
                  for slug in PAGES)
        for lang in LANGUAGES
    }
    sw = br_size(client.get("/sw.js").data)
    return {"rows": rows, "floor": floor, "offline_total": total, "first_view_max": first,
            "sw_br": sw, "pack_br": build_of(app).pack.size}


def table(figures):
    """Return the bytes section of the report as Markdown."""
    lines = ["| URL | raw | gzip | br |", "|---|---:|---:|---:|"]
    totals = [0, 0, 0]
    for url, raw, gz, br in figures["rows"]:
        lines.append(f"| `{url}` | {raw:,} | {gz:,} | {br:,} |")
        if not url.endswith(".pack"):  # the pack carries the others: not counted twice
            totals = [t + v for t, v in zip(totals, (raw, gz, br), strict=True)]
    lines.append(f"| **total** (without the pack) | **{totals[0]:,}** | **{totals[1]:,}** | "
                 f"**{totals[2]:,}** |")
    floor, total = figures["floor"], figures["offline_total"]
    lines += [
        "",
        f"- Content floor (brotli of every content/*.md, summed): **{floor:,} B**",
        f"- Whole guide offline, bytes on the wire (br where served, PNG as is): **{total:,} B**"
        f" = **{total / floor:.2f} x** the floor (budget {OFFLINE_RATIO} x)",
        f"- The pack (every entry but the stylesheet, script and icon each page loads), "
        f"brotli: **{figures['pack_br']:,} B** = **{figures['pack_br'] / floor:.2f} x** the floor",
        f"- sw.js, brotli: **{figures['sw_br']:,} B** (budget {SW_BUDGET:,} B)",
        "- Largest first view (HTML + CSS + JS, brotli) per language: "
        + ", ".join(f"{lang} **{size:,} B**" for lang, size in figures["first_view_max"].items())
        + f" (budget {FIRST_VIEW_BUDGET:,} B)",
    ]
    return "\n".join(lines)
