"""Search the guide by section, the same way online (here) and offline (service_worker/search.js).

The service worker answers `/<lang>/search/?q=` from the pages it has saved, with no index to
download, so both sides work from the same input: the HTML of the guide's pages as served, and
the offline page of the language as the shell of the results page. This module and search.js
implement one definition, step by step, and tests/test_search.py runs both over the same pages
and many queries and requires the same bytes:

1. Query: the first `q`; control characters (Cc) dropped; at most MAX_QUERY code points; trimmed.
2. Folding, for the query and the text alike: each code point is decomposed (NFKD), combining
   marks (Unicode category M) are dropped and the rest is lower-cased. So "telefono" finds
   "teléfono", "ＰＩＮ" finds "PIN", and Chinese is left as it is, matched by substring.
3. Terms: the folded query split on spaces; empty ones dropped, duplicates too, at most
   MAX_TERMS.
4. Sections: in each page's <article>, the text before the first <h2> (under the page title,
   linked without an anchor) and each <h2 id> with the text up to the next one. Text is the HTML
   with confidence badges, "Report a change" links and tags removed (the line breaks between
   blocks part their words), entities decoded and runs of space collapsed.
5. A section matches when every term is in its heading or its text. Rank: a page title that
   holds every term first (its opening section), then a heading that holds every term, then the
   rest; ties in reading order. At most MAX_RESULTS.
6. Snippet: up to SNIPPET code points of the section's text, starting BEFORE code points before
   the first match (… where cut), every match in <mark>. A cut falls between words: the start
   moves on past the first space before the first match, the end back to the last space after
   it, where the text has one (Chinese has none: it is cut between characters).
7. The page: the offline page with its <title>, <main> and language links replaced, the query in
   the header's search box, and `noindex` (the offline page has it). Its words come from the
   offline page's data-search-* attributes, so both sides say the same thing in each language.
   When nothing matches, it lists the other languages that have matches.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

from .config import LANGUAGES
from .urls import offline_url, page_url, search_path

MAX_QUERY = 200
MAX_TERMS = 8
MAX_RESULTS = 30
BEFORE = 40
SNIPPET = 160

# The article up to its end, or to the offline-help page's share block (a download link and the
# QR code's caption: the page's tools, not its text).
ARTICLE = re.compile(r'<article[^>]*>(.*?)(?:<p class="share">|</article>)', re.S)
TITLE = re.compile(r"<h1>(.*?)</h1>", re.S)
UPDATED = re.compile(r'<p class="updated">.*?</p>', re.S)
SECTION = re.compile(r'<h2 id="([^"]*)"[^>]*>(.*?)</h2>', re.S)
# Badges, report links and tags go; the line breaks the guide's HTML has between blocks part
# their words.
TAG = re.compile(r'<(?:span class="badge|a class="report)[^>]*>[^<]*</(?:span|a)>|<[^>]*>')
SPACE = re.compile(r"[ \t\n\r]+")
#: The entities the guide's HTML uses (Python-Markdown's and Jinja's escapes).
ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#34;": '"', "&#39;": "'"}
ENTITY = re.compile(r"&(?:amp|lt|gt|quot|#34|#39);")
STRINGS = re.compile(r'data-search-([a-z]+)="([^"]*)"')
MAIN = re.compile(r'<main id="main">.*</main>', re.S)
PAGE_TITLE = re.compile(r"<title>.*?</title>", re.S)
# An offline page's link, its language in group 1: from the URL layout, as search.js makes it.
OFFLINE_HREF = 'href="' + re.escape(offline_url("@")).replace(
    "@", "(" + "|".join(LANGUAGES) + ")") + '"'
OFFLINE_LINK = re.compile(OFFLINE_HREF)
LANGUAGE_LINK = re.compile(f'<a {OFFLINE_HREF} hreflang="([^"]+)" lang="[^"]+">' r"([^<]+)</a>")
SEARCH_BOX = 'name="q"'


@dataclass(frozen=True)
class Section:
    """A place a result can link to: a page's opening (no anchor) or one of its `##` sections."""

    url: str
    page_title: str
    heading: str
    text: str
    order: int  # reading order across the whole language
    folded_heading: str = ""
    folded_text: str = ""
    where: tuple = ()  # index in `text` of each code point of folded_text

    @classmethod
    def make(cls, url, page_title, heading, text, order):
        """Return a section with its heading and text folded once, for every query to use."""
        folded_text, where = fold(text)
        return cls(url, page_title, heading, text, order, fold(heading)[0], folded_text,
                   tuple(where))


def unescape(text):
    """Decode the entities the guide's HTML uses."""
    return ENTITY.sub(lambda match: ENTITIES[match[0]], text)


def plain(html):
    """Return the readable text of some HTML: no badges, no tags, entities decoded."""
    text = TAG.sub("", html)
    return SPACE.sub(" ", unescape(text)).removeprefix(" ").removesuffix(" ")


def escape(text):
    """Escape text for HTML exactly as search.js does: &, <, >, " and ' as numeric entities."""
    return re.sub(r"[&<>\"']", lambda match: f"&#{ord(match[0])};", text)


@functools.cache
def fold_char(char):
    """Return one code point folded: decomposed (NFKD), marks dropped, lower-cased."""
    parts = unicodedata.normalize("NFKD", char)
    return "".join(part.lower() for part in parts if not unicodedata.category(part).startswith("M"))


def fold(text):
    """Return (folded text, index in `text` of each folded code point)."""
    out, where = [], []
    for index, char in enumerate(text):
        folded = fold_char(char)  # the guide has a few hundred distinct code points
        out.append(folded)
        where += [index] * len(folded)
    return "".join(out), where


def clean_query(raw):
    """Return the query as searched and shown: no control characters, at most MAX_QUERY long."""
    text = "".join(c for c in (raw or "") if unicodedata.category(c) != "Cc")
    return text[:MAX_QUERY].strip(" ")


def terms_of(query):
    """Return the distinct folded terms of a query, at most MAX_TERMS."""
    terms = []
    for term in fold(query)[0].split(" "):
        if term and term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def sections_of(html, url, start):
    """Return the sections of one served page, numbered from `start` in reading order."""
    article = ARTICLE.search(html)[1]
    title = plain(TITLE.search(article)[1])
    body = UPDATED.sub("", TITLE.sub("", article, count=1), count=1)
    parts = SECTION.split(body)
    found = [Section.make(url, title, title, plain(parts[0]), start)]
    for i in range(1, len(parts), 3):
        anchor, heading, text = parts[i], parts[i + 1], parts[i + 2]
        found.append(Section.make(f"{url}#{anchor}", title, plain(heading), plain(text),
                                  start + len(found)))
    return found


def build_index(pages):
    """Return the sections of a language's pages, given [(url, html)] in reading order."""
    index = []
    for url, html in pages:
        index += sections_of(html, url, len(index))
    return index


def find(index, terms):
    """Return the sections that match every term, best first."""
    if not terms:
        return []
    ranked = []
    for section in index:
        heading, text = section.folded_heading, section.folded_text
        if not all(t in heading or t in text for t in terms):
            continue
        in_heading = all(t in heading for t in terms)
        opening = "#" not in section.url
        tier = 2 if not in_heading else 0 if opening else 1
        ranked.append((tier, section.order, section))
    ranked.sort(key=lambda r: (r[0], r[1]))
    return [section for _, _, section in ranked[:MAX_RESULTS]]


def snippet(section, terms):
    """Return the escaped snippet of a section's text, with its matches in <mark>."""
    text, folded, where = section.text, section.folded_text, section.where
    on = set()  # the indexes of `text` that are part of a match
    for term in terms:
        at = folded.find(term)
        while at >= 0:
            on.update(range(where[at], where[at + len(term) - 1] + 1))
            at = folded.find(term, at + len(term))
    first = min(on) if on else -1
    start = max(0, first - BEFORE)
    if start:  # begin at a word: after a space before the first match, where the text has one
        space = text.find(" ", start - 1, first)
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + SNIPPET)
    if end < len(text):  # end at a word: at a space after the first match, where there is one
        space = text.rfind(" ", first + 1, end + 1)
        end = space if space >= 0 else end
    out = ["…" if start else ""]
    for k in range(start, end):
        opens = k in on and (k == start or k - 1 not in on)
        closes = k in on and (k + 1 == end or k + 1 not in on)
        out.append(("<mark>" if opens else "") + escape(text[k]) + ("</mark>" if closes else ""))
    return "".join(out) + ("…" if end < len(text) else "")


#: What encodeURIComponent leaves as it is, besides letters and digits.
URI_SAFE = "-_.!~*'()"


def search_url(lang, query):
    """Return the results URL of a query, encoded as encodeURIComponent does."""
    return f"{search_path(lang)}?q={quote(query, safe=URI_SAFE)}"


def strings_of(shell):
    """Return the results page's words, from the offline page's data-search-* attributes."""
    return {name: unescape(value) for name, value in STRINGS.findall(shell)}


def fill(template, **values):
    """Replace {name} placeholders in a translated string with escaped values."""
    return re.sub(r"\{(\w+)\}", lambda m: escape(str(values[m[1]])), escape(template))


def render_main(query, results, elsewhere, words):
    """Return the <main> of the results page."""
    main = f'<main id="main">\n<article class="search">\n<h1>{escape(words["title"])}</h1>\n'
    if not query:
        main += f'<p>{escape(words["hint"])}</p>\n'
    elif results:
        count = words["one"] if len(results) == 1 else words["many"]
        main += f'<p>{fill(count, n=len(results), q=query)}</p>\n<ol class="results">\n'
        terms = terms_of(query)
        for section in results:
            heading = f" › {escape(section.heading)}" if "#" in section.url else ""
            main += (f'<li><a href="{section.url}">{escape(section.page_title)}{heading}</a>'
                     f"<br>{snippet(section, terms)}</li>\n")
        main += "</ol>\n"
    else:
        main += f"<p>{fill(words['none'], q=query)}</p>\n"
        links = [f'<a href="{search_url(code, query)}" hreflang="{html_lang}" lang="{html_lang}">'
                 f"{name}</a> ({count})" for code, html_lang, name, count in elsewhere]
        if links:
            main += f"<p>{escape(words['elsewhere'])} {', '.join(links)}</p>\n"
    return main + "</article>\n</main>"


def other_languages(shell):
    """Return [(code, html lang, name as HTML)] of the offline page's language links, in order."""
    return LANGUAGE_LINK.findall(shell)


def render_page(shell, query, results, elsewhere):
    """Return the results page: the offline page with its title, main and links replaced."""
    words = strings_of(shell)
    title = words["title"] + (f": {query}" if query else "")
    html = MAIN.sub(lambda _: render_main(query, results, elsewhere, words), shell, count=1)
    html = PAGE_TITLE.sub(lambda _: f"<title>{escape(title)} · {escape(words['guide'])}</title>",
                          html, count=1)
    html = OFFLINE_LINK.sub(lambda m: f'href="{search_url(m[1], query)}"', html)
    return html.replace(SEARCH_BOX, f'{SEARCH_BOX} value="{escape(query)}"', 1)


def results_page(raw_query, lang, pages, shell):
    """Return the results page of a query: pages {lang: sections}, shell the offline page."""
    query = clean_query(raw_query)
    terms = terms_of(query)
    results = find(pages[lang], terms)
    elsewhere = []
    if terms and not results:
        for code, html_lang, name in other_languages(shell):
            count = len(find(pages[code], terms))
            if count:
                elsewhere.append((code, html_lang, name, count))
    return render_page(shell, query, results, elsewhere)


class Search:
    """The guide's search, built once from the rendered site: an index and a shell per language."""

    def __init__(self, site, guide):
        self.pages = {
            lang: build_index([(page_url(lang, slug), site[page_url(lang, slug)].data.decode())
                               for slug in guide.slugs])
            for lang in guide.languages
        }
        self.shells = {lang: site[offline_url(lang)].data.decode() for lang in guide.languages}

    def page(self, lang, raw_query):
        """Return the results page (HTML text) for a raw query in one language."""
        return results_page(raw_query, lang, self.pages, self.shells[lang])
