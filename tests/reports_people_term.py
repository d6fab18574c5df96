"""The scripted term (tests/reports_term.py) with the people the equality report needs: more
governors and part-time support staff at Walmley, one of whom becomes a full-time teacher
in November; part-time support staff at Northfield; a head teacher's own request, a part-time
TA's and a governor's; a governors' induction session.

With these, Walmley's autumn groups are: all staff 20, teaching 8 (TA-W2 among them),
support 5 (TA-W2 among them too), leadership 2 (HEAD-W, EXEC-1), governors 5, full-time
13, part-time 8, ECTs 1. Northfield: all staff 7, every group under 5. Elmhurst: 4 in all.
The expected figures are written out in each test, counted by hand from this and
tests/reports_term_events.py.
"""

from __future__ import annotations

from pathlib import Path

from schemas import outbound_event, parse_inbound
from tests.reports_term import DATABASE, REPORT_TIME, SCRIPT_START, write_term_dates
from tests.reports_term_events import SCRIPT
from tests.reports_term_script import (
    Step,
    approved,
    at,
    booked,
    moves,
    person,
    rated,
    request,
    system,
    took_place,
)
from workflow.clock import FakeClock
from workflow.directory import policy_id_of_school
from workflow.store import Store

W, N = "S-WALMLEY", "S-NORTHFIELD"
PART_TIME = {"contract": "part_time"}

PEOPLE: list[Step] = [
    person("GOV-W2", W, ["chair_of_governors"], **PART_TIME),
    *(person(f"GOV-W{i}", W, ["governor"], **PART_TIME) for i in range(3, 6)),
    *(person(f"TA-W{i}", W, ["support"], "HEAD-W", **PART_TIME) for i in range(2, 6)),
    *(person(f"TA-N{i}", N, ["support"], "HEAD-N", **PART_TIME) for i in range(1, 4)),
]
# TA-W2 becomes a full-time teacher on 1 November: in support, teaching, part-time and
# full-time during the autumn term.
PROMOTED = person("TA-W2", W, ["teacher"], "HEAD-W")
PEOPLE.append((at("2026-11-01", 8), PROMOTED[1]))

REQUESTS: list[Step] = [
    # The head teacher's own: approved by the chair of governors, then the executive lead.
    *request(
        "L-01",
        "HEAD-W",
        W,
        at("2026-09-30"),
        title="Headship conference",
        activity_type="conference",
        provider="Leaders Network",
        start_date="2026-10-20",
        cost_gbp="737.00",
        hours="7.25",
    ),
    *moves(
        "L-01",
        *approved("2026-10-01", "2026-10-02", "GOV-W2"),
        booked("2026-10-05", "737.00"),
        took_place("HEAD-W", "2026-10-20"),
        rated("2026-10-22", "HEAD-W", 5, True),
    ),
    # A part-time TA's, naming the provider in its own spelling.
    *request(
        "P-01",
        "TA-W3",
        W,
        at("2026-10-19"),
        title="Phonics for TAs",
        activity_type="course",
        provider="reading  hub",
        start_date="2026-11-09",
        cost_gbp="60.00",
        hours="3",
    ),
    *moves(
        "P-01",
        *approved("2026-10-20", "2026-10-21", "HEAD-W"),
        booked("2026-10-22", "60.00"),
        took_place("TA-W3", "2026-11-09"),
        rated("2026-11-10", "TA-W3", 4, True),
    ),
    # A governor's: approved by the chair, then the executive lead; not evaluated.
    *request(
        "P-02",
        "GOV-W3",
        W,
        at("2026-09-24"),
        title="Governor safeguarding",
        activity_type="online",
        provider="NGA Learning",
        start_date="2026-10-10",
        cost_gbp="25.00",
        hours="2",
    ),
    *moves(
        "P-02",
        *approved("2026-09-25", "2026-09-28", "GOV-W2"),
        booked("2026-09-29", "25.00"),
        took_place("GOV-W3", "2026-10-10"),
    ),
]

INDUCTION = system(
    at("2026-10-14", 16),
    "cpd.session.recorded",
    "SES-W4",
    "CPDLEAD-W",
    session_id="SES-W4",
    school_id=W,
    title="Governor induction",
    date="2026-10-14",
    hours="2",
    kind="training",
    attendees=["GOV-W2", "GOV-W3", "GOV-W4", "GOV-W5", "HEAD-W"],
    led_by="HEAD-W",
)

PEOPLE_SCRIPT: list[Step] = [*SCRIPT, *PEOPLE, *REQUESTS, INDUCTION]


async def build_people_term_database(data_dir: Path) -> Path:
    """`data_dir` with the extended term's SQLite file and the term-dates file."""
    clock = FakeClock(SCRIPT_START)
    store = await Store.open(
        data_dir / DATABASE, clock, outbound_event, policy_id_for_school=policy_id_of_school
    )
    try:
        for moment, body in sorted(PEOPLE_SCRIPT, key=lambda step: step[0]):
            clock.set(moment)
            outcome = await store.apply(parse_inbound({**body, "time": moment.isoformat()}))
            assert outcome.status.status == "applied", (body["id"], outcome.status.reason)
    finally:
        await store.close()
    write_term_dates(data_dir / "term-dates.json")
    return data_dir


__all__ = ["REPORT_TIME", "build_people_term_database"]
