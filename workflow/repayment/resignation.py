"""On a resignation (`staff.left`, reason `resignation`), a claim for each training the
school paid for, in the same transaction as the leaving itself.

Which trainings: the leaver's requests in `booked` (whose start date is on or before
their last working day: the ones the service does not withdraw, so the school pays for
them), `completed`, `evaluated` or `disseminated`. Requests still awaiting approval or
booking cost the school nothing yet, a booking starting after the last day is withdrawn,
and `not_attended` was no training. The resignation date is `resigned_on`, else
`left_on`. A claim is recorded, and `cpd.repayment.due` published, only where the
request's own policy-set version enables repayment, no waiver was agreed at approval,
and something is owed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from schemas.directory import LeavingReason
from workflow.directory.records import StaffMember
from workflow.errors import DomainError
from workflow.model import CpdRequest
from workflow.policy import PolicySet
from workflow.policy.vocabulary import Rule
from workflow.repayment import claims
from workflow.repayment.claims import Claim
from workflow.repayment.rule import amount_owed, to_pennies
from workflow.repayment.terms import school_share, terms_of
from workflow.states import State
from workflow.store._rows import REQUEST_COLUMNS, request_from_row
from workflow.store._writes import announce, outbound_id
from workflow.store.policies import Governance

REPAYMENT_DUE = "cpd.repayment.due"
CLAIMED_STATES = (State.BOOKED, State.COMPLETED, State.EVALUATED, State.DISSEMINATED)


def resignation_date(leaver: StaffMember) -> date | None:
    """The day the rule counts to; None when the person did not resign."""
    if leaver.leaving_reason != LeavingReason.RESIGNATION or leaver.left_on is None:
        return None
    return leaver.resigned_on or leaver.left_on


def claim_repayments(
    db: sqlite3.Connection,
    leaver: StaffMember,
    cause: tuple[str, str],
    now: datetime,
    envelope: Callable[..., dict[str, Any]],
    governance: Governance | None,
) -> list[Claim]:
    """Record and announce the claims a resignation makes; returns the new ones."""
    resigned_on = resignation_date(leaver)
    if resigned_on is None or leaver.left_on is None:
        return []
    governance = governance or Governance()
    made = []
    for request in _trainings_paid_for(db, leaver.staff_id, leaver.left_on):
        policy = _policy_of(governance, request)
        if policy is None or not policy.repayment.enabled:
            continue
        claim = _claim(request, policy, resigned_on, cause, now)
        if claim is not None and claims.insert(db, claim):
            _announce(db, envelope, claim, now)
            made.append(claim)
    return made


def _trainings_paid_for(db: sqlite3.Connection, staff_id: str, left_on: date) -> list[CpdRequest]:
    states = [s.value for s in CLAIMED_STATES]
    rows = db.execute(
        f"SELECT {REQUEST_COLUMNS} FROM requests WHERE staff_id = ?"
        f" AND state IN ({', '.join('?' * len(states))})"
        " AND NOT (state = ? AND start_date > ?) ORDER BY request_id",
        (staff_id, *states, State.BOOKED.value, left_on.isoformat()),
    ).fetchall()
    return [request_from_row(row)[0] for row in rows]


def _policy_of(governance: Governance, request: CpdRequest) -> PolicySet | None:
    # Every version a request was submitted under is kept (table policy_versions); one
    # that is somehow missing cannot be judged, and must not refuse HR's staff.left.
    try:
        return governance.for_request(request)
    except DomainError:
        return None


def _claim(
    request: CpdRequest,
    policy: PolicySet,
    resigned_on: date,
    cause: tuple[str, str],
    now: datetime,
) -> Claim | None:
    terms = terms_of(request.details, policy.repayment.months)
    share = school_share(request.cost_gbp, request.details)
    if terms.waived or share <= 0:
        return None
    owed = amount_owed(share, request.end_date, resigned_on, terms.months)
    if owed.amount_gbp <= 0:
        return None
    scale = (
        f"terms agreed at {terms.agreed_at}: {terms.months} months"
        if terms.agreed_at
        else f"{terms.months} months"
    )
    return Claim(
        claim_id=outbound_id("repayment-claim", request.request_id),
        request_id=request.request_id,
        staff_id=request.staff_id,
        school_id=request.school_id,
        cost_gbp=f"{request.cost_gbp:.2f}",
        school_share_gbp=f"{to_pennies(share):.2f}",
        amount_gbp=f"{owed.amount_gbp:.2f}",
        months_counted=owed.months_counted,
        months=terms.months,
        training_ended_on=request.end_date.isoformat(),
        resigned_on=resigned_on.isoformat(),
        policy_id=policy.id,
        policy_version=policy.version,
        reason=f"{policy.cite(Rule.REPAYMENT)} ({scale}): {owed.explanation}",
        terms=terms.to_record(),
        status=claims.OPEN,
        created_at=now.isoformat(),
        cause_source=cause[0],
        cause_id=cause[1],
    )


def _announce(
    db: sqlite3.Connection, envelope: Callable[..., dict[str, Any]], claim: Claim, now: datetime
) -> None:
    data = {
        "claim_id": claim.claim_id,
        "staff_id": claim.staff_id,
        "request_id": claim.request_id,
        "school_id": claim.school_id,
        "cost_gbp": claim.cost_gbp,
        "school_share_gbp": claim.school_share_gbp,
        "amount_gbp": claim.amount_gbp,
        "months_counted": claim.months_counted,
        "months": claim.months,
        "training_ended_on": claim.training_ended_on,
        "resigned_on": claim.resigned_on,
        "rule": str(Rule.REPAYMENT),
        "policy_id": claim.policy_id,
        "policy_version": claim.policy_version,
        "reason": claim.reason,
        "terms": claim.terms,
    }
    announce(
        db,
        envelope,
        event_id=outbound_id("repayment-due", claim.claim_id),
        event_type=REPAYMENT_DUE,
        subject=claim.claim_id,
        data=data,
        at=now,
    )
