"""A request's priority score, and the reasons it is made of (pure: no I/O, no clock).

The score is the sum of its reasons' weights, so whoever reads a queue sees exactly why
one request stands above another: "linked to SIP priority SIP-2: Early reading (+3)",
"the requester is an Early Career Teacher (+2)", "£180.00 per participant (-1)". A code
the school's SIP does not hold is listed with no weight, never refused: the request still
stands, and the head teacher sees that its link did not count.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from workflow.policy.priority import Priority


@dataclass(frozen=True)
class Reason:
    text: str
    weight: int


@dataclass(frozen=True)
class Score:
    total: int
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class PriorityFacts:
    """What the score is made from; `from_submission` reads the request's own part."""

    priorities: Sequence[str] = ()  # the SIP codes the request names
    sip: Mapping[str, str] | None = None  # the school's SIP, code -> title; None: none on record
    agreed_in_appraisal: bool = False
    agreed_item_id: str | None = None
    statutory_kind: str | None = None
    renewal_due: bool = False  # the statutory kind is due for renewal for this person
    is_ect: bool = False
    directed: bool = False
    cost_gbp: Decimal = Decimal(0)  # the whole estimate: the course and any supply cover
    participants: int = 1


def from_submission(
    submitted: Mapping[str, Any],
    estimate: Decimal,
    *,
    sip: Mapping[str, str] | None,
    is_ect: bool,
    renewal_due: bool,
) -> PriorityFacts:
    """The facts a request's submitted data gives. Fields other issues add (`agreed_item_id`,
    `statutory_kind`, `cover_cost_gbp`) are read when present, and ignored when malformed:
    a score explains a queue, it does not judge the request."""
    priorities = submitted.get("priorities")
    agreed_item = submitted.get("agreed_item_id")
    kind = submitted.get("statutory_kind")
    participants = submitted.get("participants")
    return PriorityFacts(
        priorities=tuple(p for p in priorities if isinstance(p, str))
        if isinstance(priorities, list)
        else (),
        sip=sip,
        agreed_in_appraisal=submitted.get("agreed_in_appraisal") is True,
        agreed_item_id=agreed_item if isinstance(agreed_item, str) and agreed_item else None,
        statutory_kind=kind if isinstance(kind, str) and kind else None,
        renewal_due=renewal_due,
        is_ect=is_ect,
        directed=submitted.get("directed") is True,
        cost_gbp=estimate + _pounds(submitted.get("cover_cost_gbp")),
        participants=participants
        if isinstance(participants, int) and not isinstance(participants, bool) and participants > 0
        else 1,
    )


def score(facts: PriorityFacts, weights: Priority) -> Score:
    reasons = [*_sip_reasons(facts, weights.sip)]
    if facts.agreed_in_appraisal or facts.agreed_item_id:
        item = f" (item {facts.agreed_item_id})" if facts.agreed_item_id else ""
        reasons.append(Reason(f"agreed in appraisal{item}", weights.agreed_in_appraisal))
    if facts.statutory_kind and facts.renewal_due:
        text = f"statutory training due for renewal: {facts.statutory_kind}"
        reasons.append(Reason(text, weights.statutory_renewal))
    if facts.is_ect:
        reasons.append(Reason("the requester is an Early Career Teacher", weights.ect))
    if facts.directed:
        reasons.append(Reason("directed by the school", weights.directed))
    reasons.append(_cost_reason(facts, weights))
    # A reason worth nothing under this policy is left out, except an unknown SIP code,
    # which is listed so the requester's link is seen not to count.
    kept = tuple(r for r in reasons if r.weight != 0 or r.text.startswith(UNKNOWN_SIP))
    return Score(sum(r.weight for r in kept), kept)


UNKNOWN_SIP = "unknown SIP priority"


def _sip_reasons(facts: PriorityFacts, weight: int) -> list[Reason]:
    sip = {code.strip().casefold(): (code, title) for code, title in (facts.sip or {}).items()}
    linked: dict[str, str] = {}  # each SIP priority once, however often it is named
    unknown: list[Reason] = []
    for named in dict.fromkeys(p.strip() for p in facts.priorities if p.strip()):
        found = sip.get(named.casefold())
        if found is not None:
            linked.setdefault(found[0], f"{found[0]}: {found[1]}")
        else:
            why = "the school has no SIP on record" if facts.sip is None else "not in the SIP"
            unknown.append(Reason(f"{UNKNOWN_SIP} '{named}' ({why})", 0))
    if not linked:
        return unknown
    plural = "priority" if len(linked) == 1 else "priorities"
    return [Reason(f"linked to SIP {plural} {'; '.join(linked.values())}", weight), *unknown]


def _cost_reason(facts: PriorityFacts, weights: Priority) -> Reason:
    per_participant = facts.cost_gbp / facts.participants
    steps = int((per_participant / weights.cost_step_gbp).to_integral_value(ROUND_FLOOR))
    each = "" if facts.participants == 1 else f" ({facts.participants} participants)"
    text = f"£{per_participant:,.2f} per participant{each}"
    return Reason(text, steps * weights.cost_per_participant)


def _pounds(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return Decimal(0)
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        return Decimal(0)
    return amount if amount.is_finite() and amount > 0 else Decimal(0)
