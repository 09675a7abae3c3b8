"""What the browser tests share: the Chromium they run, waiting for the worker and for the full
precache, and changing a page to make an update."""

import os
from urllib.parse import urlsplit

from babel.messages.pofile import read_po

from web.config import LANGUAGES, PROJECT_ROOT

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]

WAIT_FOR_CONTROL = """async () => {
  await navigator.serviceWorker.ready;
  if (!navigator.serviceWorker.controller) {
    await new Promise((resolve) =>
      navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
  }
  return navigator.serviceWorker.controller.scriptURL;
}"""

#: The status line's "saved" message, as each catalog words it (the text before its numbers).
SAVED_MSGID = "Saved for offline: %(pages)s pages, %(size)s KB, as of %(date)s."


def catalog_text(lang, msgid):
    """Return a UI string as the language's catalog translates it."""
    path = PROJECT_ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po"
    with open(path, "rb") as po:
        return read_po(po)[msgid].string or msgid


SAVED = {lang: catalog_text(lang, SAVED_MSGID).split("%(")[0] for lang in LANGUAGES}


def first_visit(page, url):
    """Open one page online and wait until the worker controls it and all is saved."""
    lang = urlsplit(url).path.split("/")[1]
    page.goto(url)
    page.evaluate(WAIT_FOR_CONTROL)
    status = page.locator("#sw-status")
    status.filter(has_text=SAVED[lang]).wait_for()
    return status.inner_text()


def cached_urls(page, urls):
    """Return the URLs among `urls` that the page's caches hold."""
    return page.evaluate(
        "async (urls) => { const out = []; "
        "for (const u of urls) { if (await caches.match(u)) out.push(u); } return out; }",
        urls,
    )


UPDATE = """async () => {
  const registration = await navigator.serviceWorker.getRegistration();
  await registration.update();
  const worker = registration.installing || registration.waiting;
  if (!worker) return 'none';
  if (!['installed', 'redundant'].includes(worker.state)) {
    await new Promise((resolve) => worker.addEventListener('statechange', () => {
      if (['installed', 'redundant'].includes(worker.state)) resolve();
    }));
  }
  return worker.state + (registration.waiting ? ' waiting' : '');
}"""

NEW_LINE = "A sentence added to test the update."


def change_page(content_copy, lang, slug):
    """Append a sentence to one Markdown page of the test copy."""
    path = content_copy / lang / f"{slug}.md"
    path.write_text(path.read_text(encoding="utf-8") + f"\n{NEW_LINE}\n", encoding="utf-8")
