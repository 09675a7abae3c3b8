"""Outside tools the tests need (browsers, npm): a loud skip locally, a failure in CI.

CI sets CI=true and installs every tool, so there a missing one is a broken setup, never a skip.
"""

import os

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"

#: Why tests were skipped in this run, repeated in a banner at the end of it.
SKIPPED = []


def skip_or_fail(reason):
    """Skip the current test for a missing tool (saying so at the end), or fail it in CI."""
    if IN_CI:
        pytest.fail(f"CI=true but {reason}: these tests must run in CI", pytrace=False)
    if reason not in SKIPPED:
        SKIPPED.append(reason)
    pytest.skip(reason)


def banner(terminalreporter):
    """Repeat every skip reason at the end of the run, where nobody can miss it."""
    for reason in SKIPPED:
        terminalreporter.write_sep("!", reason, red=True, bold=True)


def export_into(app, target):
    """Run `flask export TARGET` for an app, as its command line does; return TARGET."""
    result = app.test_cli_runner().invoke(args=["export", str(target)])
    assert result.exit_code == 0, result.output
    return target
