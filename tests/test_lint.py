"""The code passes the linter configured in pyproject.toml (`make lint` runs the same check)."""

import subprocess
import sys
from pathlib import Path

from web.config import PROJECT_ROOT


def test_ruff_finds_nothing():
    ruff = Path(sys.executable).parent / "ruff"
    result = subprocess.run([str(ruff), "check", "web", "tests", "bench", "tools"],
                            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
