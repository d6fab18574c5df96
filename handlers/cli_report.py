"""`cpd report termly|trust`: the reports of GET /reports/..., made from the data
directory's SQLite file directly, read-only (also while the service runs: WAL lets it read
beside the writer), as JSON, CSV or an HTML page for printing.

Exit codes: 0 written; 1 the database could not be read; 2 bad arguments (a term, a date,
a school or a setting that is not one), nothing written.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from handlers.cli_shared import current_settings, database_of
from handlers.reports.answer import ReportFormat, rendered
from handlers.reports.calendar import report_calendar, school_report_calendars
from handlers.reports.reading import read_snapshot
from handlers.settings import Settings
from scheduler.calendar import CalendarError
from scheduler.calendars import load_calendars
from scheduler.policy import PolicyError
from scheduler.policy_sets import load_policy_library
from workflow.clock import SystemClock
from workflow.directory import policy_id_of_school, school_as_of
from workflow.directory.store import schools_as_of
from workflow.policy import PolicySetsInvalid
from workflow.reports import Report
from workflow.reports.context import ReportContext
from workflow.reports.periods import InvalidPeriod
from workflow.reports.termly import termly_report
from workflow.reports.trust import trust_report
from workflow.store.policies import Governance

UNREADABLE, USAGE = 1, 2
F = TypeVar("F", bound=Callable[..., Any])


def common_options(command: F) -> F:
    for option in reversed(
        (
            click.option(
                "--format",
                "form",
                type=click.Choice([f.value for f in ReportFormat]),
                default=ReportFormat.JSON.value,
                show_default=True,
                help="json, csv (one row per figure) or html (a page with charts, for A4)",
            ),
            click.option(
                "--out",
                type=click.Path(dir_okay=False, path_type=Path),
                help="write the report to this file (default: standard output)",
            ),
            click.option(
                "--data-dir",
                type=click.Path(file_okay=False, path_type=Path),
                help="the service's data directory (default CPD_DATA_DIR, else ./cpd-data)",
            ),
        )
    ):
        command = option(command)
    return command


@click.group(name="report")
def report() -> None:
    """Reports for governors and trustees, from the data directory's database (read-only)."""


@report.command()
@click.option("--school-id", required=True, help="the school, e.g. S-WALMLEY")
@click.option("--term", required=True, help="2026-autumn, 2027-spring or 2027-summer")
@common_options
@click.pass_context
def termly(
    ctx: click.Context,
    school_id: str,
    term: str,
    form: str,
    out: Path | None,
    data_dir: Path | None,
) -> None:
    """One school's term for its governors (GET /reports/termly)."""

    def make(db: sqlite3.Connection, context: ReportContext) -> Report:
        if school_as_of(db, school_id, context.now) is None:
            raise click.UsageError(f"no school '{school_id}' in the staff directory")
        return termly_report(db, context, school_id, term)

    _run(ctx, make, form, out, data_dir)


@report.command()
@click.option("--from", "first", required=True, help="first day, inclusive (YYYY-MM-DD)")
@click.option("--to", "last", required=True, help="last day, inclusive (YYYY-MM-DD)")
@click.option("--trust-id", help="only this trust's schools (default: every school)")
@common_options
@click.pass_context
def trust(
    ctx: click.Context,
    first: str,
    last: str,
    trust_id: str | None,
    form: str,
    out: Path | None,
    data_dir: Path | None,
) -> None:
    """Every school side by side over a period, for trustees (GET /reports/trust)."""

    def make(db: sqlite3.Connection, context: ReportContext) -> Report:
        return trust_report(db, context, schools_of_trust(db, context, trust_id), first, last)

    _run(ctx, make, form, out, data_dir)


def _run(
    ctx: click.Context,
    make: Callable[[sqlite3.Connection, ReportContext], Report],
    form: str,
    out: Path | None,
    data_dir: Path | None,
) -> None:
    settings = current_settings(data_dir=data_dir)
    try:
        context = _context(settings, SystemClock().now())
    except (CalendarError, PolicyError, PolicySetsInvalid) as error:
        _fail(ctx, USAGE, f"configuration error: {error}")
    database = database_of(settings)
    if not database.is_file():
        _fail(ctx, UNREADABLE, f"no database at {database} (is --data-dir right?)")
    try:
        made = read_snapshot(database, make, context)
    except (InvalidPeriod, click.UsageError) as error:
        _fail(ctx, USAGE, str(error.reason if isinstance(error, InvalidPeriod) else error.message))
    except sqlite3.Error as error:
        _fail(ctx, UNREADABLE, f"cannot read {database}: {error}")
    text = rendered(made, ReportFormat(form))
    if out is None:
        click.echo(text, nl=not text.endswith("\n"))
    else:
        out.write_text(text, encoding="utf-8", newline="")
        click.echo(f"wrote {out}", err=True)


def _context(settings: Settings, now: datetime) -> ReportContext:
    library = load_policy_library(settings.policy_dir, settings.follow_up_policy)
    calendars = load_calendars(settings.term_dates, settings.term_dates_dir)
    governance = Governance(library, policy_id_of_school)
    by_school = school_report_calendars(calendars)
    return ReportContext(governance, report_calendar(calendars.default), now, by_school)


def _fail(ctx: click.Context, code: int, message: str) -> NoReturn:
    click.echo(f"cpd report: {message}", err=True)
    ctx.exit(code)


def schools_of_trust(
    db: sqlite3.Connection, context: ReportContext, trust_id: str | None
) -> list[str]:
    """The schools of `trust_id` in the directory now (every school when None)."""
    known = schools_as_of(db, context.now)
    chosen = sorted(s for s, found in known.items() if trust_id in (None, found.trust))
    if trust_id is not None and not chosen:
        raise click.UsageError(f"no school of trust '{trust_id}' in the staff directory")
    return chosen


from handlers import cli_report_more  # noqa: E402, F401  (its commands join the group)
