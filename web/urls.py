"""The guide's URL layout, in one place: /<lang>/ is the home page, /<lang>/<slug>/ a page."""

HOME = "index"


def page_url(lang, slug, anchor=None):
    """Return the path of a page of the guide, with an optional #anchor."""
    path = f"/{lang}/" if slug == HOME else f"/{lang}/{slug}/"
    return path + (f"#{anchor}" if anchor else "")


def offline_url(lang):
    """Return the path of the page shown offline for a URL the guide does not hold."""
    return f"/{lang}/offline/"


def server_resolver(lang):
    """Return a Markdown link resolver that points at the server's URLs in `lang`."""
    return lambda slug, anchor: page_url(lang, slug, anchor)
