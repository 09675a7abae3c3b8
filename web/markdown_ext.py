"""A Python-Markdown extension for the guide: safe HTML and links between pages.

- Raw HTML in the Markdown is never passed through: the block and inline HTML processors are
  removed, so `<script>` reaches the page as visible, escaped text.
- Links written as `other-page.md#anchor` are checked and rewritten by a `resolve` callable,
  so the same Markdown serves the server's URLs and, later, other layouts (one-file bundle).
- Links to other sites are refused: the guide names no seller and sends no one elsewhere.
"""

import re
import xml.etree.ElementTree as etree  # noqa: N813 (Python-Markdown's own name for it)

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

# `slug.md`, `slug.md#anchor` or `#anchor`: the only link forms the guide's Markdown may use.
PAGE_LINK = re.compile(r"^(?:(?P<slug>[a-z0-9-]+)\.md)?(?:#(?P<anchor>[\w-]+))?$")


class LinkError(ValueError):
    """A link in the Markdown that the guide does not allow."""


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
            match = PAGE_LINK.match(href)
            if not href or not match:
                raise LinkError(f"link {href!r} is not of the form 'page.md#anchor'")
            slug = match["slug"] or self.current_slug
            anchor = match["anchor"]
            self.targets.append((slug, anchor))
            # A link within the page stays a bare fragment: no reload, works in any layout.
            link.set("href", f"#{anchor}" if not match["slug"] else self.resolve(slug, anchor))


class GuideExtension(Extension):
    """Safe rendering and checked page links for the guide's Markdown."""

    def __init__(self, **kwargs):
        self.config = {
            "resolve": [
                lambda slug, anchor: f"{slug}.md" + (f"#{anchor}" if anchor else ""),
                "callable(slug, anchor) -> href for a link to a page of the guide",
            ],
            "current_slug": ["", "the slug of the page being rendered, for '#anchor' links"],
        }
        super().__init__(**kwargs)
        self.links = None

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
        md.registerExtension(self)

    def reset(self):
        """Forget the links of the previous document."""
        if self.links is not None:
            self.links.targets = []
