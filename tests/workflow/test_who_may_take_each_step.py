"""Who may take each step, against the real store and a staff directory loaded from HR events:
every step x every role x the request's own school / another trust's school / their own
request, checked against the table written from issue 7's text (not from the code)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from schemas import REQUEST_DATA, CloudEvent
from tests.workflow.builders import START, SUBMITTED, event, open_store, step, submitted
from tests.workflow.directory_builders import applied, school, staff
from workflow.clock import FakeClock
from workflow.policy.vocabulary import Role
from workflow.store import Store

OWN, FAR = "school-north", "school-far"  # two trusts: nobody's role reaches across
PARTICIPANT, LINE_MANAGER = "t-ada", "lm-lin"
ROLES = sorted(r.value for r in Role)

# Issue 7, "Who may take each step": the roles (held for the request's school) that may.
BY_ROLE: dict[str, set[str]] = {
    "submitted": set(),
    "head_approved": {"head_teacher"},
    "head_rejected": {"head_teacher"},
    "executive_approved": {"executive_lead"},
    "executive_rejected": {"executive_lead"},
    "booked": {"booking_office"},
    "booking_cancelled": {"booking_office"},
    "completed": {"head_teacher", "cpd_lead", "booking_office"},
    "not_attended": {"head_teacher", "cpd_lead", "booking_office"},
    "evaluated": set(),
    "disseminated": {"head_teacher", "cpd_lead"},
    "withdrawn": {"head_teacher", "cpd_lead"},
    "dissemination_waived": {"head_teacher", "cpd_lead"},
    "impact_reviewed": {"head_teacher", "cpd_lead"},
}
BY_PARTICIPANT = {
    "submitted",
    "completed",
    "not_attended",
    "evaluated",
    "disseminated",
    "withdrawn",
}
BY_LINE_MANAGER = {"completed", "not_attended", "impact_reviewed"}
APPROVALS = {"head_approved", "head_rejected", "executive_approved", "executive_rejected"}

# The steps that bring a request to where each step applies.
TO_BOOKED = ["head_approved", "executive_approved", "booked"]
BEFORE: dict[str, list[str]] = {
    "head_approved": [],
    "head_rejected": [],
    "executive_approved": ["head_approved"],
    "executive_rejected": ["head_approved"],
    "booked": TO_BOOKED[:2],
    "booking_cancelled": TO_BOOKED,
    "completed": TO_BOOKED,
    "not_attended": TO_BOOKED,
    "evaluated": [*TO_BOOKED, "completed"],
    "disseminated": [*TO_BOOKED, "completed", "evaluated"],
    "withdrawn": [],
    "dissemination_waived": [],
    "impact_reviewed": [*TO_BOOKED, "completed", "evaluated"],
}
# Who takes the steps on the way: the first of these whose step is applied.
WALKERS = {
    "head_approved": ["head_teacher-own", "chair_of_governors-own", "trustee-own"],
    "executive_approved": ["executive_lead-own", "trustee-own"],
    "booked": ["booking_office-own"],
}


def directory() -> list[CloudEvent]:
    people = [
        staff(PARTICIPANT, OWN, "teacher", line_manager_id=LINE_MANAGER),
        staff(LINE_MANAGER, OWN, "leadership"),
    ]
    for role in ROLES:
        people.append(staff(f"{role}-own", OWN, role, line_manager_id=LINE_MANAGER))
        people.append(staff(f"{role}-far", FAR, role))
    return [school(OWN, "trust-one"), school(FAR, "trust-two"), *people]


@pytest.fixture
async def store(db_path: Path) -> AsyncIterator[Store]:
    async with open_store(db_path, FakeClock(START), seeded=False) as opened:
        await applied(opened, *directory())
        yield opened


async def _walk(store: Store, request_id: str, participant: str, steps: list[str]) -> None:
    outcome = await store.apply(submitted(request_id, staff_id=participant))
    assert outcome.status.status == "applied", outcome.status.reason
    for name in steps:
        takers = WALKERS.get(name, [participant])
        for taker in takers:
            outcome = await store.apply(event(f"cpd.request.{name}", request_id, actor=taker))
            if outcome.status.status == "applied":
                break
        assert outcome.status.status == "applied", (request_id, name, outcome.status.reason)


async def _attempt(store: Store, name: str, request_id: str, actor: str, participant: str) -> str:
    """`applied`, or the refusal's code."""
    if name == "submitted":
        attempt = submitted(request_id, staff_id=participant, actor=actor)
    else:
        await _walk(store, request_id, participant, BEFORE[name])
        attempt = event(f"cpd.request.{name}", request_id, actor=actor)
    outcome = await store.apply(attempt)
    return outcome.status.status if outcome.status.code is None else outcome.status.code


def _expected(name: str, role: str, where: str) -> str:
    if where == "own request":
        if name in APPROVALS:  # nobody approves (or rejects) their own request
            return "guard_failed" if name.endswith("_approved") else "not_authorised"
        allowed = name in BY_PARTICIPANT or role in BY_ROLE[name]
    else:
        allowed = where == "own school" and role in BY_ROLE[name]
    return "applied" if allowed else "not_authorised"


@pytest.mark.parametrize("name", sorted(BY_ROLE))
async def test_each_role_may_take_a_step_only_where_the_issue_says(store: Store, name: str) -> None:
    wrong = []
    for role in ROLES:
        for where in ("own school", "other trust", "own request"):
            actor = {"own school": f"{role}-own", "other trust": f"{role}-far"}.get(
                where, f"{role}-own"
            )
            participant = actor if where == "own request" else PARTICIPANT
            request_id = f"{name}-{role}-{where.replace(' ', '-')}"
            got = await _attempt(store, name, request_id, actor, participant)
            if got != _expected(name, role, where):
                wrong.append((role, where, _expected(name, role, where), got))
    assert wrong == []


@pytest.mark.parametrize("name", sorted(BY_ROLE))
async def test_the_participants_line_manager_may_take_only_their_steps(
    store: Store, name: str
) -> None:
    got = await _attempt(store, name, f"{name}-lm", LINE_MANAGER, PARTICIPANT)
    assert got == ("applied" if name in BY_LINE_MANAGER else "not_authorised")


async def test_school_directed_cpd_may_be_submitted_by_the_line_manager_head_or_cpd_lead(
    store: Store,
) -> None:
    for n, actor in enumerate([LINE_MANAGER, "head_teacher-own", "cpd_lead-own"]):
        directed = submitted(f"directed-{n}", staff_id=PARTICIPANT, actor=actor, directed=True)
        assert (await store.apply(directed)).status.status == "applied"
    by_a_colleague = submitted(
        "directed-x", staff_id=PARTICIPANT, actor="teacher-own", directed=True
    )
    refused = (await store.apply(by_a_colleague)).status
    assert (refused.status, refused.code) == ("rejected", "not_authorised")
    assert "the line manager" in str(refused.reason) and "who_may.submit_directed" in str(
        refused.reason
    )
    assert await store.get_request("directed-x") is None


def test_the_table_covers_every_step_the_service_takes_in() -> None:
    request_steps = {step(t) for t in REQUEST_DATA}
    assert request_steps == set(BY_ROLE) and step(SUBMITTED) in request_steps
