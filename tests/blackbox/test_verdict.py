"""The crash tests' judge: it must see loss, repeats, gaps and reordering, and name them."""

from __future__ import annotations

from typing import Any

from tests.blackbox.ledger import Ledger
from tests.blackbox.verdict import Observed, discrepancies
from tests.lifecycle import lifecycle

REQUEST = "REQ-1"


def _acknowledged(count: int) -> tuple[Ledger, list[dict[str, Any]]]:
    ledger, steps = Ledger(), lifecycle(REQUEST)[:count]
    ledger.begin(REQUEST, "http")
    for step in steps:
        ledger.acknowledge(REQUEST, step, "HTTP 202")
    return ledger, steps


def _observed(steps: list[dict[str, Any]], seqs: list[int] | None = None) -> Observed:
    entries = [
        {
            "seq": seq,
            "event_source": step["source"],
            "event_id": step["id"],
            "event_type": step["type"],
            "to_state": _state(step),
        }
        for seq, step in zip(seqs or range(1, len(steps) + 1), steps, strict=True)
    ]
    state = _state(steps[-1]) if steps else None
    request = {"state": state, "version": len(steps)} if steps else None
    return Observed(histories={REQUEST: entries}, requests={REQUEST: request})


def _state(step: dict[str, Any]) -> str:
    name = step["type"].removeprefix("cpd.request.")
    return "requested" if name == "submitted" else name


def test_a_history_that_matches_the_acknowledgements_passes() -> None:
    ledger, steps = _acknowledged(4)
    assert discrepancies(ledger, _observed(steps)) == []


def test_an_event_applied_twice_is_reported_with_both_histories() -> None:
    ledger, steps = _acknowledged(3)
    [problem] = discrepancies(ledger, _observed([*steps, steps[2]]))
    assert "history expected [submitted#" in problem
    assert problem.count("executive_approved#") == 3  # once expected, twice actual
    assert "version expected 3 actual 4" in problem


def test_a_gap_in_the_history_numbers_is_reported() -> None:
    ledger, steps = _acknowledged(2)
    [problem] = discrepancies(ledger, _observed(steps, seqs=[1, 3]))
    assert "history seq [1, 3] is not 1..2" in problem


def test_a_lost_event_is_reported_with_what_the_service_says_of_it() -> None:
    ledger, steps = _acknowledged(3)
    observed = _observed(steps[:2])
    observed.off_history[(steps[2]["source"], steps[2]["id"])] = "unknown to the service (404)"
    [problem] = discrepancies(ledger, observed)
    assert f"executive_approved#{steps[2]['id'][:8]} (HTTP 202) is unknown" in problem
    assert "state expected executive_approved actual head_approved" in problem


def test_a_request_nobody_acknowledged_must_not_exist() -> None:
    ledger, _ = _acknowledged(0)
    assert discrepancies(ledger, _observed([])) == []
