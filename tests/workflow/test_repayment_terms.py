"""What a request recorded about its own repayment: terms agreed at approval, and the
school's share of its cost."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from workflow.repayment.terms import Terms, school_share, terms_of

POLICY_PASSED = {"passed_by": "policy", "rule": "approval.executive", "reason": "..."}


@pytest.mark.parametrize(
    ("details", "terms"),
    [
        ({}, Terms(12)),
        ({"head_approved": {"comment": None, "repayment_terms": None}}, Terms(12)),
        ({"head_approved": {"repayment_terms": {"months": 6}}}, Terms(6, "head_approved")),
        (
            {
                "head_approved": {"repayment_terms": {"months": 6}},
                "executive_approved": {"repayment_terms": {"months": 24}},
            },
            Terms(24, "executive_approved"),
        ),
        (
            {
                "head_approved": {"repayment_terms": {"months": 6}},
                "executive_approved": POLICY_PASSED,
            },
            Terms(6, "head_approved"),
        ),
        (
            {"head_approved": {"repayment_terms": {"waived": True, "reason": "Trust-funded"}}},
            Terms(12, "head_approved", "Trust-funded"),
        ),
        (
            {
                "head_approved": {"repayment_terms": {"waived": True, "reason": "Retention"}},
                "executive_approved": {"repayment_terms": {"months": 3}},
            },
            Terms(3, "executive_approved"),
        ),
    ],
)
def test_terms_agreed_at_the_latest_approval_override_the_policy_s_scale(
    details: dict[str, Any], terms: Terms
) -> None:
    assert terms_of(details, 12) == terms


def test_agreed_terms_are_kept_with_the_step_that_agreed_them() -> None:
    assert Terms(12).to_record() is None
    assert Terms(6, "head_approved").to_record() == {"months": 6, "agreed_at": "head_approved"}
    assert Terms(12, "head_approved", "Retention").to_record() == {
        "waived": True,
        "reason": "Retention",
        "agreed_at": "head_approved",
    }


@pytest.mark.parametrize(
    ("details", "share"),
    [
        ({"submitted": {"cost_gbp": "240.00"}}, "240.00"),
        ({"submitted": {"funding": {"school": "0.5", "grant": "0.5"}}}, "120.00"),
        ({"funding": {"school": "0.25", "trust": "0.75"}}, "60.00"),
        ({"submitted": {"funding": {"grant": "1"}}}, "0.00"),
        ({"submitted": {"funding": {"self": "1"}}}, "0.00"),
    ],
)
def test_the_school_s_share_is_its_funding_share_of_the_cost_or_all_of_it(
    details: dict[str, Any], share: str
) -> None:
    assert school_share(Decimal("240.00"), details).quantize(Decimal("0.01")) == Decimal(share)
