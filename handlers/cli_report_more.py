"""`cpd report equality|providers|annual-review|portfolio`: the people reports of
GET /reports/... and GET /staff/{id}/portfolio, from the data directory's database,
read-only, like `cpd report termly` (same options, same exit codes: 0 written, 1 the
database could not be read, 2 bad arguments). They join the `report` group of
handlers/cli_report.py, which imports this module."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click

from handlers.cli_report import _run, common_options, report, schools_of_trust
from workflow.reports import Report
from workflow.reports.context import ReportContext
from workflow.reports.people_reports import (
    annual_review_of,
    equality_of,
    portfolio_of,
    providers_of,
)

FROM = click.option("--from", "first", required=True, help="first day, inclusive (YYYY-MM-DD)")
TO = click.option("--to", "last", required=True, help="last day, inclusive (YYYY-MM-DD)")
TRUST = click.option("--trust-id", help="only this trust's schools (default: every school)")


@report.command()
@FROM
@TO
@click.option("--school-id", help="one school alone (default: every school, and each trust)")
@TRUST
@common_options
@click.pass_context
def equality(
    ctx: click.Context,
    first: str,
    last: str,
    school_id: str | None,
    trust_id: str | None,
    form: str,
    out: Path | None,
    data_dir: Path | None,
) -> None:
    """Equality of access: each staff group's requests, approvals, spend and hours, small
    groups suppressed (GET /reports/equality)."""

    def make(db: sqlite3.Connection, context: ReportContext) -> Report:
        schools = schools_of_trust(db, context, trust_id)
        if school_id is not None and school_id not in schools:
            raise click.UsageError(f"no school '{school_id}' in the staff directory")
        return equality_of(db, context, first, last, schools, school_id)

    _run(ctx, make, form, out, data_dir)


@report.command()
@FROM
@TO
@TRUST
@common_options
@click.pass_context
def providers(
    ctx: click.Context,
    first: str,
    last: str,
    trust_id: str | None,
    form: str,
    out: Path | None,
    data_dir: Path | None,
) -> None:
    """The provider scorecard, with each provider's trend by term (GET /reports/providers)."""

    def make(db: sqlite3.Connection, context: ReportContext) -> Report:
        return providers_of(db, context, first, last, schools_of_trust(db, context, trust_id))

    _run(ctx, make, form, out, data_dir)


@report.command(name="annual-review")
@click.option("--school-id", required=True, help="the school, e.g. S-WALMLEY")
@click.option("--year", required=True, help="the academic year, e.g. 2026-27")
@common_options
@click.pass_context
def annual_review(
    ctx: click.Context,
    school_id: str,
    year: str,
    form: str,
    out: Path | None,
    data_dir: Path | None,
) -> None:
    """A school's annual review of CPD undertaken (GET /reports/annual-review)."""

    def make(db: sqlite3.Connection, context: ReportContext) -> Report:
        made = annual_review_of(db, context, school_id, year)
        if made is None:
            raise click.UsageError(f"no school '{school_id}' in the staff directory")
        return made

    _run(ctx, make, form, out, data_dir)


@report.command()
@click.option("--staff-id", required=True, help="the person, e.g. T-042")
@common_options
@click.pass_context
def portfolio(
    ctx: click.Context, staff_id: str, form: str, out: Path | None, data_dir: Path | None
) -> None:
    """A person's professional development portfolio (GET /staff/{staff_id}/portfolio)."""

    def make(db: sqlite3.Connection, context: ReportContext) -> Report:
        made = portfolio_of(db, context, staff_id)
        if made is None:
            raise click.UsageError(f"no staff member '{staff_id}' in the staff directory")
        return made

    _run(ctx, make, form, out, data_dir)
