"""UI strings: every catalog complete, none fuzzy, and messages.pot in step with the code."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from web.config import LANGUAGES, PROJECT_ROOT

TRANSLATIONS = PROJECT_ROOT / "translations"


def load(path):
    with open(path, "rb") as f:
        return read_po(f)


@pytest.fixture(scope="session")
def current_template(tmp_path_factory):
    """Extract the messages from the code now, as `make extract-messages` would (once a run)."""
    out = tmp_path_factory.mktemp("extract") / "messages.pot"
    subprocess.run(
        [str(Path(sys.executable).parent / "pybabel"), "extract", "-F", "babel.cfg",
         "--sort-by-file", "--no-wrap", "--omit-header", "-o", str(out), "."],
        cwd=PROJECT_ROOT, check=True, capture_output=True,
    )
    return load(out)


def test_pot_is_in_step_with_the_code(current_template):
    fresh = {m.id for m in current_template if m.id}
    committed = {m.id for m in load(TRANSLATIONS / "messages.pot") if m.id}
    assert fresh == committed, "run 'make extract-messages' and translate the new strings"


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_catalog_complete_and_not_fuzzy(lang, current_template):
    catalog = load(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po")
    wanted = {m.id for m in current_template if m.id}
    have = {m.id: m for m in catalog if m.id}
    assert wanted <= set(have), f"missing in {lang}: {wanted - set(have)}"
    for msgid in wanted:
        message = have[msgid]
        assert message.string, f"{lang}: untranslated {msgid!r}"
        assert not message.fuzzy, f"{lang}: fuzzy {msgid!r}"
        if "%(" in msgid:
            placeholders = re.compile(r"%\(\w+\)s")
            assert set(placeholders.findall(msgid)) == set(placeholders.findall(message.string))
