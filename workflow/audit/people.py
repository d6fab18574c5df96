"""Whom an entry concerns, for `staff_id=` searches: the person it is about, whoever
acted in it (and for whom), and the people an event or a reminder names."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

# Fields of an entry's data that name people: a delegation's two people, a session's
# attendees, a reminder's recipients.
_NAMED = ("staff_id", "from_staff_id", "to_staff_id")
_LISTED = ("attendees",)


def people_in(named: Iterable[str | None], data: Mapping[str, Any]) -> set[str]:
    found = {who for who in named if who}
    found.update(str(data[f]) for f in _NAMED if isinstance(data.get(f), str) and data[f])
    for field in _LISTED:
        listed = data.get(field)
        if isinstance(listed, list):
            found.update(str(who) for who in listed if isinstance(who, str) and who)
    for recipient in data.get("recipients") or ():
        if isinstance(recipient, Mapping) and isinstance(recipient.get("staff_id"), str):
            found.add(recipient["staff_id"])
    return found


def about(data: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """The person and the school an event's data names itself, when it does."""
    staff = data.get("staff_id") or data.get("from_staff_id")
    school = data.get("school_id")
    return (
        staff if isinstance(staff, str) else None,
        school if isinstance(school, str) else None,
    )
