"""A Python-Markdown extension for the guide: safe HTML and links between pages.

- Raw HTML in the Markdown is never passed through: the block and inline HTML processors are
  removed, so `<script>` reaches the page as visible, escaped text.
- Links written as `other-page.md#anchor` are checked and rewritten by a `resolve` callable,
  so the same Markdown serves the server's URLs and, later, other layouts (one-file bundle).
- Links to other sites are refused: the guide names no seller and sends no one elsewhere. The
  one other scheme is `tel:`, for the codes a reader dials: digits, `*` and a final `#` written
  `%23`, and the link's text must be that same code, so what is shown is what is dialled.
- A paragraph that holds nothing but one code (`*222#`, linked or not) gets the class `code`:
  it is shown large, and the page script adds a Copy button to it.
- A `##` heading marked `{#id .medium}` or `{#id .low}` gets a short confidence badge in the
  page's language; high-confidence and instruction sections carry none (facts sheet).
"""

import re
import xml.etree.ElementTree as etree  # noqa: N813 (Python-Markdown's own name for it)

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

# `slug.md`, `slug.md#anchor` or `#anchor`: the only link forms the guide's Markdown may use.
PAGE_LINK = re.compile(r"^(?:(?P<slug>[a-z0-9-]+)\.md)?(?:#(?P<anchor>[\w-]+))?$")
# A code to dial: digits and stars, at least one digit, and at most one final `#` as `%23`
# (a bare `#` would start a URL fragment and never reach the dialler).
TEL_LINK = re.compile(r"^tel:(?P<code>(?=[0-9*]*[0-9])[0-9*]+(?:%23)?)$")
#: The confidence levels a heading may carry; the others (high, instructions) show nothing.
BADGE_LEVELS = ("medium", "low")


class LinkError(ValueError):
    """A link (or a confidence mark) in the Markdown that the guide does not allow."""


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
    """Mark paragraphs that hold one code, and add confidence badges to marked headings."""

    def __init__(self, md, badges):
        super().__init__(md)
        self.badges = badges
        self.levels = {}  # heading id -> the level its badge shows

    def run(self, root: etree.Element) -> None:
        """Add the `code` class and the badges in the rendered tree."""
        for paragraph in root.iter("p"):
            if code_of(paragraph):
                paragraph.set("class", " ".join(filter(None, [paragraph.get("class"), "code"])))
        for heading in root.iter("h2"):
            classes = (heading.get("class") or "").split()
            levels = [c for c in classes if c in BADGE_LEVELS]
            if not levels:
                continue
            if len(levels) > 1:
                raise LinkError(f"heading {heading.get('id')!r} has two confidence levels")
            rest = [c for c in classes if c not in BADGE_LEVELS]
            if rest:
                heading.set("class", " ".join(rest))
            else:
                del heading.attrib["class"]
            self.levels[heading.get("id")] = levels[0]
            # Announced with the heading by screen readers, which is what it is: part of it.
            badge = etree.SubElement(heading, "span", {"class": f"badge {levels[0]}"})
            badge.text = self.badges[levels[0]]
            if len(heading) > 1:
                heading[-2].tail = (heading[-2].tail or "").rstrip() + " "
            else:
                heading.text = (heading.text or "").rstrip() + " "


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

    def reset(self):
        """Forget the links of the previous document."""
        if self.links is not None:
            self.links.targets = []
            self.marks.levels = {}
