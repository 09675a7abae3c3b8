"""Load and render every Markdown page of the guide once, into an in-memory Guide.

A content error (bad front matter, a missing title, a page missing in one language, a link to
a page or anchor that does not exist) raises ContentError naming the file, so startup stops.
"""

import datetime
from dataclasses import dataclass, field
from pathlib import Path

import markdown
import yaml
from markdown.extensions.toc import slugify_unicode

from .markdown_ext import GuideExtension, MarkupError
from .urls import server_resolver

FRONT_MATTER_KEYS = ("title", "description", "updated")
FENCE = "---"


class ContentError(Exception):
    """A content file the guide cannot be built from; the message starts with its path."""

    def __init__(self, path, message):
        super().__init__(f"{path}: {message}")
        self.path = Path(path)


@dataclass(frozen=True)
class Heading:
    """A `##` section of a page: its anchor id and its plain-text title."""

    id: str
    title: str


@dataclass(frozen=True)
class Page:
    """One rendered page of the guide in one language."""

    lang: str
    slug: str
    title: str
    description: str
    updated: datetime.date
    html: str
    sections: tuple = ()  # Heading for every `##`, in order
    marks: tuple = ()  # Mark for every claim marked medium or low, in order
    source: Path = field(default=None, compare=False)


@dataclass(frozen=True)
class Guide:
    """Every page of the guide, in every language, in reading order."""

    languages: tuple
    slugs: tuple
    pages: dict  # (lang, slug) -> Page
    checked: datetime.date = None  # when the facts were last checked (content/guide.yaml)

    def page(self, lang, slug):
        """Return the page, or None if the guide has no such page."""
        return self.pages.get((lang, slug))

    def neighbours(self, slug):
        """Return the (previous, next) slugs of a page in reading order; None at either end."""
        i = self.slugs.index(slug)
        previous = self.slugs[i - 1] if i > 0 else None
        following = self.slugs[i + 1] if i + 1 < len(self.slugs) else None
        return previous, following


def parse_front_matter(text, path):
    """Split a file into (metadata dict, Markdown body); raise ContentError if malformed.

    The front matter is standard YAML between `---` lines, read with PyYAML's safe loader, so
    any Markdown tool, site generator or translation platform reads our files the same way.
    """
    block, body = split_front_matter(text, path)
    meta = read_yaml(block, path)
    check_keys(meta, path)
    for key in ("title", "description"):
        if not isinstance(meta[key], str):
            raise ContentError(path, f"{key!r} must be text, got {meta[key]!r}: quote it")
        meta[key] = meta[key].strip()
    meta["updated"] = iso_date(meta["updated"], path)
    return meta, body


def split_front_matter(text, path):
    """Return (the YAML between the `---` fences, the Markdown after them)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != FENCE:
        raise ContentError(path, f"must start with a front matter block opened by '{FENCE}'")
    try:
        end = next(i for i, line in enumerate(lines[1:], 1) if line.strip() == FENCE)
    except StopIteration:
        raise ContentError(path, f"front matter is not closed by '{FENCE}'") from None
    return "\n".join(lines[1:end]), "\n".join(lines[end + 1 :])


def read_yaml(block, path):
    """Return the front matter's mapping; a YAML error names its line in the file."""
    try:
        meta = yaml.safe_load(block)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        # YAML counts lines from 0 within the block, which starts on the file's line 2.
        where = f"line {mark.line + 2}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ContentError(path, f"{where}front matter is not valid YAML ({problem}); "
                                 "quote values that contain ': ' or start with a symbol") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ContentError(path, "front matter must be a YAML mapping of keys to values")
    return meta


def check_keys(meta, path):
    """Refuse a key the guide does not know, and a missing or empty one it needs."""
    unknown = [key for key in meta if key not in FRONT_MATTER_KEYS]
    if unknown:
        raise ContentError(path, f"unknown key {unknown[0]!r}: expected one of {FRONT_MATTER_KEYS}")
    for key in FRONT_MATTER_KEYS:
        if meta.get(key) in (None, ""):
            raise ContentError(path, f"front matter has no {key!r}")


def iso_date(value, path):
    """Return `updated` as a date: YAML reads an unquoted 2026-11-24 as one, a quoted one as
    text."""
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date | str):
        raise ContentError(path, f"'updated' is not an ISO date: {value!r}")
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise ContentError(path, f"'updated' is not an ISO date: {value!r}") from None
    return value


def render_markdown(body, *, slug, resolve, badges=None):
    """Render one page's Markdown; return (html, sections, marks, link targets)."""
    options = {"badges": badges} if badges else {}
    guide_ext = GuideExtension(resolve=resolve, current_slug=slug, **options)
    # A fresh instance per file: toc ids and the link list must not leak between pages.
    md = markdown.Markdown(
        extensions=["attr_list", "tables", "toc", guide_ext],
        extension_configs={"toc": {"slugify": slugify_unicode, "toc_depth": 2}},
        output_format="html",
    )
    html = md.convert(body)
    sections = tuple(Heading(t["id"], t["name"]) for t in md.toc_tokens)
    return html, sections, tuple(guide_ext.marks.marks), list(guide_ext.links.targets)


def load_guide(content_dir, languages, slugs, *, resolver=server_resolver, badges=None):
    """Read and render every content/<lang>/<slug>.md; raise ContentError on any problem.

    badges: {lang: {"medium": text, "low": text}}, the confidence badges in each language.
    """
    content_dir = Path(content_dir)
    pages, links = {}, []
    for lang in languages:
        for path in page_files(content_dir / lang, lang, slugs):
            page, targets = load_page(path, lang, resolver(lang), (badges or {}).get(lang))
            pages[(lang, page.slug)] = page
            links += [(path, lang, target) for target in targets]
    check_links(pages, links)
    return Guide(languages=tuple(languages), slugs=tuple(slugs), pages=pages,
                 checked=read_checked_date(content_dir / GUIDE_FILE))


def page_files(folder, lang, slugs):
    """Return a language's page files in reading order; refuse a missing or an extra one."""
    if not folder.is_dir():
        raise ContentError(folder, "language folder is missing")
    extra = sorted(p.name for p in folder.glob("*.md") if p.stem not in slugs)
    if extra:
        raise ContentError(folder / extra[0], "is not a page of the guide (see PAGES)")
    paths = [folder / f"{slug}.md" for slug in slugs]
    for path in paths:
        if not path.is_file():
            raise ContentError(path, f"page {path.stem!r} is missing in {lang!r}")
    return paths


def load_page(path, lang, resolve, badges):
    """Read and render one page; return (Page, the (slug, anchor) targets of its links)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError(path, f"is not valid UTF-8 ({exc.reason})") from None
    meta, body = parse_front_matter(text, path)
    try:
        html, sections, marks, targets = render_markdown(body, slug=path.stem, resolve=resolve,
                                                         badges=badges)
    except MarkupError as exc:
        raise ContentError(path, str(exc)) from None
    if "<h1" in html:
        raise ContentError(path, "has a '#' heading; the title is the page's only H1")
    page = Page(lang=lang, slug=path.stem, title=meta["title"], description=meta["description"],
                updated=meta["updated"], html=html, sections=sections, marks=marks, source=path)
    return page, targets


def check_links(pages, links):
    """Refuse a link to a page or an anchor the guide does not have, naming the linking file."""
    for path, lang, (slug, anchor) in links:
        target = pages.get((lang, slug))
        if target is None:
            raise ContentError(path, f"links to {slug}.md, which is not a page")
        if anchor and anchor not in {h.id for h in target.sections}:
            raise ContentError(path, f"links to {slug}.md#{anchor}, which has no such heading")


#: The guide-wide facts file: `checked: <ISO date>`, the one date the facts were last checked
#: against their sources, shown on every page and on the About page.
GUIDE_FILE = "guide.yaml"


def read_checked_date(path):
    """Return the `checked` date of content/guide.yaml; raise ContentError if it is not one."""
    try:
        meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContentError(path, "is missing: it gives the date the facts were checked") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ContentError(path, f"is not valid YAML ({exc})") from None
    checked = meta.get("checked") if isinstance(meta, dict) else None
    if type(checked) is not datetime.date:
        raise ContentError(path, f"'checked' must be an unquoted ISO date, got {checked!r}")
    return checked


def check_guide(guide, source_lang):
    """Return the guide's translation problems: anchors that differ, reviews that lag behind."""
    problems = []
    for slug in guide.slugs:
        source = guide.page(source_lang, slug)
        source_ids = [h.id for h in source.sections]
        for lang in guide.languages:
            page = guide.page(lang, slug)
            if lang == source_lang:
                continue
            ids = [h.id for h in page.sections]
            if ids != source_ids:
                missing = [i for i in source_ids if i not in ids]
                extra = [i for i in ids if i not in source_ids]
                detail = (f"missing {missing}, extra {extra}" if missing or extra
                          else "order differs")
                problems.append(f"{page.source}: headings differ from {source_lang}: {detail}")
            if page.updated < source.updated:
                problems.append(
                    f"{page.source}: reviewed {page.updated}, older than {source_lang} "
                    f"({source.updated}): the translation lags behind"
                )
    return problems
