"""deploy/systemd/guide.service: the README's production command, as a unit systemd accepts."""

import configparser
import re
import shlex
import shutil
import subprocess

import pytest
from tooling import skip_or_fail

from web.config import PROJECT_ROOT

UNIT = PROJECT_ROOT / "deploy" / "systemd" / "guide.service"
#: Where docs/deploy.md puts the checkout; the tests put this one there instead.
CHECKOUT = "/srv/guide"


def unit():
    """Return the unit file as sections of settings (systemd's syntax is INI-like)."""
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read_string(UNIT.read_text(encoding="utf-8"))
    return parser


def verify(tmp_path, text):
    """Run systemd-analyze verify on a unit text; return (exit code, output)."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        skip_or_fail("SYSTEMD TESTS SKIPPED: no systemd-analyze (apt-get install systemd)")
    path = tmp_path / "guide.service"
    path.write_text(text, encoding="utf-8")
    result = subprocess.run([analyze, "verify", str(path)], capture_output=True, text=True,
                            timeout=60)
    return result.returncode, result.stdout + result.stderr


def test_the_unit_runs_the_readmes_production_command():
    service = unit()["Service"]
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    documented = re.search(r"^GUIDE_SITE_URL=\S+ \.venv/bin/gunicorn (.+)$", readme, re.M)[1]
    command = shlex.split(service["ExecStart"])
    assert command[0] == f"{CHECKOUT}/.venv/bin/gunicorn"
    assert command[1:] == shlex.split(documented)
    assert service["WorkingDirectory"] == CHECKOUT
    environment = dict(item.split("=", 1) for item in shlex.split(service["Environment"]))
    assert environment["GUIDE_SITE_URL"].startswith("https://")
    assert environment["GUIDE_PROXY_HOPS"] == "1"  # behind nginx
    assert service["User"] == "guide" and service["Restart"] == "on-failure"


def test_the_sandbox_leaves_only_the_build_folders_writable():
    """The app writes its static build and its compression cache, both under instance/."""
    service = unit()["Service"]
    assert service["ProtectSystem"] == "strict"
    assert service["ReadWritePaths"].split() == [f"{CHECKOUT}/instance"]
    for setting in ("NoNewPrivileges", "PrivateTmp", "ProtectHome"):
        assert service[setting] == "true", setting


def test_systemd_accepts_the_unit(tmp_path):
    # This checkout stands where the unit expects the guide (its gunicorn must exist).
    text = UNIT.read_text(encoding="utf-8").replace(CHECKOUT, str(PROJECT_ROOT))
    code, output = verify(tmp_path, text)
    assert code == 0 and output.strip() == "", output


@pytest.mark.parametrize(("change", "old", "new"), [
    ("a missing program", ".venv/bin/gunicorn", ".venv/bin/no-such-gunicorn"),
    ("an unknown setting", "Restart=on-failure", "Restart=on-failure\nRestartt=always"),
])
def test_systemd_refuses_a_broken_copy(tmp_path, change, old, new):
    text = UNIT.read_text(encoding="utf-8").replace(CHECKOUT, str(PROJECT_ROOT))
    code, output = verify(tmp_path, text.replace(old, new, 1))
    assert code != 0 or output.strip(), change
