"""Pages of requests, newest first, by keyset: every request once, whatever is submitted
meanwhile, each filter read from an index in order (never sorted afterwards)."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from typing import Any

import pytest

from tests.workflow.builders import HEAD, event, submitted
from tests.workflow.directory_builders import applied, staff
from workflow.clock import FakeClock
from workflow.store import Store
from workflow.store.request_pages import (
    Filters,
    InvalidCursor,
    Page,
    Within,
    encode_cursor,
    request_page,
)

EVERY_REQUEST, UNLIMITED = Filters(), Within()


async def submit(store: Store, clock: FakeClock, *request_ids: str, **data: Any) -> None:
    for request_id in request_ids:
        clock.advance(timedelta(minutes=1))
        await applied(store, submitted(request_id, **data))


async def page(
    store: Store,
    filters: Filters = EVERY_REQUEST,
    within: Within = UNLIMITED,
    limit: int = 3,
    cursor: str | None = None,
) -> Page:
    return await store.on_reader(request_page, filters, within, limit, cursor)


async def every_page(store: Store, **ask: Any) -> list[list[str]]:
    pages, cursor = [], None
    while True:
        found = await page(store, cursor=cursor, **ask)
        pages.append([item["request_id"] for item in found.items])
        if found.next_cursor is None:
            return pages
        cursor = found.next_cursor


async def test_pages_list_every_request_once_newest_first(store: Store, clock: FakeClock) -> None:
    await submit(store, clock, *(f"req-{n}" for n in range(1, 8)))

    assert await every_page(store) == [
        ["req-7", "req-6", "req-5"],
        ["req-4", "req-3", "req-2"],
        ["req-1"],
    ]


async def test_a_request_submitted_meanwhile_does_not_shift_the_pages_after(
    store: Store, clock: FakeClock
) -> None:
    await submit(store, clock, "req-1", "req-2", "req-3", "req-4")
    first = await page(store, limit=2)

    await submit(store, clock, "req-5")
    second = await page(store, limit=2, cursor=first.next_cursor)

    assert [i["request_id"] for i in second.items] == ["req-2", "req-1"]
    assert second.next_cursor is None


async def test_requests_are_filtered_by_school_state_and_person(
    store: Store, clock: FakeClock
) -> None:
    await applied(store, staff("staff-bo", "school-south"))
    await submit(store, clock, "req-north-1", "req-north-2")
    await submit(store, clock, "req-south", staff_id="staff-bo", school_id="school-south")
    await applied(store, event("cpd.request.head_approved", "req-north-1"))

    south = await every_page(store, filters=Filters(school_id="school-south"))
    approved = await every_page(store, filters=Filters(state="head_approved"))
    north_waiting = await every_page(
        store, filters=Filters(school_id="school-north", state="requested")
    )
    bo = await every_page(store, filters=Filters(staff_id="staff-bo"))

    assert (south, approved, north_waiting, bo) == (
        [["req-south"]],
        [["req-north-1"]],
        [["req-north-2"]],
        [["req-south"]],
    )


async def test_a_person_sees_only_their_schools_and_their_people(
    store: Store, clock: FakeClock
) -> None:
    await applied(store, staff("staff-bo", "school-south"), staff("staff-cy", "school-south"))
    await submit(store, clock, "req-north")
    await submit(store, clock, "req-bo", staff_id="staff-bo", school_id="school-south")
    await submit(store, clock, "req-cy", staff_id="staff-cy", school_id="school-south")

    north_head = Within(schools={"school-north"}, people={HEAD})
    bo_alone = Within(schools=set(), people={"staff-bo"})

    assert await every_page(store, within=north_head) == [["req-north"]]
    assert await every_page(store, within=bo_alone) == [["req-bo"]]


async def test_a_cursor_this_service_did_not_give_is_refused(store: Store) -> None:
    for cursor in ("not base64 at all!", encode_cursor("x", "y")[:-3], "e30"):
        with pytest.raises(InvalidCursor):
            await page(store, cursor=cursor)


def plan(db: sqlite3.Connection, filters: Filters, within: Within) -> str:
    """The query plan of a page after a cursor, as SQLite would run it."""
    original = db.execute

    captured: list[tuple[str, list[Any]]] = []

    class Spy:
        def execute(self, sql: str, args: list[Any]) -> Any:
            captured.append((sql, args))
            return original(sql, args)

    request_page(Spy(), filters, within, 10, encode_cursor("2026-10-07T09:00:00+00:00", "r"))  # type: ignore[arg-type]
    sql, args = captured[0]
    return " | ".join(row[3] for row in original(f"EXPLAIN QUERY PLAN {sql}", args))


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(school_id="school-north"),
        Filters(state="requested"),
        Filters(school_id="school-north", state="requested"),
        Filters(staff_id="staff-ada"),
    ],
)
async def test_each_filter_reads_an_index_in_page_order(store: Store, filters: Filters) -> None:
    found = await store.on_reader(plan, filters, Within())

    assert "USING" in found and "INDEX" in found, found
    assert "TEMP B-TREE" not in found, found
