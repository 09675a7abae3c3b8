"""The pack: one file with every precache entry but what a page loads itself (web/pack.py)."""

import brotli
import pytest

from web.build import build_of
from web.pack import MAGIC, PackError, build_pack, read_pack


def served_pack(client, app, encoding="identity"):
    """Return the pack's bytes as the app serves them in an encoding."""
    response = client.get(build_of(app).pack.url, headers={"Accept-Encoding": encoding})
    assert response.status_code == 200
    return response


def test_pack_holds_each_entry_with_the_served_bytes_type_and_revision(client, app):
    entries = read_pack(served_pack(client, app).data)
    listed = {e["url"]: e for e in build_of(app).precache}
    assert [e["url"] for e in entries if e["url"] not in listed] == []
    for entry in entries:
        served = client.get(entry["url"], headers={"Accept-Encoding": "identity"})
        assert entry["data"] == served.data, entry["url"]
        assert entry["type"] == served.headers["Content-Type"], entry["url"]
        assert entry["revision"] == listed[entry["url"]]["revision"], entry["url"]


def test_pack_leaves_out_exactly_what_every_page_loads_itself(client, app):
    """The stylesheet, script and icon come from the HTTP cache: the page just loaded them."""
    packed = {e["url"] for e in read_pack(served_pack(client, app).data)}
    flagged = {e["url"] for e in build_of(app).precache if e.get("pack")}
    assert packed == flagged
    static = build_of(app).static.urls
    left_out = {e["url"] for e in build_of(app).precache} - packed
    assert left_out == {static["app.css"], static["app.js"], static["icons/icon.svg"]}
    page = client.get("/es/about/").get_data(as_text=True)
    assert all(f'"{url}"' in page for url in left_out)


def test_pack_puts_text_before_images(client, app):
    types = [e["type"] for e in read_pack(served_pack(client, app).data)]
    first_image = next(i for i, kind in enumerate(types) if kind.startswith("image/"))
    assert all(kind.startswith("image/") for kind in types[first_image:])
    assert "image/png" in types  # binary entries travel in the pack too


def test_pack_is_hashed_immutable_and_compressed(client, app):
    url = build_of(app).pack.url
    assert url.startswith("/static/guide.") and url.endswith(".pack")
    plain = served_pack(client, app).data
    br = served_pack(client, app, "br")
    assert "immutable" in br.headers["Cache-Control"]
    assert br.headers["Content-Encoding"] == "br"
    assert brotli.decompress(br.data) == plain
    assert len(br.data) == build_of(app).pack.size
    assert len(br.data) < len(plain) / 5  # one stream: the shared template compresses once
    gz = served_pack(client, app, "gzip")
    assert gz.headers["Content-Encoding"] == "gzip"


def test_pack_round_trips_and_refuses_damage():
    entries = [{"url": "/a/", "revision": "0123456789", "type": "text/html; charset=utf-8",
                "data": "día\n\n".encode()},
               {"url": "/i.png", "revision": "abcdefabcd", "type": "image/png",
                "data": bytes(range(256))}]
    data = build_pack(entries)
    assert data.startswith(MAGIC.encode() + b"\n")
    assert read_pack(data) == entries
    bad_length = data.replace(b"utf-8 6\n", b"utf-8 x\n")
    assert bad_length != data
    for broken in (data[:-1], data + b"x", b"GUIDE-PACK 2" + data[12:], bad_length):
        with pytest.raises(PackError):
            read_pack(broken)
    with pytest.raises(PackError):
        build_pack([{**entries[0], "url": "/a b/"}])


def test_pages_ask_the_browser_to_prefetch_the_pack(client, app):
    """A first visit fetches the pack beside the page's files, not after sw.js."""
    for url in ("/zh/", "/es/transfer-faq/", "/en/about/"):
        link = client.get(url).headers["Link"]
        assert link == f"<{build_of(app).pack.url}>; rel=prefetch", url
