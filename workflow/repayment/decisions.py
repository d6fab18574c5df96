"""The head teacher confirms or waives a repayment claim (`subject` = the claim id).

The policy reserves the school's right to recover the cost rather than creating a debt,
so a claim waits, `open`, for that decision. Who decides: a head teacher of the claim's
school, judged by the directory when the event is applied. A delegation of the approval
steps does not reach it, and the executive lead does not take it (the school holds the
right, and its head runs the school). Nobody decides a claim on themselves: a head
teacher's own claim goes to the role the request's policy set names for a head
teacher's own request (`approval.own_request_head_step`, by default the chair of
governors). Only an open claim is decided; a decision stands.
"""

from __future__ import annotations

from schemas.repayment import REPAYMENT_CONFIRMED as CONFIRMED
from schemas.repayment import REPAYMENT_WAIVED as WAIVED
from workflow.authorisation.rules import NotAuthorised, UnknownActor
from workflow.directory import queries
from workflow.directory import store as directory_rows
from workflow.errors import DomainError, GuardFailed
from workflow.policy.vocabulary import Role
from workflow.repayment import claims
from workflow.repayment.claims import Claim
from workflow.store._events import SERVICE_ACTORS
from workflow.store.families import Family, FamilyEvent
from workflow.store.policies import Governance

RULE = "who_may.decide_repayment"
_VERB = {CONFIRMED: "confirm", WAIVED: "waive"}
_STATUS = {CONFIRMED: claims.CONFIRMED, WAIVED: claims.WAIVED}


class UnknownClaim(DomainError):
    code = "unknown_repayment_claim"


class ClaimAlreadyConfirmed(DomainError):
    code = "repayment_already_confirmed"


class ClaimAlreadyWaived(DomainError):
    code = "repayment_already_waived"


_DECIDED = {claims.CONFIRMED: ClaimAlreadyConfirmed, claims.WAIVED: ClaimAlreadyWaived}


def apply_decision(e: FamilyEvent) -> None:
    verb = _VERB[e.event.type]
    claim = claims.read(e.db, e.event.subject)
    if claim is None:
        raise UnknownClaim(f"no repayment claim '{e.event.subject}' to {verb}")
    check_decider(e, claim, verb)
    if claim.status != claims.OPEN:
        refusal = _DECIDED[claim.status]
        raise refusal(
            f"repayment claim {claim.claim_id} was already {claim.status} by"
            f" {claim.decided_by} on {claim.decided_at}: it cannot be {_STATUS[e.event.type]}"
        )
    note = e.data.get("reason") if e.event.type == WAIVED else e.data.get("comment")
    claims.decide(
        e.db,
        claim.claim_id,
        _STATUS[e.event.type],
        by=e.event.actor,
        note=note,
        event=(e.event.source, e.event.id),
        at=e.now,
    )


def check_decider(e: FamilyEvent, claim: Claim, verb: str) -> None:
    """Raise the refusal unless the actor may decide `claim` now."""
    actor = e.event.actor
    if actor in SERVICE_ACTORS or queries.acting_member(e.db, actor, e.now) is None:
        raise UnknownActor(f"'{actor}' is not in the staff directory, or has left")
    if actor == claim.staff_id:
        raise GuardFailed(f"'{actor}' cannot {verb} a repayment claim on themselves")
    needed = deciding_role(e, claim)
    if needed not in queries.roles_for_school(e.db, actor, claim.school_id, e.now):
        who = needed.value.replace("_", " ")
        raise NotAuthorised(
            f"'{actor}' may not {verb} repayment claim {claim.claim_id}: it needs a {who} of"
            f" school {claim.school_id} (rule {RULE})"
        )


def deciding_role(e: FamilyEvent, claim: Claim) -> Role:
    """A head teacher; for a head teacher's own claim, the role their policy set names."""
    claimant = directory_rows.latest_staff(e.db, claim.staff_id)
    if claimant is None or Role.HEAD_TEACHER not in claimant.roles:
        return Role.HEAD_TEACHER
    return _own_request_head_step(e.governance, claim)


def _own_request_head_step(governance: Governance, claim: Claim) -> Role:
    try:
        policy = governance.library.version(claim.policy_id, claim.policy_version)
    except DomainError:
        policy = governance.library.default
    return policy.head_step_role_for_own_request


FAMILY = Family("repayment", frozenset({CONFIRMED, WAIVED}), apply_decision)
