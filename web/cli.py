"""Flask commands: `content check` for the guide's writers; `export` and `bundle` to publish it."""

import gzip
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from .config import SOURCE_LANGUAGE
from .content import check_guide
from .export import export_site
from .security import nginx_include

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


@click.command("export")
@with_appcontext
@click.argument("target", type=click.Path(file_okay=False, path_type=Path))
def export_command(target):
    """Write every URL of the guide into TARGET, for any static host or CDN."""
    files = export_site(current_app, target)
    twins = sum(f.suffix in (".br", ".gz") for f in files)
    br = sum(f.stat().st_size for f in files if f.suffix == ".br")
    click.echo(f"exported {len(files) - twins} files (+{twins} .br/.gz twins, {br:,} bytes of .br)"
               f" to {target}")


@click.command("bundle")
@with_appcontext
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
def bundle_command(target):
    """Write the whole guide, every page in every language, as one HTML file TARGET."""
    data = current_app.extensions["bundle"].data
    target.write_bytes(data)
    click.echo(f"wrote {target}: {len(data):,} bytes, {len(gzip.compress(data, 9)):,} gzipped")


@click.command("nginx-headers")
@with_appcontext
def nginx_headers_command():
    """Print the security headers as an nginx include (deploy/nginx/guide-security-headers.conf)."""
    click.echo(nginx_include(current_app.config["HSTS_MAX_AGE"]), nl=False)


def init_app(app):
    """Register the guide's commands."""
    app.cli.add_command(content_cli)
    app.cli.add_command(export_command)
    app.cli.add_command(bundle_command)
    app.cli.add_command(nginx_headers_command)
