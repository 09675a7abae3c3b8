"""Real headless Chromium (Debian's) against the real app on 127.0.0.1.

The browser tests are skipped, loudly, when Chromium is missing on a developer's machine; in CI
(CI=true) a missing Chromium fails the run instead, so CI can never pass without them.
"""

import os
import shutil
from pathlib import Path

import pytest
from helpers import CHROMIUM, CHROMIUM_ARGS
from tooling import IN_CI, SKIPPED

MISSING = not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK))
REASON = f"BROWSER TESTS SKIPPED: no Chromium at {CHROMIUM} (apt-get install chromium)"

HERE = Path(__file__).parent


def pytest_collection_modifyitems(config, items):
    """Mark the tests here as browser tests; skip them (locally) or stop (in CI) if no Chromium."""
    mine = [item for item in items if HERE in Path(item.path).parents]
    for item in mine:
        item.add_marker(pytest.mark.browser)
    if MISSING and mine:
        if IN_CI:
            pytest.exit(f"CI=true but {REASON}: browser tests must run in CI", returncode=1)
        SKIPPED.append(REASON)
        for item in mine:
            item.add_marker(pytest.mark.skip(reason=REASON))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch Debian's Chromium instead of a Playwright download (none can be fetched here)."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def phone(browser):
    """Return a new phone-sized browser context (no worker, no cache: a first visit)."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture(scope="session")
def chromium_path():
    """Return the Chromium executable (for persistent contexts)."""
    return shutil.which(CHROMIUM) or CHROMIUM


@pytest.fixture(scope="session")
def trusting_browser(browser_type, browser_type_launch_args, local_ca, tmp_path_factory):
    """Return a Chromium that trusts the tests' throwaway CA, as a reader's phone trusts a real one.

    Chromium on Linux reads extra roots from the NSS database in $HOME/.pki/nssdb: this one's
    HOME holds a database made by certutil with the CA in it, and nothing else changes.
    """
    home = local_ca.nss_home(tmp_path_factory.mktemp("chromium-home"))
    browser = browser_type.launch(**browser_type_launch_args,
                                  env={**os.environ, "HOME": str(home)})
    yield browser
    browser.close()


@pytest.fixture
def trusting_phone(trusting_browser):
    """Return a phone-sized context of the trusting Chromium (a first visit: nothing saved)."""
    context = trusting_browser.new_context(viewport={"width": 360, "height": 740},
                                           device_scale_factor=2, is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    yield context
    context.close()
