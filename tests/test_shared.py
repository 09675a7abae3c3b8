"""The scripts spell no fact the server owns: the languages, the default language, the language
cookie, the URL layout and the search limits reach them only as generated constants
(web/shared.py), so changing one in Python changes it everywhere."""

import json
import re

import pytest

from web.build import build_of
from web.config import LANGUAGE_COOKIE, LANGUAGE_COOKIE_MAX_AGE, LANGUAGES, PROJECT_ROOT
from web.search import BEFORE, MAX_QUERY, MAX_RESULTS, MAX_TERMS, SNIPPET
from web.shared import PLACEHOLDER, USED_BY, script_fill
from web.urls import LAYOUT

SCRIPTS = sorted([*(PROJECT_ROOT / "service_worker").glob("*.js"),
                  *(PROJECT_ROOT / "web" / "static").glob("*.js")])
LIMITS = {MAX_QUERY, MAX_RESULTS, BEFORE, SNIPPET}

#: What spelling a shared fact looks like in JavaScript source.
SPELLED = {
    "a language code": re.compile("['\"`](?:" + "|".join(LANGUAGES) + ")['\"`]"),
    # lang="…" is an HTML attribute; the cookie is written lang=<value>.
    "the cookie's name": re.compile(
        rf"\b{LANGUAGE_COOKIE}=(?![\"'])|['\"`]{LANGUAGE_COOKIE}['\"`]"),
    "the cookie's max-age": re.compile(rf"\b{LANGUAGE_COOKIE_MAX_AGE}\b"),
    "a path of the guide": re.compile(
        "|".join(re.escape(t.replace("{lang}", "").replace("{slug}", "").replace("//", "/"))
                 for t in LAYOUT.values() if t.replace("{lang}", "").strip("/")
                 and "{slug}" not in t)
        + r"|`/\$\{"),
}


def spelled_facts(source):
    """Return what shared facts a script's source spells itself, as (what, text) pairs."""
    # Comments may name the facts: only code counts.
    code = re.sub(r"^\s*//[^\n]*$", "", re.sub(r"/\*.*?\*/", "", source, flags=re.S), flags=re.M)
    found = [(what, m[0]) for what, pattern in SPELLED.items() for m in pattern.finditer(code)]
    return found


def spelled_limits(source):
    """Return the search limits a script's source spells as numbers of its own."""
    found = [n for n in re.findall(r"\b\d+\b", source) if int(n) in LIMITS]
    return found + re.findall(rf"slice\(0, ?{MAX_TERMS}\)", source)


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_no_script_spells_a_shared_fact(script):
    assert spelled_facts(script.read_text(encoding="utf-8")) == []


def test_search_js_spells_no_limit():
    """The offline matcher's limits are web/search.py's, generated into sw.js."""
    assert spelled_limits((PROJECT_ROOT / "service_worker" / "search.js").read_text()) == []


@pytest.mark.parametrize("planted", [
    "const langs = ['zh', 'es', 'en'];",
    "document.cookie = `lang=${x};path=/`;",
    "document.cookie = `${name}=zh;max-age=34560000`;",
    "location.replace(`/${lang}/`);",
    "fetch('/zh/offline/');",
])
def test_the_check_finds_a_planted_fact(planted):
    source = (PROJECT_ROOT / "web" / "static" / "app.js").read_text(encoding="utf-8")
    assert spelled_facts(source + "\n" + planted + "\n")


@pytest.mark.parametrize("planted", ["const cut = text.slice(0, 200);", "terms.slice(0, 8);"])
def test_the_check_finds_a_planted_limit(planted):
    source = (PROJECT_ROOT / "service_worker" / "search.js").read_text(encoding="utf-8")
    assert spelled_limits(source + "\n" + planted + "\n")


def test_each_script_gets_the_constants_it_uses(app):
    """The page scripts' placeholder is filled with what each uses, and no more: each name the
    fill declares is used by the script's source (the minifier then renames them locally)."""
    static = build_of(app).static
    fill = script_fill(app.config["LANGUAGE_COOKIE_MAX_AGE"])
    for name in ("app.js", "share.js"):
        line = fill[name][PLACEHOLDER]
        names = re.findall(r"(?:^const |, )([A-Z_]+) = ", line)
        assert names == list(USED_BY[name]), name
        source = (PROJECT_ROOT / "web" / "static" / name).read_text(encoding="utf-8")
        body = source.replace(PLACEHOLDER, "")
        assert all(re.search(rf"\b{n}\b", body) for n in names), name
        served = static.data(name).decode()
        assert PLACEHOLDER.replace(" ", "") not in served.replace(" ", "")
        assert json.dumps(LAYOUT["page"]) in served, name  # the URL layout, filled in
    worker = build_of(app).service_worker.data.decode()
    for constant in USED_BY["sw.js"]:
        assert f",{constant}=" in worker
