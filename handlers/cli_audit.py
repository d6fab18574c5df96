"""`cpd audit verify|head|search`: the tamper-evident audit chain, read from the data
directory's SQLite file directly (read-only), also while the service runs.

Exit codes: 0 done (verify: the chain is intact), 1 the chain is broken, 2 a usage error
(no database, a head file that is not one `cpd audit head` printed, a bad filter).
"""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any, NoReturn

import click

from handlers.cli_shared import current_settings, database_of
from workflow.audit import COLUMNS, DEFAULT_LIMIT, MAX_LIMIT, ORDERS, read_head, search_of
from workflow.errors import DomainError
from workflow.states import State
from workflow.store.audit import head as chain_head
from workflow.store.audit import verify as verify_chain
from workflow.store.audit_search import search as search_chain

INTACT, BROKEN, USAGE_ERROR = 0, 1, 2
Command = Callable[..., Any]
OUTCOMES = ("applied", "refused", "reminder")
DATA_DIR = click.option(
    "--data-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="data directory holding cpd.sqlite3 (default: CPD_DATA_DIR, else ./cpd-data)",
)


class UsageError(Exception):
    """One clear line for stderr, then exit 2."""


@click.group(name="audit", help="The tamper-evident audit chain: check it, its head, search it.")
def audit() -> None:
    pass


@audit.command(help="Check every link of the chain; exit 0 intact, 1 broken (says where).")
@click.option(
    "--head",
    "head_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="a file holding what `cpd audit head` printed earlier: also finds a cut tail",
)
@DATA_DIR
@click.pass_context
def verify(ctx: click.Context, head_file: Path | None, data_dir: Path | None) -> None:
    try:
        kept = _kept_head(head_file) if head_file is not None else None
        with _reading(data_dir) as db:
            verdict = verify_chain(db, kept)
    except UsageError as error:
        _fail(ctx, str(error))
    click.echo(verdict.describe())
    ctx.exit(INTACT if verdict.intact else BROKEN)


@audit.command(help='Print the chain\'s head as JSON, {"seq": …, "hash": …}, to keep elsewhere.')
@DATA_DIR
@click.pass_context
def head(ctx: click.Context, data_dir: Path | None) -> None:
    try:
        with _reading(data_dir) as db:
            found = chain_head(db)
    except UsageError as error:
        _fail(ctx, str(error))
    click.echo(found.to_json())


def _filter(name: str, what: str, *names: str, **kwargs: Any) -> Callable[[Command], Command]:
    return click.option(name, *names, default=None, help=what, **kwargs)


@audit.command(help="Entries matching every filter given, a page at a time (as GET /audit).")
@_filter("--request-id", "entries about this request")
@_filter("--staff-id", "entries about this person, by them, or reminders to them")
@_filter("--school-id", "entries about this school")
@_filter("--actor", "entries this actor (a person or a system) acted in")
@_filter("--event-type", "entries of this event type, e.g. cpd.request.head_approved")
@_filter("--state", "entries that left their request in this state", type=click.Choice(State))
@_filter("--outcome", "applied, refused or reminder", type=click.Choice(OUTCOMES))
@_filter("--from", "from this date or date-time (inclusive)", "since")
@_filter("--to", "to this date or date-time (inclusive)")
@click.option("--order", type=click.Choice(ORDERS), default="oldest", help="oldest or newest first")
@click.option(
    "--limit", type=click.IntRange(1, MAX_LIMIT), default=DEFAULT_LIMIT, help="entries per page"
)
@click.option("--cursor", help="the next_cursor of the page before")
@click.option(
    "--format",
    "form",
    type=click.Choice(("json", "csv")),
    default="json",
    help="json: {entries, next_cursor}; csv: a header row, the cursor on stderr",
)
@DATA_DIR
@click.pass_context
def search(ctx: click.Context, /, **options: Any) -> None:
    names = ("request_id", "staff_id", "school_id", "actor", "event_type", "state", "outcome")
    filters = {n: _text(options[n]) for n in names}
    try:
        asked = search_of(
            filters,
            since=options["since"],
            to=options["to"],
            order=options["order"],
            limit=options["limit"],
            cursor=options["cursor"],
        )
        with _reading(options["data_dir"]) as db:
            page = search_chain(db, asked)
    except DomainError as error:
        _fail(ctx, error.reason)
    except UsageError as error:
        _fail(ctx, str(error))
    if options["form"] == "json":
        body = {"entries": page.entries, "next_cursor": page.next_cursor}
        click.echo(json.dumps(body, indent=2, ensure_ascii=False))
        return
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([entry[c] for c in COLUMNS] for entry in page.entries)
    if page.next_cursor is not None:
        click.echo(f"next cursor: {page.next_cursor}", err=True)


def _text(value: Any) -> str | None:
    return None if value is None else str(getattr(value, "value", value))


def _kept_head(path: Path) -> Any:
    try:
        return read_head(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise UsageError(f"cannot read the head file {path}: {error.strerror}") from None
    except ValueError as error:
        raise UsageError(f"the head file {path} {error}") from None


@contextmanager
def _reading(data_dir: Path | None) -> Iterator[sqlite3.Connection]:
    database = database_of(current_settings(data_dir=data_dir))
    if not database.is_file():
        raise UsageError(f"no database at {database}: is --data-dir (CPD_DATA_DIR) right?")
    uri = f"{database.resolve().as_uri()}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True, isolation_level=None)) as db:
        db.execute("PRAGMA busy_timeout = 10000")
        found = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'audit'").fetchone()
        if found is None:
            raise UsageError(
                f"{database} has no audit chain yet (an older schema): start the service once"
            )
        yield db


def _fail(ctx: click.Context, message: str) -> NoReturn:
    click.echo(f"cpd audit: {message}", err=True)
    ctx.exit(USAGE_ERROR)
