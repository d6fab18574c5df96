"""Who may post the obligations' events: system events a trust system's key may post under
its own name; the engine checks a person's role when the actor is a person."""

from __future__ import annotations

import pytest

from workflow.access import Kind, kind_of


@pytest.mark.parametrize(
    "event_type",
    [
        "qualification.recorded",
        "appraisal.cpd_agreed",
        "cpd.session.recorded",
        "cpd.session.attendance_corrected",
    ],
)
def test_the_obligations_events_are_system_events(event_type: str) -> None:
    assert kind_of(event_type) is Kind.SYSTEM


def test_sessions_beside_requests_do_not_make_requests_system_events() -> None:
    assert kind_of("cpd.request.submitted") is Kind.DECISION
    assert kind_of("approval.delegated") is Kind.DECISION
