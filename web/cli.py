"""Flask commands for the people who write the guide: `flask --app web content check`."""

import click
from flask import current_app
from flask.cli import AppGroup

from .config import SOURCE_LANGUAGE
from .content import check_guide

content_cli = AppGroup("content", help="Check the guide's Markdown content.")


@content_cli.command("check")
def check_command():
    """Report missing pages or anchors and translations older than the English."""
    guide = current_app.extensions["guide"]  # loading it already refused broken files
    problems = check_guide(guide, SOURCE_LANGUAGE)
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise click.exceptions.Exit(1)
    click.echo(
        f"content ok: {len(guide.slugs)} pages x {len(guide.languages)} languages, "
        "same headings everywhere, no translation behind the English"
    )


def init_app(app):
    """Register the guide's commands."""
    app.cli.add_command(content_cli)
