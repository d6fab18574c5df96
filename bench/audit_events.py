"""The events of a trust's two academic years, day by day, for bench/audit_data.py: its
directory, SIPs, budgets and qualifications first, then each day's requests (through
realistic fates) and in-house sessions. See audit_data.py for the whole picture."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from queues_data import SOURCE, Trust, staff_events


@dataclass(frozen=True)
class Shape:
    schools: int = 20
    staff: int = 2000
    requests: int = 20000  # through the store's write path; copies add the rest
    copies: int = 5
    days: int = 730

    @property
    def trust(self) -> Trust:
        return Trust(self.schools, self.staff, self.requests, self.days)


def _event(kind: str, subject: str, actor: str, data: dict[str, Any], n: object) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": f"audit-{kind}-{n}",
        "source": SOURCE,
        "type": kind,
        "subject": subject,
        "actor": actor,
        "data": data,
    }


def teacher(trust: Trust, school: int, n: int) -> str:
    return f"T-{trust.school(school)}-{n % trust.teachers(school):03d}"


def first_events(shape: Shape, first: date) -> list[dict[str, Any]]:
    """The directory, SIPs, a budget for each financial year (large enough that no approval
    is refused, with the copies' money counted too), and qualifications."""
    trust, events = shape.trust, staff_events(shape.trust)
    for s in range(shape.schools):
        school_id = trust.school(s)
        for year in range(first.year - 1, first.year + shape.days // 365 + 1):
            label = f"{year}-{(year + 1) % 100:02d}"
            budget = {"school_id": school_id, "financial_year": label, "amount_gbp": "100000000"}
            ident = label + school_id
            events.append(_event("budget.set", school_id, "finance-system", budget, ident))
        for t in range(trust.teachers(s)):
            staff_id = teacher(trust, s, t)
            achieved = first - timedelta(days=1 + (t * 37) % 700)
            held = {"staff_id": staff_id, "kind": "safeguarding", "achieved_on": str(achieved)}
            events.append(_event("qualification.recorded", staff_id, "records", held, staff_id))
    return events


def day_events(shape: Shape, first: date, seed: int = 2026) -> dict[int, list[dict[str, Any]]]:
    """Each day's requests and sessions (day 0 is `first`), in the order they happen."""
    rng, trust = random.Random(seed), shape.trust
    days: dict[int, list[dict[str, Any]]] = {}
    for i in range(shape.requests):
        s = i % shape.schools
        day = i * shape.days // shape.requests
        for when, body in _request(rng, trust, i, s, day, first):
            if when < shape.days:
                days.setdefault(when, []).append(body)
    for day in range(0, shape.days, 14):
        for s in range(shape.schools):
            days.setdefault(day, []).append(_session(rng, trust, s, first + timedelta(days=day)))
    return days


def _request(
    rng: random.Random, trust: Trust, i: int, s: int, day: int, first: date
) -> list[tuple[int, dict[str, Any]]]:
    school_id, fate = trust.school(s), (i // trust.schools) % 20
    staff_id, request_id = teacher(trust, s, i // trust.schools), f"R-{i:05d}"
    trust_id = f"TR-{trust.trust_of(s)}"
    head, executive, office = trust.head(school_id), f"EXEC-{trust_id}", f"OFFICE-{trust_id}"
    # Most approvals come in two days; one in four waits nine (and is reminded meanwhile).
    head_on = 9 if rng.random() < 0.25 else 2
    exec_on = head_on + (9 if rng.random() < 0.25 else 2)
    starts = first + timedelta(days=day + exec_on + 6)  # booked two days before it starts
    cost = rng.randrange(0, 90) * 10
    submitted = {
        "staff_id": staff_id,
        "school_id": school_id,
        "title": rng.choice(["Phonics leadership", "Maths mastery", "Behaviour", "SEND update"]),
        "activity_type": rng.choice(["course", "conference", "online", "qualification"]),
        "provider": "Teaching Hub",
        "start_date": starts.isoformat(),
        "end_date": starts.isoformat(),
        "cost_gbp": f"{cost}.00",
        "justification": "Improvement priority",
        "priorities": rng.sample(["SIP-1", "SIP-2", "SIP-3", "SIP-4"], rng.randrange(0, 3)),
    }

    def step(kind: str, after: int, actor: str, data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return day + after, _event(f"cpd.request.{kind}", request_id, actor, data, i)

    begun = exec_on + 6 + 1  # the day after it starts
    on = (starts + timedelta(days=1)).isoformat()
    steps = [step("submitted", 0, staff_id, submitted)]
    if fate == 0:
        return [*steps, step("head_rejected", head_on, head, {"reason": "Not this term"})]
    if fate == 1:
        return [*steps, step("withdrawn", 1, staff_id, {"reason": "Changed plans"})]
    if fate == 5:  # a teacher trying to approve their own request: refused, and recorded
        attempt = _event("cpd.request.head_approved", request_id, staff_id, {}, f"attempt-{i}")
        steps.append((day + 1, attempt))
    steps.append(step("head_approved", head_on, head, {"comment": "Agreed"}))
    if fate == 2:
        refusal = {"reason": "Trust budget"}
        return [*steps, step("executive_rejected", exec_on, executive, refusal)]
    confirmed = f"{max(0, cost + rng.choice([-20, 0, 0, 15]))}.00"
    booking = {"booking_reference": f"BK-{i}", "confirmed_cost_gbp": confirmed}
    steps += [
        step("executive_approved", exec_on, executive, {}),
        step("booked", exec_on + 4, office, booking),
    ]
    if fate == 3:
        cancelled = {"reason": "Provider cancelled"}
        return [*steps, step("booking_cancelled", exec_on + 5, office, cancelled)]
    if fate == 4:
        missed = {"reason": "Ill on the day", "cost_incurred_gbp": confirmed}
        return [*steps, step("not_attended", begun, staff_id, missed)]
    evaluated = {"rating": 4, "impact_on_practice": "Used in class", "recommend_provider": True}
    shared = {"method": "Staff meeting", "disseminated_on": "", "audience": "Department"}
    steps += [
        step("completed", begun, staff_id, {"completed_on": on}),
        step("evaluated", begun + 3, staff_id, evaluated),
        step("disseminated", begun + 9, staff_id, shared),
    ]
    shared["disseminated_on"] = (first + timedelta(days=day + begun + 9)).isoformat()
    return steps


def _session(rng: random.Random, trust: Trust, s: int, on: date) -> dict[str, Any]:
    school_id = trust.school(s)
    everyone = [teacher(trust, s, t) for t in range(trust.teachers(s))]
    inset = on.month == 9 and on.day <= 14
    some = rng.sample(everyone, min(len(everyone), rng.randrange(8, 40)))
    data: dict[str, Any] = {
        "session_id": f"SES-{school_id}-{on.isoformat()}",
        "school_id": school_id,
        "title": "Safeguarding" if inset else rng.choice(["Reading", "Behaviour", "Feedback"]),
        "date": on.isoformat(),
        "hours": "3" if inset else "1",
        "kind": "inset" if inset else "staff_meeting",
        "attendees": everyone if inset else some,
        "led_by": f"CPDL-{school_id}",
    }
    if inset:
        data["statutory_kind"] = "safeguarding"
    session_id = data["session_id"]
    return _event("cpd.session.recorded", session_id, f"CPDL-{school_id}", data, session_id)
