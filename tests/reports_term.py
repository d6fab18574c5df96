"""A scripted autumn term (2026) of two schools of one trust and a school of another, for
the reports' tests: every event goes through the real store path (`Store.apply`) with a
fake clock that walks the term, so ledgers, history, qualifications and agreed CPD are
what the service itself would have written.

What happens is written out in `tests/reports_term_events.py`; the expected figures are
written out literally in each report's test, counted by hand from that script. Build the
database once (`build_term_database`) and copy it (`copy_term_database`) per test.
Other reports extend it by adding events to the script (keep the times in order).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

from handlers.reports.calendar import report_calendar
from handlers.settings import Settings
from scheduler.calendar import default_calendar_path, load_calendar
from schemas import outbound_event, parse_inbound
from tests.reports_term_events import SCRIPT
from workflow.clock import FakeClock
from workflow.directory import policy_id_of_school
from workflow.policy import PolicyLibrary, default_policy_set
from workflow.reports.context import ReportContext
from workflow.store import Store
from workflow.store.policies import Governance

TERM = "2026-autumn"
TERM_FROM, TERM_TO = date(2026, 9, 1), date(2026, 12, 31)
ACADEMIC_YEAR = "2026-27"
WALMLEY, NORTHFIELD, ELMHURST = "S-WALMLEY", "S-NORTHFIELD", "S-ELMHURST"
OAKS, ELMS = "TR-OAKS", "TR-ELMS"
SCRIPT_START = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
# When the reports are made: the last afternoon of the autumn term.
REPORT_TIME = datetime(2026, 12, 18, 15, 0, tzinfo=UTC)
# INSET days in the term-dates file: two in the autumn term, one in spring.
INSET_DAYS = ("2026-09-01", "2026-11-27", "2027-01-04")
DATABASE = "cpd.sqlite3"


async def play_term(store: Store, clock: FakeClock) -> None:
    """Apply every event of the script at its time; each must be applied."""
    for moment, body in sorted(SCRIPT, key=lambda step: step[0]):
        clock.set(moment)
        body = {**body, "time": moment.isoformat()}
        outcome = await store.apply(parse_inbound(body))
        assert outcome.status.status == "applied", (body["id"], outcome.status.reason)
    clock.set(REPORT_TIME)


async def build_term_database(data_dir: Path) -> Path:
    """`data_dir` with the term's SQLite file (`cpd.sqlite3`) and a term-dates file."""
    clock = FakeClock(SCRIPT_START)
    store = await Store.open(  # it makes data_dir, if need be
        data_dir / DATABASE, clock, outbound_event, policy_id_for_school=policy_id_of_school
    )
    try:
        await play_term(store, clock)
    finally:
        await store.close()
    write_term_dates(data_dir / "term-dates.json")
    return data_dir


def copy_term_database(built: Path, data_dir: Path) -> Path:
    """A fresh copy of a built term (the SQLite file, checkpointed, and the term dates)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    for name in (DATABASE, f"{DATABASE}-wal", "term-dates.json"):
        if (built / name).exists():
            shutil.copyfile(built / name, data_dir / name)
    return data_dir


def write_term_dates(path: Path) -> Path:
    """The shipped England calendar with the term's INSET days."""
    calendar = json.loads(default_calendar_path().read_text(encoding="utf-8"))
    calendar["inset"] = list(INSET_DAYS)
    path.write_text(json.dumps(calendar), encoding="utf-8")
    return path


def term_settings(data_dir: Path, **overrides: object) -> Settings:
    """Settings of a service on a copied term: its data directory and term dates."""
    return Settings(
        data_dir=data_dir, term_dates=data_dir / "term-dates.json", wait_timeout=10, **overrides
    )


def term_context(data_dir: Path, now: datetime = REPORT_TIME) -> ReportContext:
    """What a report of the term is made with: the default policy set, the term's calendar."""
    calendar = report_calendar(load_calendar(data_dir / "term-dates.json"))
    governance = Governance(PolicyLibrary(default=default_policy_set()), policy_id_of_school)
    return ReportContext(governance, calendar, now)


def read_only(data_dir: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{data_dir / DATABASE}?mode=ro", uri=True)
