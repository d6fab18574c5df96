"""Which inbound events are a person's decision and which come from the trust's systems.

One list, matched in order by fnmatch patterns; extend it as new event families arrive.
A type matching no pattern counts as a person's decision: the stricter reading, so a
system client cannot post it until it is listed.
"""

from __future__ import annotations

from enum import StrEnum
from fnmatch import fnmatchcase


class Kind(StrEnum):
    DECISION = "a person's decision"
    SYSTEM = "a system event"


EVENT_KINDS: tuple[tuple[str, Kind], ...] = (
    # Before cpd.request.*, so a wider pattern added later cannot catch them: in-house
    # sessions come from a head teacher, a CPD lead or a trust system (the engine checks
    # a person's role), so a system's key may post them under its own name.
    ("cpd.session.*", Kind.SYSTEM),
    ("cpd.request.*", Kind.DECISION),  # submitted, approved, booked, evaluated, ...
    ("approval.*", Kind.DECISION),  # delegations
    ("repayment.*", Kind.DECISION),  # the head teacher confirms or waives a claim
    ("staff.*", Kind.SYSTEM),  # the HR feed
    ("school.*", Kind.SYSTEM),
    ("budget.*", Kind.SYSTEM),  # a finance system, or a head teacher, CPD lead, executive lead
    ("sip.*", Kind.SYSTEM),  # a school's SIP: its head teacher or CPD lead, or a planning tool
    # Obligations, from training and appraisal systems as well as people (role-checked).
    ("qualification.*", Kind.SYSTEM),
    ("appraisal.*", Kind.SYSTEM),
)
PERSONS_DECISIONS = tuple(p for p, kind in EVENT_KINDS if kind is Kind.DECISION)


def kind_of(event_type: str) -> Kind:
    for pattern, kind in EVENT_KINDS:
        if fnmatchcase(event_type, pattern):
            return kind
    return Kind.DECISION
