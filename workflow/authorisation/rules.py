"""Who may take each step of a CPD request.

Pure: the caller says what the directory held when the event is applied (the actor's
standing towards this request, and the request's parties); `authorise` answers with a
permit or a refusal that names the role needed and the rule that refused. Steps the
service takes itself (a policy passing a step, a leaver's withdrawal) never come here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from workflow.errors import DomainError, GuardFailed
from workflow.policy.policy_set import PolicySet
from workflow.policy.vocabulary import Role

PARTICIPANT = "participant"  # the member of staff the request is for
LINE_MANAGER = "line_manager"  # the participant's line manager


class UnknownActor(DomainError):
    code = "unknown_actor"


class NotAuthorised(DomainError):
    code = "not_authorised"


@dataclass(frozen=True)
class Standing:
    """The actor as the directory knew them when the event is applied."""

    staff_id: str
    roles_here: frozenset[Role]  # roles held for the request's school (school or trust-wide)
    is_participant: bool = False
    is_line_manager: bool = False
    # step ("head" or "executive") -> the people whose step this actor may take today
    delegated_by: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @property
    def parties(self) -> frozenset[str]:
        found = {PARTICIPANT} if self.is_participant else set()
        return frozenset(found | ({LINE_MANAGER} if self.is_line_manager else set()))


@dataclass(frozen=True)
class Parties:
    """The request's people, as the directory and the history knew them."""

    participant_roles: frozenset[Role]
    head_approvers: frozenset[str] = frozenset()  # gave the head approval, or were acted for
    directed: bool = False  # school-directed CPD: the school may submit it for them
    # per role: who holds it for this school today, besides the participant
    others_holding: Mapping[Role, frozenset[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Permit:
    rule: str
    on_behalf_of: str | None = None  # a delegate acting for this person


@dataclass(frozen=True)
class Allowed:
    """Who may take a step: parties to the request and roles held for its school."""

    rule: str
    parties: frozenset[str] = frozenset()
    roles: frozenset[Role] = frozenset()

    def describe(self) -> str:
        """`the participant or a head teacher`: who may, as a refusal names it."""
        names = [f"the {p.replace('_', ' ')}" for p in sorted(self.parties)]
        names += [f"a {r.value.replace('_', ' ')}" for r in sorted(self.roles)]
        return " or ".join(names)


HEAD, CPD, BOOKING, EXECUTIVE = (
    Role.HEAD_TEACHER,
    Role.CPD_LEAD,
    Role.BOOKING_OFFICE,
    Role.EXECUTIVE_LEAD,
)
_P, _LM = frozenset({PARTICIPANT}), frozenset({LINE_MANAGER})

WHO_MAY: dict[str, Allowed] = {
    "submitted": Allowed("who_may.submit", _P),
    "booked": Allowed("who_may.book", roles=frozenset({BOOKING})),
    "booking_cancelled": Allowed("who_may.book", roles=frozenset({BOOKING})),
    "completed": Allowed("who_may.record_attendance", _P | _LM, frozenset({HEAD, CPD, BOOKING})),
    "not_attended": Allowed("who_may.record_attendance", _P | _LM, frozenset({HEAD, CPD, BOOKING})),
    "evaluated": Allowed("who_may.evaluate", _P),
    "disseminated": Allowed("who_may.disseminate", _P, frozenset({HEAD, CPD})),
    "dissemination_waived": Allowed("who_may.waive_dissemination", roles=frozenset({HEAD, CPD})),
    "withdrawn": Allowed("who_may.withdraw", _P, frozenset({HEAD, CPD})),
    "impact_reviewed": Allowed("who_may.review_impact", _LM, frozenset({HEAD, CPD})),
}
# School-directed CPD may also be submitted by the school for the member of staff.
DIRECTED_SUBMISSION = Allowed("who_may.submit_directed", _P | _LM, frozenset({HEAD, CPD}))
APPROVALS = {
    "head_approved": "head",
    "head_rejected": "head",
    "executive_approved": "executive",
    "executive_rejected": "executive",
}


def authorise(
    step: str, actor: Standing | None, parties: Parties, policy: PolicySet, actor_id: str
) -> Permit:
    """Permit `actor` to take `step` on a request, or raise the refusal that says why."""
    if actor is None:
        raise UnknownActor(f"'{actor_id}' is not in the staff directory, or has left")
    if step in APPROVALS:
        return _approval(step, APPROVALS[step], actor, parties, policy)
    allowed = DIRECTED_SUBMISSION if step == "submitted" and parties.directed else WHO_MAY[step]
    if actor.parties & allowed.parties or actor.roles_here & allowed.roles:
        return Permit(allowed.rule)
    raise NotAuthorised(
        f"'{actor.staff_id}' may not record cpd.request.{step}: it needs"
        f" {allowed.describe()} of the request's school (rule {allowed.rule})"
    )


def _approval(
    step: str, stage: str, actor: Standing, parties: Parties, policy: PolicySet
) -> Permit:
    rule = f"who_may.approve_{stage}"
    if actor.is_participant:
        if step.endswith("_rejected"):
            raise NotAuthorised(
                f"'{actor.staff_id}' made this request and cannot reject it; withdraw it"
                f" instead (rule {rule})"
            )
        # Today's guard and its code stand: nobody approves their own request.
        raise GuardFailed(f"'{actor.staff_id}' made this request and cannot approve it")
    if stage == "executive" and actor.staff_id in parties.head_approvers:
        raise NotAuthorised(
            f"'{actor.staff_id}' gave the head approval, so another person must give the"
            f" executive approval (rule {rule})"
        )
    role = approver_role(stage, parties, policy)
    if role in actor.roles_here:
        return Permit(rule)
    # A delegate takes the step of the head teacher or executive lead who delegated it;
    # both count as having given the head approval.
    delegators = actor.delegated_by.get(stage, frozenset()) - parties.head_approvers
    if role is _USUAL_APPROVER[stage] and delegators:
        return Permit(rule, on_behalf_of=min(delegators))
    raise NotAuthorised(
        f"'{actor.staff_id}' may not give the {stage} approval: it needs a"
        f" {role.value.replace('_', ' ')} of the request's school (rule {rule} under"
        f" policy set {policy.name})"
    )


_USUAL_APPROVER = {"head": HEAD, "executive": EXECUTIVE}


def approver_role(stage: str, parties: Parties, policy: PolicySet) -> Role:
    """The role that approves this stage for this requester; nobody approves their own."""
    if stage == "head":
        return policy.head_step_role_for(parties.participant_roles)
    if EXECUTIVE in parties.participant_roles and not parties.others_holding.get(EXECUTIVE):
        return policy.executive_step_role_for_own_request
    return EXECUTIVE
