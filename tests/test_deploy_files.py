"""The deploy files agree with their sources: the header snippet with web/security.py, the configs
and commands with docs/deploy.md and the README. (Real nginx runs them in test_deploy_*.py.)"""

import re

from live_deploy import DEPLOY, DOCS, SNIPPETS, documented_command

from web.config import PROJECT_ROOT
from web.security import nginx_include

README = PROJECT_ROOT / "README.md"


def test_security_header_snippet_is_generated_from_security_py(app):
    shipped = (DEPLOY / "guide-security-headers.conf").read_text(encoding="utf-8")
    assert shipped == nginx_include(app.config["HSTS_MAX_AGE"]), "run `make nginx-headers`"


def test_docs_install_every_shipped_file_where_the_configs_include_it():
    docs = DOCS.read_text(encoding="utf-8")
    shipped = {path.name for path in DEPLOY.iterdir()}
    assert shipped == {"guide.conf", "guide-app.conf", "guide-tls.conf",
                       "guide-security-headers.conf"}
    for name in shipped:
        assert f"deploy/nginx/{name}" in docs, name
    for config in ("guide.conf", "guide-app.conf"):
        text = (DEPLOY / config).read_text(encoding="utf-8")
        included = re.findall(r"^\s*include\s+(\S+);", text, re.M)
        assert included, config
        for path in included:
            assert path.startswith(SNIPPETS) and path.removeprefix(SNIPPETS) in shipped, path
    # The snippets are copied where the configs look for them.
    snippets = re.search(r"sudo cp (deploy/nginx/guide-\S+ deploy/nginx/\S+) (\S+)", docs)
    assert snippets and snippets[2] == SNIPPETS, snippets


def test_export_command_writes_where_guide_conf_serves_from():
    env, argv = documented_command("flask")
    assert env["GUIDE_SITE_URL"].startswith("https://")
    assert argv[1:4] == ["--app", "web", "export"]
    root = re.search(r"^\s*root\s+(\S+);", (DEPLOY / "guide.conf").read_text(encoding="utf-8"),
                     re.M)[1]
    assert argv[4] == root


def test_readme_gives_the_same_gunicorn_command_as_deploy_md():
    docs = documented_command("gunicorn")
    assert documented_command("gunicorn", README) == docs
    env, argv = docs
    assert env["GUIDE_SITE_URL"].startswith("https://")
    assert "--forwarded-allow-ips=127.0.0.1" in argv
    upstream = re.search(r"^\s*server\s+(\S+);",
                         (DEPLOY / "guide-app.conf").read_text(encoding="utf-8"), re.M)[1]
    assert argv[argv.index("--bind") + 1] == upstream


def test_make_nginx_headers_writes_the_shipped_snippet(runner):
    result = runner.invoke(args=["nginx-headers"])
    assert result.exit_code == 0
    assert result.output == (DEPLOY / "guide-security-headers.conf").read_text(encoding="utf-8")


def test_the_readmes_apt_line_names_what_ci_installs():
    """The README's one apt line and .ci/run install the same Debian packages."""
    ci = (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    installed = {name for group in re.findall(r"need\+=\(([^)]*)\)", ci) for name in group.split()}
    line = re.search(r"^sudo apt-get install (.+)$", README.read_text(encoding="utf-8"), re.M)[1]
    assert set(line.split()) == installed


def test_every_make_command_the_docs_give_is_a_target_of_the_makefile():
    """`make <target>` in the README and docs/ (in code spans and blocks) names a real target."""
    phony = re.search(r"^\.PHONY:(.+)$", (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8"),
                      re.M)[1].split()
    named = set()
    for doc in (README, *sorted((PROJECT_ROOT / "docs").glob("*.md"))):
        text = doc.read_text(encoding="utf-8")
        code = re.findall(r"`([^`\n]+)`", text) + re.findall(r"```sh\n(.*?)```", text, re.S)
        lines = [line for span in code for line in span.splitlines()
                 if "apt-get install" not in line]  # there `make` is a package
        named |= {target for line in lines for target in re.findall(r"\bmake ([a-z-]+)", line)}
    assert {"run", "test", "server", "nginx-headers", "bench", "check"} <= named, named
    assert named <= set(phony), named - set(phony)
