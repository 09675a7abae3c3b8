"""The guide's URL layout, in one place: /<lang>/ is the home page, /<lang>/<slug>/ a page.

LAYOUT is the one definition; the scripts receive it as URLS (web/shared.py) and fill in the
same templates, so no JavaScript file spells a path of its own.
"""

HOME = "index"

#: Each kind of path, as a template with {lang} and {slug}.
LAYOUT = {
    "home": "/{lang}/",
    "page": "/{lang}/{slug}/",
    "offline": "/{lang}/offline/",
    "search": "/{lang}/search/",
    "report": "/{lang}/report/",
    "reports": "/api/reports",
    "bundle": "/cuba-mobile-data-guide.html",  # the single file (web/bundle.py)
}


def page_url(lang, slug, anchor=None):
    """Return the path of a page of the guide, with an optional #anchor."""
    path = LAYOUT["home" if slug == HOME else "page"].format(lang=lang, slug=slug)
    return path + (f"#{anchor}" if anchor else "")


def offline_url(lang):
    """Return the path of the page shown offline for a URL the guide does not hold."""
    return LAYOUT["offline"].format(lang=lang)


def search_path(lang):
    """Return the path of a language's search results page (the query goes after it)."""
    return LAYOUT["search"].format(lang=lang)


def server_resolver(lang):
    """Return a Markdown link resolver that points at the server's URLs in `lang`."""
    return lambda slug, anchor: page_url(lang, slug, anchor)


def report_path(lang):
    """Return the path of a language's report form (the section goes in its query)."""
    return LAYOUT["report"].format(lang=lang)


def report_link(lang, slug, section):
    """Return the link to the report form about one section of a page."""
    return f"{report_path(lang)}?page={slug}&section={section}"
