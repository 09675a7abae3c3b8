"""The same offline scenario in Chromium, WebKit and Firefox (see scenario.py)."""

import time

import pytest
from engines import FirefoxDriver, PlaywrightDriver, WebKitDriver, Xvfb, missing
from scenario import offline_scenario
from tooling import skip_or_fail

ENGINES = ["chromium", "webkit", "firefox"]


@pytest.fixture(scope="session")
def display():
    """Return a virtual X display for WebKitGTK, started once."""
    screen = Xvfb()
    yield screen.display
    screen.stop()


@pytest.fixture(params=ENGINES)
def driver(request, tmp_path):
    """Start one engine with a fresh profile; a missing engine skips loudly (fails in CI)."""
    engine = request.param
    reason = missing(engine)
    if reason:
        skip_or_fail(f"{engine.upper()} TESTS SKIPPED: {reason} (docs/design.md: browsers tested)")
    if engine == "chromium":
        page = request.getfixturevalue("phone").new_page()
        yield PlaywrightDriver(page)
        return
    started = time.monotonic()
    if engine == "webkit":
        live = WebKitDriver(request.getfixturevalue("display"))
    else:
        live = FirefoxDriver(tmp_path / "firefox-profile")
    live.started_in = time.monotonic() - started
    try:
        yield live
    finally:
        live.quit()


@pytest.mark.timeout(300)  # a hung driver fails the test instead of hanging CI
def test_offline_scenario(driver, server, app):
    started = time.monotonic()
    offline_scenario(driver, server, app)
    print(f"{driver.name}: offline scenario passed in {time.monotonic() - started:.1f} s")
