"""The trust `bench/queues.py` reads: its directory, SIPs and requests, as CloudEvents.

Schools S-00..S-19 in two trusts (TR-0: the first half, TR-1: the rest); each school has a
head teacher, a CPD lead and teachers (every twelfth an Early Career Teacher); the first
school of each trust also holds the trust's executive lead and booking office. Request i
is submitted on day i * days / requests, by a teacher of school i % schools, and then,
by its number within its school, left waiting (30%), approved by the head and left for
the executive (10%), rejected, withdrawn, or taken on to booked and completed, each step
a few days after the one before (a step that would fall after the last day is not taken).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

SOURCE = "urn:bench:queues"
SIP_CODES = ["SIP-1", "SIP-2", "SIP-3", "SIP-4"]


@dataclass(frozen=True)
class Trust:
    schools: int = 20
    staff: int = 2000
    requests: int = 20000
    days: int = 60
    trusts: int = 2

    def school(self, n: int) -> str:
        return f"S-{n % self.schools:02d}"

    def trust(self, n: int) -> str:
        return f"TR-{n % self.trusts}"

    def trust_of(self, school_index: int) -> int:
        return school_index * self.trusts // self.schools

    def head(self, school_id: str) -> str:
        return f"HEAD-{school_id}"

    def teachers(self, school_index: int) -> int:
        return self.staff // self.schools - 2 - (2 if self.first_of_trust(school_index) else 0)

    def first_of_trust(self, school_index: int) -> bool:
        return school_index == 0 or self.trust_of(school_index) != self.trust_of(school_index - 1)


def _event(
    kind: str, subject: str, actor: str, data: dict[str, Any], n: int | str
) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": f"bench-{kind}-{n}",
        "source": SOURCE,
        "type": kind,
        "subject": subject,
        "actor": actor,
        "data": data,
    }


def _person(staff_id: str, school_id: str, roles: list[str], **extra: Any) -> dict[str, Any]:
    data = {
        "staff_id": staff_id,
        "name": staff_id.title(),
        "email": f"{staff_id.lower()}@bench.example",
        "school_id": school_id,
        "roles": roles,
        "contract": "full_time",
        "started_on": "2020-09-01",
        **extra,
    }
    return _event("staff.upserted", staff_id, "hr-sync", data, staff_id)


def staff_events(trust: Trust) -> list[dict[str, Any]]:
    """Schools, people, SIPs and budgets, in that order (a SIP and a budget need their
    school). Budgets are large enough that no approval is refused, so the ledger fills."""
    events, sips = [], []
    for s in range(trust.schools):
        school_id, trust_id = trust.school(s), f"TR-{trust.trust_of(s)}"
        data = {"school_id": school_id, "name": f"School {s}", "trust_id": trust_id}
        events.append(_event("school.upserted", school_id, "hr-sync", data, school_id))
        head = trust.head(school_id)
        events.append(_person(head, school_id, ["head_teacher"]))
        events.append(_person(f"CPDL-{school_id}", school_id, ["teacher", "cpd_lead"]))
        if trust.first_of_trust(s):
            events.append(_person(f"EXEC-{trust_id}", school_id, ["executive_lead"]))
            events.append(_person(f"OFFICE-{trust_id}", school_id, ["booking_office"]))
        for t in range(trust.teachers(s)):
            events.append(
                _person(
                    f"T-{school_id}-{t:03d}",
                    school_id,
                    ["teacher"],
                    is_ect=t % 12 == 0,
                    line_manager_id=head,
                )
            )
        priorities = [{"code": c, "title": f"Priority {c[-1]} of {school_id}"} for c in SIP_CODES]
        sip = {"school_id": school_id, "priorities": priorities}
        sips.append(_event("sip.updated", school_id, "planning-tool", sip, school_id))
        budget = {"school_id": school_id, "financial_year": "2026-27", "amount_gbp": "5000000"}
        sips.append(_event("budget.set", school_id, "finance-system", budget, school_id))
    return events + sips


def request_events(trust: Trust, seed: int = 2026) -> dict[int, list[dict[str, Any]]]:
    """Each day's request events (day 0 is the first), in the order they happen."""
    rng = random.Random(seed)
    days: dict[int, list[dict[str, Any]]] = {}
    first = date.today() - timedelta(days=trust.days + 1)
    for i in range(trust.requests):
        s = i % trust.schools
        school_id = trust.school(s)
        staff_id = f"T-{school_id}-{(i // trust.schools) % trust.teachers(s):03d}"
        day = i * trust.days // trust.requests
        request_id = f"R-{i:05d}"
        starts = first + timedelta(days=day + 8)
        data = _submission(rng, staff_id, school_id, starts)
        actor = trust.head(school_id) if data.get("directed") else staff_id
        steps = [(day, _event("cpd.request.submitted", request_id, actor, data, i))]
        steps += _later_steps(trust, i, day, request_id, staff_id, school_id, starts)
        for when, body in steps:
            if when < trust.days:
                days.setdefault(when, []).append(body)
    return days


def _submission(rng: random.Random, staff_id: str, school_id: str, starts: date) -> dict[str, Any]:
    data: dict[str, Any] = {
        "staff_id": staff_id,
        "school_id": school_id,
        "title": rng.choice(["Phonics leadership", "Maths mastery", "Behaviour", "SEND update"]),
        "activity_type": rng.choice(["course", "conference", "online", "qualification"]),
        "provider": "Teaching Hub",
        "start_date": starts.isoformat(),
        "end_date": starts.isoformat(),
        "cost_gbp": f"{rng.randrange(0, 90) * 10}.00",
        "justification": "Improvement priority",
        "priorities": rng.sample([*SIP_CODES, "SIP-9"], rng.randrange(0, 3)),
    }
    roll = rng.random()
    if roll < 0.1:
        data["directed"] = True
    elif roll < 0.25:
        data["agreed_in_appraisal"] = True
    elif roll < 0.3:
        data["statutory_kind"] = "safeguarding"  # the default set's one statutory kind
    return data


def _later_steps(
    trust: Trust, i: int, day: int, request_id: str, staff_id: str, school_id: str, starts: date
) -> list[tuple[int, dict[str, Any]]]:
    # Its fate by its number within its school, so every school has the same mix (by i
    # itself, i % 10 would follow the school: with 20 schools S-00 would only ever wait).
    head, fate = trust.head(school_id), (i // trust.schools) % 10
    trust_id = f"TR-{trust.trust_of(i % trust.schools)}"
    executive, office = f"EXEC-{trust_id}", f"OFFICE-{trust_id}"

    def step(kind: str, when: int, actor: str, data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return day + when, _event(f"cpd.request.{kind}", request_id, actor, data, i)

    if fate < 3:
        return []  # waiting for the head teacher
    if fate == 4:
        return [step("head_rejected", 2, head, {"reason": "Not this term"})]
    if fate == 5:
        return [step("withdrawn", 1, staff_id, {"reason": "Changed plans"})]
    steps = [step("head_approved", 2, head, {})]
    if fate == 3:
        return steps  # waiting for the executive lead
    steps += [
        step("executive_approved", 4, executive, {}),
        step("booked", 6, office, {"booking_reference": f"BK-{i}"}),
    ]
    if fate >= 8:
        steps.append(step("completed", 9, staff_id, {"completed_on": starts.isoformat()}))
    return steps
