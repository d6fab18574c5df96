"""Searching the chain: each filter alone and together, pages that follow on in either
order, a window with both ends inclusive, and a person's reach."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.workflow.audit_builders import NEWCOMER, build, entries
from tests.workflow.builders import EXECUTIVE, HEAD, STAFF, START, open_store, submitted
from workflow.audit import InvalidCursor, InvalidSearch, search_of
from workflow.audit.search import encode_cursor
from workflow.clock import FakeClock
from workflow.store.audit_search import Reader, explain, search


@pytest.fixture
async def db(db_path: Path, clock: FakeClock) -> Iterator[sqlite3.Connection]:
    await build(db_path, clock)
    with closing(sqlite3.connect(db_path)) as connection:
        yield connection


def found(db: sqlite3.Connection, reader: Reader | None = None, **asked: Any) -> list[int]:
    options = {k: asked.pop(k) for k in ("since", "to", "order", "limit") if k in asked}
    page = search(db, search_of(asked, **options), reader)
    return [e["seq"] for e in page.entries]


def expected(db: sqlite3.Connection, where: str, *args: Any) -> list[int]:
    return [r[0] for r in db.execute(f"SELECT seq FROM audit WHERE {where} ORDER BY seq", args)]


@pytest.mark.parametrize(
    ("asked", "where"),
    [
        ({"request_id": "req-1"}, "request_id = 'req-1'"),
        ({"school_id": "school-north"}, "school_id = 'school-north'"),
        ({"actor": HEAD}, f"actor = '{HEAD}'"),
        ({"event_type": "cpd.request.booked"}, "event_type = 'cpd.request.booked'"),
        ({"state": "booked"}, "to_state = 'booked'"),
        ({"outcome": "refused"}, "outcome = 'refused'"),
    ],
)
def test_each_filter_alone_finds_exactly_its_entries(
    db: sqlite3.Connection, asked: dict[str, str], where: str
) -> None:
    assert found(db, **asked, limit=1000) == expected(db, where)
    assert expected(db, where)


def test_staff_id_finds_entries_about_a_person_and_those_they_acted_in(
    db: sqlite3.Connection,
) -> None:
    about_newcomer = found(db, staff_id=NEWCOMER)
    by_executive = found(db, staff_id=EXECUTIVE)

    assert about_newcomer == expected(db, f"staff_id = '{NEWCOMER}'")  # record and request
    assert by_executive == expected(db, f"actor = '{EXECUTIVE}'")
    assert len(by_executive) == 2


def test_a_delegation_is_found_by_both_its_people(db: sqlite3.Connection) -> None:
    [delegation] = expected(db, "event_type = 'approval.delegated'")

    assert delegation in found(db, staff_id=HEAD)
    assert delegation in found(db, staff_id=STAFF)


def test_filters_combine(db: sqlite3.Connection) -> None:
    both = found(db, request_id="req-3", event_type="budget.committed")
    three = found(db, school_id="school-north", staff_id=STAFF, state="booked", outcome="applied")
    none = found(db, request_id="req-2", actor=HEAD)

    assert both == expected(db, "request_id = 'req-3' AND event_type = 'budget.committed'")
    assert three == expected(db, f"staff_id = '{STAFF}' AND to_state = 'booked'")
    assert none == []


def test_from_and_to_are_inclusive_for_instants_and_whole_days(db: sqlite3.Connection) -> None:
    third = entries_at(db, 3)
    on_the_day = found(db, since=START.date().isoformat(), to=START.date().isoformat())
    exactly = found(db, since=third, to=third)

    assert exactly == [3]
    assert on_the_day == expected(db, "at < ?", (START + timedelta(days=1)).date().isoformat())
    assert found(db, since=(START + timedelta(days=30)).date().isoformat()) == []


def entries_at(db: sqlite3.Connection, seq: int) -> str:
    at: str = db.execute("SELECT at FROM audit WHERE seq = ?", (seq,)).fetchone()[0]
    return at


@pytest.mark.parametrize("order", ["oldest", "newest"])
def test_pages_follow_on_to_the_end_in_either_order(db: sqlite3.Connection, order: str) -> None:
    seen: list[int] = []
    cursor = None
    while True:
        asked = search_of({"school_id": "school-north"}, order=order, limit=4, cursor=cursor)
        page = search(db, asked)
        seen += [e["seq"] for e in page.entries]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor

    every = expected(db, "school_id = 'school-north'")
    assert seen == (every if order == "oldest" else every[::-1])


def test_an_entry_carries_every_column_with_its_hashes(db: sqlite3.Connection) -> None:
    [entry] = search(db, search_of({}, limit=1)).entries

    assert entry == entries(Path(db.execute("PRAGMA database_list").fetchone()[2]))[0]


@pytest.mark.parametrize(
    "cursor",
    ["nonsense", encode_cursor("newest", 3), "b2xkZXN0OjA", encode_cursor("oldest", 3)[:-1]],
)
def test_a_cursor_not_given_for_this_order_is_refused(cursor: str) -> None:
    with pytest.raises(InvalidCursor):
        search_of({}, order="oldest", cursor=cursor)


@pytest.mark.parametrize(
    "options",
    [{"since": "yesterday"}, {"to": "2026-13-01"}, {"order": "sideways"}, {"limit": 1001}],
)
def test_a_bad_window_order_or_limit_is_refused(options: dict[str, Any]) -> None:
    with pytest.raises(InvalidSearch):
        search_of({}, **options)


def test_a_person_reads_only_entries_within_their_reach(db: sqlite3.Connection) -> None:
    newcomer = Reader(NEWCOMER, schools=(), people={NEWCOMER})
    teacher = Reader(STAFF, schools=(), people={STAFF})

    assert found(db, newcomer) == expected(db, f"staff_id = '{NEWCOMER}'")
    assert found(db, teacher, request_id="req-2") == []
    # The delegation made to the teacher names them, though it is about the head teacher.
    assert expected(db, "event_type = 'approval.delegated'")[0] in found(db, teacher)


def test_every_filter_reads_an_index_in_seq_order(db: sqlite3.Connection) -> None:
    for name in ("school_id", "actor", "event_type", "staff_id"):
        plan = " ".join(explain(db, search_of({name: "x"})))
        assert "USING" in plan and "TEMP B-TREE" not in plan, (name, plan)
    # A request's few entries are found by its index and put in order.
    assert "audit_by_request" in " ".join(explain(db, search_of({"request_id": "x"})))


async def test_a_window_stays_exact_after_the_clock_was_set_back(
    db: sqlite3.Connection, db_path: Path, clock: FakeClock
) -> None:
    before = found(db, since=START.date().isoformat(), limit=1000)
    clock.set(START - timedelta(days=3))
    async with open_store(db_path, clock, seeded=False) as store:
        await store.apply(submitted("req-early"))
    [early] = expected(db, "request_id = 'req-early'")

    window = found(db, since=(START - timedelta(days=3)).date().isoformat(), to="2026-10-05")
    after = found(db, since=START.date().isoformat(), limit=1000)

    assert window == [early]
    assert after == before
