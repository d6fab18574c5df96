"""How the pages say what happened: states, steps taken, people and dates in plain English."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal

from workflow.directory import SCHOOL_ZONE
from workflow.store import HISTORY_APPLIED, HistoryEntry

_E = "cpd.request."
DONE = {
    f"{_E}submitted": "The request was made",
    f"{_E}head_approved": "This request was approved",
    f"{_E}head_rejected": "This request was rejected",
    f"{_E}executive_approved": "This request was given executive approval",
    f"{_E}executive_rejected": "This request was rejected at the executive step",
    f"{_E}booked": "The training was booked",
    f"{_E}booking_cancelled": "The booking was cancelled",
    f"{_E}completed": "The training was recorded as completed",
    f"{_E}not_attended": "The training was recorded as not attended",
    f"{_E}evaluated": "The evaluation was sent",
    f"{_E}disseminated": "Sharing what was learned was recorded",
    f"{_E}dissemination_waived": "Sharing what was learned was waived",
    f"{_E}impact_reviewed": "An impact review was recorded",
    f"{_E}withdrawn": "This request was withdrawn",
}
STATE = {
    "requested": "waiting for the head teacher's approval",
    "head_approved": "waiting for executive approval",
    "executive_approved": "approved, and waiting to be booked",
    "booked": "booked",
    "completed": "completed, and waiting for the evaluation",
    "evaluated": "evaluated",
    "disseminated": "finished: what was learned has been shared",
    "rejected": "rejected",
    "withdrawn": "withdrawn",
    "not_attended": "closed, as the training was not attended",
}
ACTIVITY = {"in_school": "In-school training", "online": "Online training"}
SERVICE_NAMES = {"policy": "the school's CPD policy", "cpd-workflow": "the CPD service"}


def when(moment: str | datetime) -> str:
    """'4 March 2027 at 10:14', as the clock at the school said."""
    at = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    local = at.astimezone(SCHOOL_ZONE)
    return f"{day(local.date())} at {local:%H:%M}"


def day(on: date) -> str:
    return f"{on.day} {on:%B %Y}"


def dates(start: date, end: date) -> str:
    return day(start) if start == end else f"{day(start)} to {day(end)}"


def pounds(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


def activity(kind: str) -> str:
    return ACTIVITY.get(kind, kind.replace("_", " ").capitalize())


def state(name: str) -> str:
    return STATE.get(name, name.replace("_", " "))


def who(staff_id: str, names: Mapping[str, str]) -> str:
    return SERVICE_NAMES.get(staff_id) or names.get(staff_id, staff_id)


def happened(entry: HistoryEntry, names: Mapping[str, str]) -> str:
    """'This request was approved by Head 1 on 4 March 2027 at 10:14.', with a reason given."""
    what = DONE.get(entry.event_type, "The request was updated")
    said = f"{what} by {who(entry.actor, names)} on {when(entry.at)}."
    for key, label in (("reason", "The reason given"), ("comment", "Comment")):
        text = entry.data.get(key)
        if isinstance(text, str) and text.strip():
            said += f" {label}: “{text.strip()}”"
    return said


def last_answer(entries: Sequence[HistoryEntry], types: Sequence[str]) -> HistoryEntry | None:
    """The latest applied step of one of `types`, if any."""
    found = [e for e in entries if e.outcome == HISTORY_APPLIED and e.event_type in types]
    return found[-1] if found else None


def last_step(entries: Sequence[HistoryEntry]) -> HistoryEntry | None:
    """The latest applied step: what moved the request on."""
    return last_answer(entries, list(DONE))
