"""The approval queues, read from the store: the requests waiting at a step, highest score
first, then the longest waiting in school days; each score from the school's SIP, the
directory and the weights of the policy set the request is governed by."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from scheduler.calendar import Holiday, SchoolCalendar
from tests.workflow.builders import HEAD, STAFF, event, submitted
from tests.workflow.directory_builders import applied, staff
from tests.workflow.priority_builders import sip_updated
from workflow.clock import FakeClock
from workflow.priority.queue import Queue, Step, waiting_queue
from workflow.store import Store

HALF_TERM = Holiday("Autumn half term 2026", date(2026, 10, 26), date(2026, 10, 30))
CALENDAR = SchoolCalendar([HALF_TERM])
FRIDAY_2_OCT = datetime(2026, 10, 2, 9, 0, tzinfo=UTC)
MONDAY_5_OCT = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)
TUESDAY_3_NOV = datetime(2026, 11, 3, 12, 0, tzinfo=UTC)
CHEAP = {"cost_gbp": "50.00", "priorities": []}


async def queue(
    store: Store, step: Step = Step.HEAD, schools: set[str] | None = None, **ask: Any
) -> Queue:
    """The queue of `schools` (default school-north; `every_school=True`: all of them)."""

    def read(db: Any) -> Queue:
        return waiting_queue(
            db,
            step,
            None if ask.get("every_school") else {"school-north"} if schools is None else schools,
            governance=store.governance,
            school_days=lambda _school, since, until: CALENDAR.school_days_between(since, until),
            now=ask.get("now", TUESDAY_3_NOV),
            limit=ask.get("limit", 100),
        )

    return await store.on_reader(read)


def ranked(found: Queue) -> list[tuple[str, int]]:
    return [(item.request_id, item.score.total) for item in found.items]


async def test_the_head_queue_ranks_by_score_with_every_reason(
    store: Store, clock: FakeClock
) -> None:
    await applied(store, sip_updated("school-north"), staff("ect-eve", "school-north", is_ect=True))
    await applied(
        store,
        submitted("req-plain", **CHEAP),
        submitted("req-sip", **{**CHEAP, "priorities": ["SIP-1", "SIP-9"]}),
        submitted("req-ect", staff_id="ect-eve", **CHEAP),
        submitted("req-costly", **{**CHEAP, "cost_gbp": "450.00", "priorities": ["SIP-2"]}),
        submitted("req-directed", actor=HEAD, directed=True, **CHEAP),
        submitted("req-safeguarding", statutory_kind="safeguarding", **CHEAP),
        submitted("req-appraisal", agreed_in_appraisal=True, **CHEAP),
    )

    found = await queue(store)

    assert ranked(found) == [
        ("req-safeguarding", 3),
        ("req-sip", 3),
        ("req-appraisal", 2),
        ("req-ect", 2),
        ("req-directed", 1),
        ("req-plain", 0),
        ("req-costly", -1),
    ]
    by_id = {item.request_id: item for item in found.items}
    assert [(r.text, r.weight) for r in by_id["req-sip"].score.reasons] == [
        ("linked to SIP priority SIP-1: Early reading", 3),
        ("unknown SIP priority 'SIP-9' (not in the SIP)", 0),
    ]
    assert [(r.text, r.weight) for r in by_id["req-costly"].score.reasons] == [
        ("linked to SIP priority SIP-2: Maths mastery", 3),
        ("£450.00 per participant", -4),
    ]
    assert by_id["req-plain"].rule == "rule priority of policy set default v1"


async def test_equal_scores_go_longest_waiting_first_in_school_days(
    store: Store, clock: FakeClock
) -> None:
    clock.set(MONDAY_5_OCT)
    await applied(store, submitted("req-newer", **CHEAP))
    clock.set(FRIDAY_2_OCT)  # the clock may be set back: a request submitted earlier
    await applied(store, submitted("req-older", **CHEAP))

    found = await queue(store)

    assert [(i.request_id, i.days_waiting) for i in found.items] == [
        ("req-older", 17),  # 5 + 5 + 5 school days in October, half term, then 2 in November
        ("req-newer", 16),
    ]


async def test_a_step_that_leaves_the_state_as_it_was_does_not_restart_the_wait(
    store: Store, clock: FakeClock
) -> None:
    clock.set(FRIDAY_2_OCT)
    await applied(store, submitted("req-1", **CHEAP))
    clock.set(MONDAY_5_OCT)
    await applied(store, event("cpd.request.dissemination_waived", "req-1"))
    refused = await store.apply(event("cpd.request.head_approved", "req-1", actor=STAFF))
    assert refused.status.status == "rejected"

    (item,) = (await queue(store)).items

    assert item.waiting_since.startswith("2026-10-02T09:00")
    assert item.days_waiting == 17


async def test_the_executive_queue_holds_head_approved_requests_waiting_since_that_approval(
    store: Store, clock: FakeClock
) -> None:
    clock.set(FRIDAY_2_OCT)
    await applied(store, submitted("req-approved", **CHEAP), submitted("req-waiting", **CHEAP))
    clock.set(MONDAY_5_OCT)
    await applied(store, event("cpd.request.head_approved", "req-approved"))

    head, executive = await queue(store), await queue(store, Step.EXECUTIVE)

    assert ranked(head) == [("req-waiting", 0)]
    assert [(i.request_id, i.days_waiting) for i in executive.items] == [("req-approved", 16)]


async def test_a_queue_holds_only_the_schools_asked_for_and_counts_beyond_its_limit(
    store: Store,
) -> None:
    await applied(
        store,
        submitted("req-north-1", **CHEAP),
        submitted("req-north-2", **CHEAP),
        submitted("req-south", school_id="school-south", **CHEAP),
    )

    north = await queue(store, limit=1)
    nowhere = await queue(store, schools=set())

    assert north.total == 2 and len(north.items) == 1
    assert north.items[0].school_id == "school-north"
    assert {i.request_id for i in (await queue(store, schools={"school-south"})).items} == {
        "req-south"
    }
    assert nowhere.total == 0


async def test_every_school_is_read_when_no_schools_are_named(store: Store) -> None:
    await applied(
        store,
        submitted("req-north", **CHEAP),
        submitted("req-south", school_id="school-south", **CHEAP),
    )

    found = await queue(store, every_school=True)

    assert {i.request_id for i in found.items} == {"req-north", "req-south"}


async def test_without_a_budget_the_remaining_budget_is_unknown_and_the_year_named(
    store: Store,
) -> None:
    await applied(store, submitted("req-1", **CHEAP))

    (item,) = (await queue(store)).items

    assert item.financial_year == "2026-27"  # April years, the shipped default
    assert item.budget_remaining_gbp is None
