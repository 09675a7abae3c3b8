"""Fixtures that drive the real app, as in Flask's tutorial: app, client and runner."""

import shutil
from pathlib import Path

import pytest

from web import create_app
from web.config import PROJECT_ROOT

CONTENT = PROJECT_ROOT / "content"


@pytest.fixture(scope="session")
def static_build(tmp_path_factory):
    """Return one folder for the built static files, shared by every app in the run."""
    return tmp_path_factory.mktemp("static-build")


@pytest.fixture(scope="session")
def make_app(static_build):
    """Return a factory of apps over the real content, or over another content folder."""

    def make(content_dir=CONTENT, **config):
        return create_app({"TESTING": True, "CONTENT_DIR": Path(content_dir),
                           "STATIC_BUILD_DIR": static_build, **config})

    return make


@pytest.fixture(scope="session")
def app(make_app):
    """Return the app over the real content (built once: it is read-only)."""
    return make_app()


@pytest.fixture
def client(app):
    """Return a test client of the real app."""
    return app.test_client()


@pytest.fixture
def raw_client(app):
    """Return a test client without a cookie jar: tests send Cookie headers as they are."""
    return app.test_client(use_cookies=False)


@pytest.fixture
def runner(app):
    """Return a CLI runner of the real app."""
    return app.test_cli_runner()


@pytest.fixture
def content_copy(tmp_path):
    """Return a writable copy of the real content, for tests that break or change it."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target
