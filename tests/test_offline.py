"""The manifest, the generated precache list and sw.js."""

import dataclasses
import hashlib
import json
import re
import shutil
import subprocess

from tooling import skip_or_fail

from web.build import build_of
from web.config import LANGUAGES, PAGES
from web.minify import minify
from web.offline import REVISION_LENGTH, SW_MODULES
from web.urls import offline_url, page_url, report_path


def precache_of(app):
    return {e["url"]: e["revision"] for e in build_of(app).precache}


def test_precache_lists_every_page_language_offline_page_and_asset(app):
    urls = set(precache_of(app))
    pages = {page_url(lang, slug) for lang in LANGUAGES for slug in PAGES}
    offline = {offline_url(lang) for lang in LANGUAGES}
    offline |= {report_path(lang) for lang in LANGUAGES}  # the report form, filled in offline
    # Every static file but the share cards, which chat apps fetch and no page shows.
    assets = {url for name, url in build_of(app).static.urls.items()
              if not name.startswith("cards/")}
    assert urls == pages | offline | assets | {"/manifest.webmanifest"}
    assert len(pages) == len(build_of(app).guide.pages)
    names = set(build_of(app).static.urls)
    assert {"app.css", "app.js", "icons/icon-192.png", "icons/icon-512.png"} <= names
    assert "icons/apple-touch-icon.png" not in names  # icon-192 serves iOS too


def test_each_revision_is_the_hash_of_the_served_bytes(client, app):
    for url, revision in precache_of(app).items():
        response = client.get(url, headers={"Accept-Encoding": "identity"})
        assert response.status_code == 200, url
        assert hashlib.sha256(response.data).hexdigest()[:REVISION_LENGTH] == revision, url


def quoted(javascript):
    """Return a minified object literal as JSON: its keys quoted again (values are JSON)."""
    return re.sub(r"([{,])([A-Za-z_]\w*):", r'\1"\2":', javascript)


def test_sw_js_is_served_at_root_with_the_list_injected(client, app):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.mimetype == "text/javascript"
    source = response.get_data(as_text=True)
    injected = json.loads(quoted(re.search(r"const PRECACHE=(\[.*?\]),VERSION", source)[1]))
    assert injected == list(build_of(app).precache)
    pack = json.loads(quoted(re.search(r",PACK=(\{.*?\}),", source)[1]))
    assert pack == dataclasses.asdict(build_of(app).pack)


def test_each_size_is_what_the_url_takes_on_the_wire(client, app):
    """The cost rule weighs entries by these sizes: brotli where served so, else as is."""
    pack = build_of(app).pack
    for entry in [*build_of(app).precache, {"url": pack.url, "size": pack.size}]:
        response = client.get(entry["url"], headers={"Accept-Encoding": "br, gzip"})
        assert len(response.data) == entry["size"], entry["url"]
        if not entry["url"].endswith(".png"):
            assert response.headers["Content-Encoding"] == "br", entry["url"]


def test_sw_js_is_one_valid_script(client, tmp_path):
    """The modules share one scope: a name declared in two of them would stop the worker from
    starting at all, so the joined, minified sw.js must parse (Node checks it)."""
    node = shutil.which("node")
    if node is None:
        skip_or_fail("SW.JS SYNTAX TEST SKIPPED: no node (apt-get install nodejs)")
    worker = tmp_path / "sw.js"
    worker.write_bytes(client.get("/sw.js", headers={"Accept-Encoding": "identity"}).data)
    result = subprocess.run([node, "--check", str(worker)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_sw_js_joins_every_module_in_order(app):
    """Each module of service_worker/ is in /sw.js once, in SW_MODULES order, minified: every
    top-level function and constant a module declares is declared once in sw.js, after those
    of the modules before it (the minifier renames local names only)."""
    source = build_of(app).service_worker.data.decode()
    folder = app.config["SERVICE_WORKER_SOURCE"]
    assert sorted(p.name for p in folder.glob("*.js")) == sorted(SW_MODULES)
    declared = re.compile(r"^(?:async function|function|const|let) (\w+)", re.M)
    last = -1
    for name in SW_MODULES:
        names = declared.findall((folder / name).read_text(encoding="utf-8"))
        for top in names:
            found = re.findall(rf"(?:const |let |,){top}[=;]|function {top}\(", source)
            assert len(found) == 1, (name, top, found)
        # A module that declares nothing (events.js): where its first 30 characters are.
        first = min([re.search(rf"(?:const |let |,){top}[=;]|function {top}\(", source).start()
                     for top in names] or [source.index(
                         minify(name, (folder / name).read_bytes()).decode()[:30])])
        assert first > last, name
        last = first
    assert "/*" not in source and "\n  " not in source  # comments and indentation are gone


def test_manifest(client, app):
    response = client.get("/manifest.webmanifest")
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json(force=True)
    assert manifest["start_url"] == "/" and manifest["scope"] == "/" and manifest["id"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["name"] and manifest["short_name"]
    assert manifest["theme_color"] and manifest["background_color"]
    sizes = {(i["sizes"], i["purpose"]) for i in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        data = client.get(icon["src"]).data
        assert data.startswith(b"\x89PNG")
        width = int.from_bytes(data[16:20], "big")
        assert f"{width}x{width}" == icon["sizes"]


def test_icons_are_small(app):
    build = build_of(app).static.build_dir
    limits = {"icons/icon-192.png": 6000, "icons/icon-512.png": 16000}
    for name, limit in limits.items():
        size = (build / build_of(app).static.urls[name].removeprefix("/static/")).stat().st_size
        assert size <= limit, (name, size)


def test_changing_one_page_changes_only_its_revision_and_the_version(make_app, content_copy, app):
    page = content_copy / "es" / "before-you-go.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nUna línea nueva.\n", encoding="utf-8")
    changed = make_app(content_copy)
    before, after = precache_of(app), precache_of(changed)
    assert before.keys() == after.keys()
    assert [url for url in before if before[url] != after[url]] == ["/es/before-you-go/"]
    old_sw = build_of(app).service_worker.data
    new_sw = build_of(changed).service_worker.data
    version = re.compile(rb'VERSION="([0-9a-f]+)"')
    assert version.search(old_sw)[1] != version.search(new_sw)[1]


def test_same_content_gives_the_same_version(make_app, app):
    assert build_of(make_app()).service_worker.data == build_of(app).service_worker.data


def test_the_minifier_writes_no_newer_syntax_than_the_sources(app):
    """Left free, tdewolff/minify drops unused catch bindings (`catch{`, ES2019: Chrome 66);
    capped at ES2017 it keeps them, as the sources write them."""
    static = build_of(app).static
    for name, data in [("sw.js", build_of(app).service_worker.data),
                       ("app.js", static.data("app.js")), ("share.js", static.data("share.js"))]:
        assert b"catch{" not in data, name
    assert b"catch(" in build_of(app).service_worker.data
