"""The wire contract of repayment: terms agreed at approval, and the head teacher's
decisions on a claim."""

from __future__ import annotations

from typing import Any

import pytest

from schemas import InvalidEvent, parse_inbound
from tests.workflow.builders import HEAD, SOURCE


def envelope(event_type: str, data: dict[str, Any], subject: str = "req-1") -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": "evt-1",
        "source": SOURCE,
        "type": event_type,
        "subject": subject,
        "actor": HEAD,
        "data": data,
    }


@pytest.mark.parametrize("approval", ["head_approved", "executive_approved"])
@pytest.mark.parametrize(
    "terms", [{"months": 6}, {"months": 1}, {"waived": True, "reason": "Funded by the hub"}]
)
def test_an_approval_may_agree_repayment_terms(approval: str, terms: dict[str, Any]) -> None:
    event = parse_inbound(envelope(f"cpd.request.{approval}", {"repayment_terms": terms}))

    assert event.data["repayment_terms"] == terms


@pytest.mark.parametrize(
    "terms",
    [
        {"months": 0},
        {"months": 121},
        {"months": "6"},
        {"months": 6.5},
        {"months": True},
        {"waived": False, "reason": "No"},
        {"waived": True},
        {"waived": True, "reason": ""},
        {"months": 6, "waived": True, "reason": "Both"},
        {"weeks": 3},
        {},
        "6 months",
    ],
)
def test_terms_that_say_neither_a_scale_nor_a_waiver_are_refused(terms: Any) -> None:
    with pytest.raises(InvalidEvent) as refused:
        parse_inbound(envelope("cpd.request.head_approved", {"repayment_terms": terms}))

    assert refused.value.message == "invalid data for 'cpd.request.head_approved'"
    assert all(p["loc"][:2] == ["data", "repayment_terms"] for p in refused.value.problems)


def test_a_claim_is_confirmed_with_an_optional_comment_and_waived_with_a_reason() -> None:
    confirmed = parse_inbound(envelope("repayment.confirmed", {}, subject="claim-1"))
    waived = parse_inbound(envelope("repayment.waived", {"reason": "Kind"}, subject="claim-1"))

    assert (confirmed.subject, confirmed.data) == ("claim-1", {"comment": None})
    assert waived.data == {"reason": "Kind"}


@pytest.mark.parametrize("data", [{}, {"reason": ""}, {"reason": None}])
def test_a_waiver_without_a_reason_is_refused(data: dict[str, Any]) -> None:
    with pytest.raises(InvalidEvent) as refused:
        parse_inbound(envelope("repayment.waived", data, subject="claim-1"))

    assert [p["loc"] for p in refused.value.problems] == [["data", "reason"]]


def test_an_approval_that_agrees_no_terms_is_kept_as_before() -> None:
    event = parse_inbound(envelope("cpd.request.head_approved", {"comment": "Fits SIP 2"}))

    assert event.data == {"comment": "Fits SIP 2"}
