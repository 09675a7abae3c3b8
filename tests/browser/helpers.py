"""Steps that the browser tests share: waiting for the worker and for the full precache."""

from urllib.parse import urlsplit

WAIT_FOR_CONTROL = """async () => {
  await navigator.serviceWorker.ready;
  if (!navigator.serviceWorker.controller) {
    await new Promise((resolve) =>
      navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
  }
  return navigator.serviceWorker.controller.scriptURL;
}"""

SAVED = {"en": "Saved for offline:", "es": "Guardada para usar sin conexión:",
         "zh": "已离线保存："}


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
