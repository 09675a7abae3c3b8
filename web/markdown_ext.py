"""A Python-Markdown extension for the guide: safe HTML and links between pages.

- Raw HTML in the Markdown is never passed through: the block and inline HTML processors are
  removed, so `<script>` reaches the page as visible, escaped text.
- Links written as `other-page.md#anchor` are checked and rewritten by a `resolve` callable,
  so the same Markdown serves the server's URLs and, later, other layouts (one-file bundle).
- Links to other sites are refused: the guide names no seller and sends no one elsewhere. The
  one other scheme is `tel:`, for the codes a reader dials: digits, `*` and a final `#` written
  `%23`, and the link's text must be that same code, so what is shown is what is dialled.
- A paragraph that holds nothing but one code (`*222#`, linked or not) gets the class `code`:
  it is shown large. If the code can be dialled as it stands (digits, `*`, `#`: no placeholder
  word), it also gets `dial`, and the page script adds a Copy button to it; a template such as
  `*234*1*NUMBER*PIN*AMOUNT#` gets none, so no one pastes placeholder words into a dialler.
- Confidence belongs to a claim (facts sheet): a paragraph or list item marked `{.medium}` or
  `{.low}` (attr_list, on the line after the block) gets a short badge in the page's language
  at its end. High-confidence claims carry nothing. A heading may not carry a mark: a badge on
  a heading would cover every claim of its section.
"""

import re
import xml.etree.ElementTree as etree  # noqa: N813 (Python-Markdown's own name for it)
from dataclasses import dataclass

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

# `slug.md`, `slug.md#anchor` or `#anchor`: the only link forms the guide's Markdown may use.
PAGE_LINK = re.compile(r"^(?:(?P<slug>[a-z0-9-]+)\.md)?(?:#(?P<anchor>[\w-]+))?$")
# A code to dial: digits and stars, at least one digit, and at most one final `#` as `%23`
# (a bare `#` would start a URL fragment and never reach the dialler).
TEL_LINK = re.compile(r"^tel:(?P<code>(?=[0-9*]*[0-9])[0-9*]+(?:%23)?)$")
#: A code a reader can dial as it stands: no placeholder words.
DIALABLE = re.compile(r"^[0-9*#]+$")
#: The confidence levels a block may carry; the others (high, instructions) show nothing.
BADGE_LEVELS = ("medium", "low")
#: The blocks that may hold a marked claim.
MARKABLE = ("p", "li")
#: An attr_list mark that attr_list left as text (not alone on the block's last line).
STRAY_MARK = re.compile(r"\{:?\s*[.#][\w-]+[^}]*\}")


class MarkupError(ValueError):
    """Something in the Markdown that the guide does not allow: a link, code or mark."""


class LinkError(MarkupError):
    """A link the guide does not allow."""


class ConfidenceError(MarkupError):
    """A confidence mark the guide does not allow, or one attr_list did not read."""


@dataclass(frozen=True)
class Mark:
    """A claim marked with a confidence level: its section's id ("" before the first `##`),
    its level and its plain text (without the badge)."""

    section: str
    level: str
    text: str


class GuideLinkProcessor(Treeprocessor):
    """Rewrite page links through `resolve` and record every (slug, anchor) they name."""

    def __init__(self, md, resolve, current_slug):
        super().__init__(md)
        self.resolve = resolve
        self.current_slug = current_slug
        self.targets = []

    def run(self, root: etree.Element) -> None:
        """Check and rewrite every <a href> in the rendered tree."""
        for link in root.iter("a"):
            href = link.get("href", "")
            if href.startswith("tel:"):
                self.check_tel(link, href)
                continue
            match = PAGE_LINK.match(href)
            if not href or not match:
                raise LinkError(f"link {href!r} is not of the form 'page.md#anchor' or 'tel:CODE'")
            slug = match["slug"] or self.current_slug
            anchor = match["anchor"]
            self.targets.append((slug, anchor))
            # A link within the page stays a bare fragment: no reload, works in any layout.
            link.set("href", f"#{anchor}" if not match["slug"] else self.resolve(slug, anchor))

    @staticmethod
    def check_tel(link, href):
        """Refuse a tel: link that is not a code, or whose text is not the code it dials."""
        match = TEL_LINK.match(href)
        if not match:
            raise LinkError(f"link {href!r}: a tel: link holds digits, '*' and a final '%23'")
        shown = "".join(link.itertext()).strip()
        dialled = match["code"].replace("%23", "#")
        if shown != dialled:
            raise LinkError(f"link {href!r} shows {shown!r}: the text must be the code "
                            f"it dials, {dialled!r}")


def code_of(paragraph):
    """Return the code a paragraph holds if it holds nothing else (linked or not), else None."""
    if (paragraph.text or "").strip() or len(paragraph) != 1 or (paragraph[0].tail or "").strip():
        return None
    child = paragraph[0]
    if child.tag == "a" and child.get("href", "").startswith("tel:"):
        if (child.text or "").strip() or len(child) != 1 or (child[0].tail or "").strip():
            return None
        child = child[0]
    return child.text if child.tag == "code" and len(child) == 0 else None


class CodeAndBadgeProcessor(Treeprocessor):
    """Mark paragraphs that hold one code, and add confidence badges to marked blocks."""

    def __init__(self, md, badges):
        super().__init__(md)
        self.badges = badges
        self.marks = []  # Mark for each marked block, in document order

    def run(self, root: etree.Element) -> None:
        """Add the `code` and `dial` classes, and the badges, in the rendered tree."""
        for paragraph in root.iter("p"):
            code = code_of(paragraph)
            if code:
                extra = ["code", "dial"] if DIALABLE.match(code) else ["code"]
                paragraph.set("class", " ".join(filter(None, [paragraph.get("class"), *extra])))
        section = ""
        for element in list(root.iter()):  # a snapshot: the badges added below are not marks
            if element.tag == "h2":
                section = element.get("id", "")
            self.check_stray(element)
            level = self.level_of(element)
            if level:
                self.marks.append(Mark(section, level, plain_text(element)))
                self.add_badge(element, level)

    @staticmethod
    def check_stray(element):
        """Refuse a mark that attr_list did not read: it would show as text on the page."""
        for text in (element.text, element.tail):
            stray = STRAY_MARK.search(text or "")
            if stray:
                raise ConfidenceError(
                    f"{stray[0]!r} was not read as a mark: put it alone on the line after the "
                    "paragraph (or indented on the line after a list item)")

    @staticmethod
    def level_of(element):
        """Return the block's confidence level and drop it from its classes; None if unmarked."""
        classes = (element.get("class") or "").split()
        levels = [c for c in classes if c in BADGE_LEVELS]
        if not levels:
            return None
        where = element.get("id") or plain_text(element)[:40]
        if element.tag not in MARKABLE:
            raise ConfidenceError(
                f"<{element.tag}> {where!r} is marked .{levels[0]}: mark the paragraph or list "
                "item that holds the claim, not a heading or other block")
        if len(levels) > 1:
            raise ConfidenceError(f"{where!r} has two confidence levels")
        rest = [c for c in classes if c not in BADGE_LEVELS]
        if rest:
            element.set("class", " ".join(rest))
        else:
            del element.attrib["class"]
        return levels[0]

    def add_badge(self, block, level):
        """Put the badge at the end of the block's own text (before a nested list)."""
        # A loose list item holds paragraphs: the badge goes in its last one.
        paragraphs = [c for c in block if c.tag == "p"]
        if block.tag == "li" and paragraphs:
            block = paragraphs[-1]
        nested = next((i for i, c in enumerate(block) if c.tag in ("ul", "ol")), len(block))
        badge = etree.Element("span", {"class": f"badge {level}"})
        badge.text = self.badges[level]
        if nested:
            previous = block[nested - 1]
            previous.tail = (previous.tail or "").rstrip() + " "
        else:
            block.text = (block.text or "").rstrip() + " "
        badge.tail = "\n" if nested < len(block) else None
        block.insert(nested, badge)


def plain_text(element):
    """Return an element's text, without badges or the text of nested lists."""
    parts = [element.text or ""]
    for child in element:
        if child.tag not in ("ul", "ol") and "badge" not in (child.get("class") or ""):
            parts.append(plain_text(child))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


class GuideExtension(Extension):
    """Safe rendering and checked page links for the guide's Markdown."""

    def __init__(self, **kwargs):
        self.config = {
            "resolve": [
                lambda slug, anchor: f"{slug}.md" + (f"#{anchor}" if anchor else ""),
                "callable(slug, anchor) -> href for a link to a page of the guide",
            ],
            "current_slug": ["", "the slug of the page being rendered, for '#anchor' links"],
            "badges": [
                {"medium": "may be out of date", "low": "unconfirmed, one weak source"},
                "the badge text of each confidence level, in the page's language",
            ],
        }
        super().__init__(**kwargs)
        self.links = self.marks = None

    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown's name)
        """Drop raw HTML handling and add the link processor."""
        # Without these two, Markdown copies HTML through untouched; the text then escapes it.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        # Autolinks (<https://…>) would name another site; the link check refuses them anyway.
        self.links = GuideLinkProcessor(
            md, self.getConfig("resolve"), self.getConfig("current_slug")
        )
        # After attr_list and toc have run, so anchors and ids are final (toc is priority 5).
        md.treeprocessors.register(self.links, "guide_links", 4)
        # Also after toc: a badge is not part of the section's name in the table of contents.
        self.marks = CodeAndBadgeProcessor(md, self.getConfig("badges"))
        md.treeprocessors.register(self.marks, "guide_codes_badges", 3)
        md.registerExtension(self)
