"""The content check command: quiet and 0 on good content, loud and 1 on lagging translations."""

import os
import re
import subprocess
import sys
from pathlib import Path

from web.config import PROJECT_ROOT


def test_content_check_passes_on_the_guide(runner):
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert "content ok: 10 pages x 3 languages" in result.output


def test_content_check_reports_lagging_translation_and_anchor(make_app, content_copy):
    page = content_copy / "es" / "about.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(re.sub(r"(?m)^updated: .*$", "updated: 2020-01-01", text), encoding="utf-8")
    faq = content_copy / "zh" / "transfer-faq.md"
    # Rename the heading and every zh link to it: the guide still loads, but differs from en.
    for path in (content_copy / "zh").glob("*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("{#hotspot", "{#hotspot-zh").replace(
            "#hotspot)", "#hotspot-zh)"), encoding="utf-8")
    result = make_app(content_copy).test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 1
    assert f"{page}: reviewed 2020-01-01, older than en" in result.output
    differ = "headings differ from en: missing ['hotspot'], extra ['hotspot-zh']"
    assert f"{faq}: {differ}" in result.output


def test_flask_command_line_names_a_broken_file(content_copy):
    (content_copy / "en" / "about.md").write_text("oops\n", encoding="utf-8")
    env = {**os.environ, "GUIDE_CONTENT_DIR": str(content_copy)}
    flask = Path(sys.executable).parent / "flask"
    result = subprocess.run([str(flask), "--app", "web", "content", "check"], cwd=PROJECT_ROOT,
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert f"{content_copy / 'en' / 'about.md'}: must start with a front matter block" in (
        result.stderr + result.stdout)
