"""`flask reports …`: the editors read and close reader reports here, not in a web admin (no
login to attack). A report's text is printed as plain text only, never rendered as HTML."""

import csv
import json
import sys

import click
from flask.cli import AppGroup

from .config import LANGUAGES, PAGES
from .reports import store
from .reports_store import UnavailableError

reports_cli = AppGroup("reports", help="Read, close, export and prune reader reports.")

#: Closed reports older than this many days go at `flask reports prune`.
PRUNE_AFTER_DAYS = 180
COLUMNS = ("id", "received", "lang", "page", "section", "revision", "closed", "note", "text")


def printable(value):
    """Return a value as one line of plain text (a report may hold line breaks and tabs)."""
    if value is None:
        return ""
    return str(value).replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")


def fail_unavailable(error):
    """Stop with a clear message when the database can't answer."""
    raise click.ClickException(f"the reports database is unavailable: {error}")


@reports_cli.command("list")
@click.option("--open", "open_only", is_flag=True, help="Only reports not closed yet.")
@click.option("--lang", type=click.Choice(list(LANGUAGES)), help="Only this language.")
@click.option("--page", type=click.Choice(list(PAGES)), help="Only this page.")
def list_command(open_only, lang, page):
    """List reports, oldest first: id, hour received, where, state, the text's start."""
    try:
        found = store().find(open_only=open_only, lang=lang, page=page)
    except UnavailableError as error:
        fail_unavailable(error)
    for report in found:
        state = "closed" if report["closed"] else "open"
        text = printable(report["text"])
        click.echo(f"{report['id']}  {report['received']:%Y-%m-%d %H:00}  {report['lang']}/"
                   f"{report['page']}#{report['section']}  {state}  "
                   f"{text[:60]}{'…' if len(text) > 60 else ''}")
    click.echo(f"{len(found)} report(s)", err=True)


@reports_cli.command("show")
@click.argument("report_id")
def show_command(report_id):
    """Show one report whole."""
    try:
        report = store().get(report_id)
    except UnavailableError as error:
        fail_unavailable(error)
    if report is None:
        raise click.ClickException(f"no report {report_id}")
    for name in COLUMNS[:-1]:
        click.echo(f"{name}: {printable(report[name])}")
    click.echo("text:")
    click.echo(report["text"])  # plain text on a terminal, as the reader wrote it


@reports_cli.command("close")
@click.argument("report_id")
@click.option("--note", required=True, help="What was done about it.")
def close_command(report_id, note):
    """Mark a report dealt with, with a note."""
    try:
        found = store().close(report_id, note)
    except UnavailableError as error:
        fail_unavailable(error)
    if not found:
        raise click.ClickException(f"no report {report_id}")
    click.echo(f"closed {report_id}")


@reports_cli.command("export")
@click.option("--format", "form", type=click.Choice(["json", "csv"]), default="json")
def export_command(form):
    """Write every report to standard output, as JSON or CSV."""
    try:
        found = store().find()
    except UnavailableError as error:
        fail_unavailable(error)
    rows = [{name: (report[name].isoformat() if hasattr(report[name], "isoformat")
                    else report[name]) for name in COLUMNS} for report in found]
    if form == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    writer = csv.DictWriter(sys.stdout, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)


@reports_cli.command("prune")
def prune_command():
    """Delete closed reports received more than 180 days ago."""
    try:
        gone = store().prune(PRUNE_AFTER_DAYS)
    except UnavailableError as error:
        fail_unavailable(error)
    click.echo(f"deleted {gone} closed report(s) older than {PRUNE_AFTER_DAYS} days")


def init_app(app):
    """Register `flask reports`."""
    app.cli.add_command(reports_cli)
