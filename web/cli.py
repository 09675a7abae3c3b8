"""Flask commands: `content check` for the guide's writers; `export` and `bundle` to publish it."""

import gzip
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from .build import get_build
from .config import SOURCE_LANGUAGE
from .content import check_guide
from .export import ExportError, publish
from .security import nginx_include
from .seo import warn_if_relative

content_cli = AppGroup("content", help="Check the guide's Markdown content.")


@content_cli.command("check")
def check_command():
    """Report missing pages or anchors and translations older than the English."""
    guide = get_build().guide  # building it already refused broken files
    problems = check_guide(guide, SOURCE_LANGUAGE)
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise click.exceptions.Exit(1)
    click.echo(
        f"content ok: {len(guide.slugs)} pages x {len(guide.languages)} languages, "
        "same headings everywhere, no translation behind the English"
    )


@click.argument("target", type=click.Path(file_okay=False, path_type=Path))
def export_command(target):
    """Write every URL of the guide into TARGET, for any static host or CDN."""
    warn_if_relative(current_app._get_current_object(), get_build().origin)
    try:
        files = publish(current_app, target)
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None
    twins = sum(f.suffix in (".br", ".gz") for f in files)
    br = sum(f.stat().st_size for f in files if f.suffix == ".br")
    click.echo(f"exported {len(files) - twins} files (+{twins} .br/.gz twins, {br:,} bytes of .br)"
               f" to {target}")


@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
def bundle_command(target):
    """Write the whole guide, every page in every language, as one HTML file TARGET."""
    data = get_build().bundle.data
    target.write_bytes(data)
    click.echo(f"wrote {target}: {len(data):,} bytes, {len(gzip.compress(data, 9)):,} gzipped")


def nginx_headers_command():
    """Print the security headers as an nginx include (deploy/nginx/guide-security-headers.conf)."""
    config = current_app.config
    click.echo(nginx_include(config["HSTS_MAX_AGE"], config["REPORTS_ORIGIN"] or None), nl=False)


def init_app(app):
    """Register the guide's commands (app.cli runs each inside the app's context)."""
    app.cli.add_command(content_cli)
    app.cli.command("export")(export_command)
    app.cli.command("bundle")(bundle_command)
    app.cli.command("nginx-headers")(nginx_headers_command)
