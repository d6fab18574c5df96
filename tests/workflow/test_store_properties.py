"""Random event sequences through the real store agree with a reference state machine.

The reference is written here from the README's workflow table, independently of
workflow/machine.py, so a mistake in the transition table cannot hide in both.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from schemas import CloudEvent
from tests.workflow.builders import START, event, open_store, submitted
from workflow.clock import FakeClock

REFERENCE: dict[str | None, dict[str, str]] = {
    None: {"submitted": "requested"},
    "requested": {"head_approved": "head_approved", "head_rejected": "rejected"},
    "head_approved": {"executive_approved": "executive_approved", "executive_rejected": "rejected"},
    "executive_approved": {"booked": "booked"},
    "booked": {
        "completed": "completed",
        "booking_cancelled": "executive_approved",
        "not_attended": "not_attended",
    },
    "completed": {"evaluated": "evaluated"},
    "evaluated": {"disseminated": "disseminated", "impact_reviewed": "evaluated"},
    "disseminated": {"impact_reviewed": "disseminated"},
}
# The builders' course has started by the clock's start, so a booked request can no
# longer be withdrawn (it is `not_attended` instead).
WITHDRAWABLE = {"requested", "head_approved", "executive_approved"}
WAIVABLE = {*WITHDRAWABLE, "booked", "completed", "evaluated"}
STEPS = [
    "submitted",
    "head_approved",
    "head_rejected",
    "executive_approved",
    "executive_rejected",
    "booked",
    "booking_cancelled",
    "completed",
    "evaluated",
    "disseminated",
    "withdrawn",
    "not_attended",
    "impact_reviewed",
    "dissemination_waived",
]


def expected_next(state: str | None, step: str, waived: bool) -> str | None:
    """The state `step` leads to from `state`, or None when it must be refused."""
    if step == "withdrawn" and state in WITHDRAWABLE:
        return "withdrawn"
    if step == "dissemination_waived":
        return state if state in WAIVABLE and not waived else None
    return REFERENCE.get(state, {}).get(step)


async def _apply(steps: list[str], path: Path) -> tuple[list[str], list[tuple[int, str, str]]]:
    statuses: list[str] = []
    async with open_store(path, FakeClock(START)) as store:
        for n, step in enumerate(steps):
            outcome = await store.apply(_event(step, f"p-{n}"))
            statuses.append(outcome.status.status)
        history = [(h.seq, h.to_state, h.outcome) for h in await store.history("req-p")]
    return statuses, history


def _event(step: str, event_id: str) -> CloudEvent:
    if step == "submitted":
        return submitted("req-p", event_id=event_id)
    return event(f"cpd.request.{step}", "req-p", event_id=event_id)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(STEPS), min_size=1, max_size=14))
def test_any_sequence_of_events_ends_where_the_reference_machine_says(steps: list[str]) -> None:
    state: str | None = None
    waived = False
    want_statuses: list[str] = []
    want_history: list[tuple[int, str, str]] = []
    for step in steps:
        following = expected_next(state, step, waived)
        want_statuses.append("applied" if following else "rejected")
        if following:
            state, waived = following, waived or step == "dissemination_waived"
            want_history.append((len(want_history) + 1, following, "applied"))
        elif state is not None:  # an attempt on a request is kept in its history too
            want_history.append((len(want_history) + 1, state, "refused"))
    with tempfile.TemporaryDirectory() as directory:
        statuses, history = asyncio.run(_apply(steps, Path(directory) / "p.sqlite3"))
    assert statuses == want_statuses, steps
    assert history == want_history, steps
