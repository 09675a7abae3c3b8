"""`flask --app web export DIR`: every URL as a file, the same bytes, with compressed twins."""

import gzip
import re
from pathlib import Path

import brotli
import pytest
from tooling import export_into

from web.build import build_of
from web.bundle import BUNDLE_URL
from web.export import export_build, served_files
from web.security import CONTENT_SECURITY_POLICY

# robots.txt too; no sitemap.xml: the `exported` app has no SITE_URL (see test_seo.py).
EXTRAS = {"index.html", "sw.js", "404.html", "_headers", "cuba-mobile-data-guide.html",
          "robots.txt"}


def files(folder):
    """Return the export's files (not the .br/.gz twins) as relative paths."""
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")
            if p.is_file() and p.suffix not in (".br", ".gz")}


@pytest.fixture(scope="module")
def export_of_app(app):
    """Return what the `exported` folder holds: the app's build, with no reports (no app)."""
    return export_build(app)


def test_export_holds_the_precache_list_static_files_root_worker_robots_and_pack(exported,
                                                                                 export_of_app):
    built = export_of_app
    precache = {e["url"].lstrip("/") + ("index.html" if e["url"].endswith("/") else "")
                for e in built.precache}
    static = {url.lstrip("/") for url in built.static.urls.values()}
    pack = built.pack.url.lstrip("/")
    assert files(exported) == precache | static | EXTRAS | {pack}
    # Static hosts serve the .br twin: exactly the size the worker's cost rule counts.
    assert (exported / (pack + ".br")).stat().st_size == built.pack.size


def test_exported_bytes_are_the_built_bytes_with_twins(exported, export_of_app, app, client):
    """Each file is its body in the export's build; beside the app's, only what reports
    change differs (no report links or forms, so other revisions, pack and sw.js)."""
    built = export_of_app
    bodies = served_files(built)
    for entry in [*built.precache, {"url": "/sw.js"}, {"url": built.pack.url}]:
        url = entry["url"]
        path = exported / (url.lstrip("/") + ("index.html" if url.endswith("/") else ""))
        served = bodies[url].data
        assert path.read_bytes() == served, url
        if url.startswith("/static/") and url != built.pack.url:
            assert client.get(url, headers={"Accept-Encoding": "identity"}).data == served
        if path.suffix == ".png":
            assert not path.with_name(path.name + ".br").exists()  # PNG is compressed already
            continue
        assert brotli.decompress(path.with_name(path.name + ".br").read_bytes()) == served, url
        assert gzip.decompress(path.with_name(path.name + ".gz").read_bytes()) == served, url


def test_root_page_chooses_a_language_without_a_server(exported, app):
    html = (exported / "index.html").read_text(encoding="utf-8")
    assert "data-choose" in html
    # Plain links are the fallback without JavaScript, in each language's own words.
    links = re.findall(r'<a href="(/\w+/)" hreflang="([\w-]+)">', html)
    assert links == [("/zh/", "zh-Hans"), ("/es/", "es"), ("/en/", "en")]
    script = re.search(r'<script src="([^"]+)"', html)[1]
    assert script == build_of(app).static.urls["app.js"]
    assert "<script>" not in html and "style=" not in html


def test_not_found_page_and_headers_file(exported, app, client):
    assert "找不到这个页面" in (exported / "404.html").read_text(encoding="utf-8")
    headers = (exported / "_headers").read_text(encoding="utf-8")
    assert f"/*\n  Content-Security-Policy: {CONTENT_SECURITY_POLICY}\n" in headers
    assert "  Strict-Transport-Security: max-age=63072000; includeSubDomains\n" in headers
    assert "/sw.js\n  Cache-Control: no-cache\n" in headers
    # The same caching as the app, and the single file still downloads on a static host.
    css = client.get(build_of(app).static.urls["app.css"]).headers["Cache-Control"]
    assert "immutable" in css
    assert f"/static/*\n  Cache-Control: {css}\n" in headers
    assert (f"{BUNDLE_URL}\n  Cache-Control: no-cache\n"
            f'  Content-Disposition: attachment; filename="{BUNDLE_URL[1:]}"\n') in headers
    manifest = ("/manifest.webmanifest\n  Cache-Control: no-cache\n"
                "  Content-Type: application/manifest+json")
    assert manifest in headers
    # Each pattern once: hosts merge rules, and a second Cache-Control would be appended.
    patterns = [line for line in headers.splitlines() if not line.startswith(" ")]
    assert len(patterns) == len(set(patterns))


def test_export_command_reports_its_files(runner, tmp_path, export_of_app):
    result = runner.invoke(args=["export", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    urls = {e["url"] for e in export_of_app.precache}
    urls |= set(export_of_app.static.urls.values())
    count = len(urls) + len(EXTRAS) + 1  # the pack
    twins = 2 * (count - 1 - sum(url.endswith(".png") for url in urls))  # _headers has none
    assert f"exported {count} files (+{twins} .br/.gz twins" in result.output, result.output


def tree(folder):
    """Return {relative path: bytes} of every file under a folder (links followed)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in Path(folder).rglob("*") if p.is_file()}


def test_re_export_swaps_a_whole_new_tree_in_one_step(make_app, content_copy, tmp_path):
    """Export, change a page (the pack's name changes too), export again: the served path
    holds exactly the new tree, never a stale file; the old tree stays whole for a rollback."""
    target = tmp_path / "guide"
    first_app = make_app(content_copy)
    assert first_app.test_cli_runner().invoke(args=["export", str(target)]).exit_code == 0
    assert target.is_symlink()
    first_folder, first = target.resolve(), tree(target)
    old_pack = export_build(first_app).pack.url.lstrip("/")
    assert old_pack in first

    page = content_copy / "en" / "about.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA new sentence.\n", encoding="utf-8")
    second_app = make_app(content_copy)
    result = second_app.test_cli_runner().invoke(args=["export", str(target)])
    assert result.exit_code == 0, result.output
    fresh = tree(export_into(second_app, tmp_path / "fresh"))
    served = tree(target)
    assert served == fresh  # every file new, none left from the first export
    assert old_pack not in served and export_build(second_app).pack.url.lstrip("/") in served
    assert b"A new sentence." in served["en/about/index.html"]
    # The link moved in one rename; the tree it pointed at was never touched.
    assert target.resolve() != first_folder and tree(first_folder) == first


def test_export_refuses_a_folder_that_holds_files(runner, tmp_path):
    (tmp_path / "old.html").write_text("stale", encoding="utf-8")
    result = runner.invoke(args=["export", str(tmp_path)])
    assert result.exit_code != 0
    assert "is a folder that holds files" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["old.html"]
