"""The events of the scripted term (tests/reports_term.py), each at the moment it happens.

Walmley (S-WALMLEY, budget £5,000.00 for 2026-27) and Northfield (S-NORTHFIELD, £3,000.00)
are schools of trust TR-OAKS; Elmhurst (S-ELMHURST, no budget) is of TR-ELMS. Times are
09:00 UTC (10:00 at the school) unless said; a completion is recorded at 16:00 on its day.

Walmley's autumn requests (start dates 1 September to 31 December 2026):
  W-01 T-W1 course £200 (booked £180) + cover 1 day £150, SIP-1, 6.5 h, agreed AG-W1:
       submitted Mon 14 Sep, approved Fri 18 Sep (4 school days), completed 5 Oct,
       rated 5 (recommends), disseminated, impact 4
  W-02 T-W2 conference £300 + cover 2 days £300, half grant-funded, SIP-2: submitted
       Mon 5 Oct, approved Thu 8 Oct (3), completed 13 Nov, rated 3, dissemination waived
  W-03 T-W3 online £50, no SIP, 6 h: submitted 28 Sep, approved 1 Oct (3), completed
       19 Oct, rated 4, dissemination outstanding, impact 3
  W-04 T-W4 course £400, SIP-1 and SIP-2: rejected by the head Wed 14 Oct (2)
  W-05 ECT-W1 course £250, SIP-2: head approved, rejected by the executive Fri 6 Nov (4)
  W-06 T-W1 visit £80 + cover 0.5 day £75, SIP-1: submitted Fri 23 Oct, approved Tue
       3 Nov (2: half term between), completed 10 Dec, evaluation outstanding
  W-07 T-W2 course £500 (booked £450) + cover 1 day £150, SIP-1 and SIP-2: approved
       Thu 26 Nov (3), booked for 14 Dec
  W-08 T-W3 in-school coaching £0, SIP-1: submitted 1 Dec, awaiting the head
  W-09 T-W4 course £120: withdrawn
  W-10 TA-W1 course £90: approved Wed 23 Sep (2), booked, not attended (£90 incurred)
Outside the term: W-S1 (summer 2026, £100 spent) and W-P1 (spring 2027, £150 committed),
both in Walmley's 2026-27 financial year.
Northfield: N-01 course £220, SIP-1, agreed AG-N1, approved (4), rated 4, disseminated,
impact 5; N-02 course £180 rejected by the head (2); N-03 online £40 approved (2), rated 2.
Elmhurst: E-01 course £100 approved (2), not yet booked.
Sessions at Walmley: SES-W0 (July, 2 h), SES-W1 INSET 1 Sep 6 h x 5 with safeguarding,
SES-W2 staff meeting 7 Oct 1.5 h x 3, SES-W3 coaching 18 Nov 1 h x 1 providing AG-W2.
"""

from __future__ import annotations

from tests.reports_term_script import (
    Step,
    approved,
    at,
    booked,
    moves,
    person,
    rated,
    request,
    reviewed,
    school,
    shared,
    system,
    took_place,
)
from tests.reports_term_walmley import WALMLEY_REQUESTS

W, N, E = "S-WALMLEY", "S-NORTHFIELD", "S-ELMHURST"

DIRECTORY: list[Step] = [
    school(W, "Walmley Infant School", "TR-OAKS"),
    school(N, "Northfield Primary", "TR-OAKS"),
    school(E, "Elmhurst Academy", "TR-ELMS"),
    person("HEAD-W", W, ["head_teacher", "leadership"]),
    person("CPDLEAD-W", W, ["cpd_lead", "teacher"], "HEAD-W"),
    person("GOV-W", W, ["governor"]),
    *(person(f"T-W{i}", W, ["teacher"], "HEAD-W") for i in range(1, 7)),
    person("TA-W1", W, ["support"], "HEAD-W"),
    person("ECT-W1", W, ["teacher"], "HEAD-W", is_ect=True),
    person("EXEC-1", W, ["executive_lead"]),
    person("BOOKING-1", W, ["booking_office"]),
    person("HEAD-N", N, ["head_teacher"]),
    person("T-N1", N, ["teacher"], "HEAD-N"),
    person("T-N2", N, ["teacher"], "HEAD-N"),
    person("TRUSTEE-1", N, ["trustee"]),
    person("HEAD-E", E, ["head_teacher"]),
    person("EXEC-E", E, ["executive_lead"]),
    person("BOOKING-E", E, ["booking_office"]),
    person("T-E1", E, ["teacher"], "HEAD-E"),
]


def _budget(school_id: str, head: str, amount: str) -> Step:
    data = {"school_id": school_id, "financial_year": "2026-27", "amount_gbp": amount}
    return system(at("2026-06-01", 10), "budget.set", school_id, head, **data)


def _sip(school_id: str, head: str, *priorities: tuple[str, str]) -> Step:
    listed = [{"code": code, "title": title} for code, title in priorities]
    return system(
        at("2026-06-01", 10), "sip.updated", school_id, head, school_id=school_id, priorities=listed
    )


def _agreed(item: str, staff: str, cycle: str, what: str, on: str, by: str) -> Step:
    data = {
        "agreed_item_id": item,
        "staff_id": staff,
        "appraisal_cycle": cycle,
        "description": what,
        "agreed_on": on,
        "agreed_by": by,
    }
    return system(at("2026-09-10", 12), "appraisal.cpd_agreed", staff, by, **data)


def _session(
    session_id: str, day: str, kind: str, hours: str, who: list[str], **more: object
) -> Step:
    data = {
        "session_id": session_id,
        "school_id": W,
        "title": f"{kind} {day}",
        "date": day,
        "hours": hours,
        "kind": kind,
        "attendees": who,
        "led_by": "CPDLEAD-W",
        **more,
    }
    return system(at(day, 16), "cpd.session.recorded", session_id, "CPDLEAD-W", **data)


def _qualification(staff: str, achieved: str) -> Step:
    data = {
        "staff_id": staff,
        "kind": "safeguarding",
        "achieved_on": achieved,
        "awarding_body": "Local authority",
    }
    return system(at("2026-06-02"), "qualification.recorded", staff, staff, **data)


def _left(staff: str, left_on: str, posted: str) -> Step:
    data = {"staff_id": staff, "left_on": left_on, "reason": "resignation"}
    return system(at(posted, 8), "staff.left", staff, "hr-sync", **data)


OBLIGATIONS: list[Step] = [
    _budget(W, "HEAD-W", "5000.00"),
    _budget(N, "HEAD-N", "3000.00"),
    _sip(W, "HEAD-W", ("SIP-1", "Early reading"), ("SIP-2", "Maths mastery")),
    _sip(N, "HEAD-N", ("SIP-1", "Behaviour")),
    _qualification("HEAD-W", "2025-11-10"),  # expired on 10 November 2026
    _qualification("CPDLEAD-W", "2026-02-10"),  # expiring: valid to 10 February 2027
    _agreed("AG-W0", "T-W2", "2025-26", "Curriculum mapping", "2025-10-01", "HEAD-W"),
    _agreed("AG-W1", "T-W1", "2026-27", "Phonics leadership", "2026-09-10", "HEAD-W"),
    _agreed("AG-W2", "ECT-W1", "2026-27", "Maths coaching", "2026-09-10", "HEAD-W"),
    _agreed("AG-W3", "T-W3", "2026-27", "Reading for pleasure", "2026-09-10", "HEAD-W"),
    _agreed("AG-W4", "T-W4", "2026-27", "Behaviour management", "2026-09-10", "HEAD-W"),
    _agreed("AG-N1", "T-N1", "2026-27", "Behaviour for learning", "2026-09-10", "HEAD-N"),
    _session("SES-W0", "2026-07-10", "training", "2", ["T-W1", "T-W2"]),
    _session(
        "SES-W1",
        "2026-09-01",
        "inset",
        "6",
        ["T-W1", "T-W2", "T-W3", "TA-W1", "ECT-W1"],
        statutory_kind="safeguarding",
    ),
    _session("SES-W2", "2026-10-07", "staff_meeting", "1.5", ["T-W1", "T-W2", "T-W3"]),
    _session("SES-W3", "2026-11-18", "coaching", "1", ["ECT-W1"], agreed_item_id="AG-W2"),
    _left("T-W6", "2026-07-20", "2026-07-21"),  # left before the term: not counted
    _left("T-W5", "2026-10-31", "2026-11-02"),  # left during it: counted among staff
]

OTHER_REQUESTS: list[Step] = [
    *request(
        "N-01",
        "T-N1",
        N,
        at("2026-09-21"),
        title="Behaviour for learning",
        activity_type="course",
        provider="Reading Hub",
        start_date="2026-10-15",
        cost_gbp="220.00",
        priorities=["SIP-1"],
        agreed_item_id="AG-N1",
    ),
    *moves(
        "N-01",
        *approved("2026-09-23", "2026-09-25", "HEAD-N"),
        booked("2026-09-28", "220.00"),
        took_place("T-N1", "2026-10-15"),
        rated("2026-10-16", "T-N1", 4, True),
        shared("2026-10-22", "T-N1"),
        reviewed("2026-12-01", "HEAD-N", 5),
    ),
    *request(
        "N-02",
        "T-N2",
        N,
        at("2026-10-05"),
        title="Science subject knowledge",
        activity_type="course",
        provider="Science Hub",
        start_date="2026-11-10",
        cost_gbp="180.00",
    ),
    *moves("N-02", (at("2026-10-07"), "head_rejected", "HEAD-N", {"reason": "Budget"})),
    *request(
        "N-03",
        "T-N1",
        N,
        at("2026-11-09"),
        title="Online behaviour module",
        activity_type="online",
        provider="SEND Online",
        start_date="2026-12-01",
        cost_gbp="40.00",
    ),
    *moves(
        "N-03",
        *approved("2026-11-10", "2026-11-11", "HEAD-N"),
        booked("2026-11-12", "40.00"),
        took_place("T-N1", "2026-12-01"),
        rated("2026-12-02", "T-N1", 2, False),
    ),
    *request(
        "E-01",
        "T-E1",
        E,
        at("2026-09-07"),
        title="Curriculum design",
        activity_type="course",
        provider="Elm Hub",
        start_date="2026-10-09",
        cost_gbp="100.00",
    ),
    *moves("E-01", *approved("2026-09-08", "2026-09-09", "HEAD-E", "EXEC-E")),
]

SCRIPT: list[Step] = [*DIRECTORY, *OBLIGATIONS, *WALMLEY_REQUESTS, *OTHER_REQUESTS]
