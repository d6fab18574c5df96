"""`cpd notifications`: list queued, sent and failed mail; `retry ID` sends a failed one again.

Works on the data directory's SQLite file directly (`--data-dir` / `CPD_DATA_DIR`), also
while the service runs: a re-queued mail goes with the sender's next look, within a minute.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

import click

from handlers.cli_shared import current_settings, data_dir_option, database_of
from handlers.mail import records


@click.group(invoke_without_command=True, help="mail: list it, or retry a failed one")
@click.option("--status", type=click.Choice(records.STATUSES), help="only mail in this state")
@click.option("--limit", type=int, default=100, show_default=True, help="newest first")
@data_dir_option
@click.pass_context
def notifications(
    context: click.Context, status: str | None, limit: int, data_dir: Path | None
) -> None:
    context.obj = data_dir  # a `retry` without its own --data-dir takes this one
    if context.invoked_subcommand is None:
        context.exit(_in_database(data_dir, lambda db: _list(records.listed(db, status, limit))))


@notifications.command("retry", help="queue a failed mail again (its whole digest)")
@click.argument("mail_id", metavar="ID", type=int)
@data_dir_option
@click.pass_context
def retry(context: click.Context, mail_id: int, data_dir: Path | None) -> None:
    data_dir = data_dir or context.obj
    context.exit(_in_database(data_dir, lambda db: _retry(db, mail_id, sys.stdout, sys.stderr)))


def _in_database(data_dir: Path | None, work: Callable[[sqlite3.Connection], int]) -> int:
    """0 done; 1 nothing to retry under that id; 2 no database."""
    err = sys.stderr
    path = database_of(current_settings(data_dir=data_dir))
    if not path.is_file():
        print(f"cpd: no database at {path} (give --data-dir or CPD_DATA_DIR)", file=err)
        return 2
    with closing(sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=30)) as db:
        try:
            return work(db)
        except sqlite3.OperationalError as error:
            print(f"cpd: {path}: {error} (start `cpd serve` once to bring it up to date)", file=err)
            return 2


def _retry(db: sqlite3.Connection, row_id: int, out: TextIO, err: TextIO) -> int:
    with db:  # one transaction; the service's writer waits its turn (busy timeout)
        count = records.retry(db, row_id, datetime.now(UTC))
    if count:
        rows = "it" if count == 1 else f"it and the {count - 1} reminders of its digest"
        print(
            f"notification {row_id}: queued again ({rows}); the service sends it shortly", file=out
        )
        return 0
    found = db.execute("SELECT status FROM notifications WHERE id = ?", (row_id,)).fetchone()
    why = f"is {found[0]}, not failed" if found else "does not exist"
    print(f"cpd: notification {row_id} {why}: nothing to retry", file=err)
    return 1


def _list(items: list[dict[str, Any]], out: TextIO | None = None) -> int:
    out = out or sys.stdout
    if not items:
        print("no notifications", file=out)
        return 0
    print(f"{'id':>6}  {'status':<7} {'tries':>5}  {'at':<19}  to / subject", file=out)
    for item in items:
        at = (item["at"] or "")[:19].replace("T", " ")
        print(
            f"{item['id']:>6}  {item['status']:<7} {item['attempts']:>5}  {at:<19}  {item['to']}",
            file=out,
        )
        print(f"{'':>43}{item['subject']}", file=out)
        if item["last_error"]:
            print(f"{'':>43}last error: {item['last_error']}", file=out)
    return 0
