"""`cpd notifications`: list queued, sent and failed mail; `retry ID` sends a failed one again.

Works on the data directory's SQLite file directly (`--data-dir` / `CPD_DATA_DIR`), also
while the service runs: a re-queued mail goes with the sender's next look, within a minute.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from handlers.mail import records
from handlers.settings import Settings, SettingsError
from workflow.store.schema import SchemaTooNew, refuse_newer, schema_of

_DATA_DIR_HELP = "data directory (CPD_DATA_DIR, default ./cpd-data)"


def add_notifications_parser(commands: Any) -> None:
    parser = commands.add_parser("notifications", help="mail: list it, or retry a failed one")
    parser.add_argument("--status", choices=records.STATUSES, help="only mail in this state")
    parser.add_argument("--limit", type=int, default=100, help="newest first (default 100)")
    parser.add_argument("--data-dir", type=Path, help=_DATA_DIR_HELP)
    actions = parser.add_subparsers(dest="notifications_command")
    retry = actions.add_parser("retry", help="queue a failed mail again (its whole digest)")
    retry.add_argument("id", type=int, help="the mail's id, as listed")
    # SUPPRESS: an absent flag here must not undo one given before `retry`.
    retry.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS, help=_DATA_DIR_HELP)


def run(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """0 done; 1 nothing to retry under that id; 2 no database, or settings in error."""
    out, err = out or sys.stdout, err or sys.stderr
    try:
        data_dir = args.data_dir or Settings.from_env().data_dir
    except SettingsError as error:
        print(f"cpd: configuration error: {error}", file=err)
        return 2
    path = Settings(data_dir=data_dir).database_path
    if not path.is_file():
        print(f"cpd: no database at {path} (give --data-dir or CPD_DATA_DIR)", file=err)
        return 2
    with closing(sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=30)) as db:
        try:
            refuse_newer(schema_of(db))
            if args.notifications_command == "retry":
                return _retry(db, args.id, out, err)
            _list(records.listed(db, args.status, args.limit), out)
            return 0
        except sqlite3.OperationalError as error:
            print(f"cpd: {path}: {error} (start `cpd serve` once to bring it up to date)", file=err)
            return 2
        except SchemaTooNew as error:
            print(f"cpd: {path}: {error}", file=err)
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


def _list(items: list[dict[str, Any]], out: TextIO) -> None:
    if not items:
        print("no notifications", file=out)
        return
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
