"""The mail a renewal reminder sends: one to each person it names (the holder of the
statutory training and the school's CPD lead), saying which training runs out and when.
No form to open: the renewal is booked as a request, or given at a session."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from workflow.directory import acting_member, school_as_of, staff_as_of
from workflow.model import local_today
from workflow.notifications.compose import REMINDER_MAIL, Mail
from workflow.policy import PolicySet

RENEWAL_DUE = "renewal_due"  # the follow-up kind, and the template


def renewal_mails(
    db: sqlite3.Connection,
    reminder: Mapping[str, Any],
    policy: PolicySet,
    now: datetime,
    cause: str,
) -> list[Mail]:
    """`reminder`: the cpd.reminder.due data; `policy`: the holder's school's set now."""
    holder = staff_as_of(db, str(reminder["staff_id"]), now)
    if holder is None:
        return []
    school = school_as_of(db, holder.school_id, now)
    until = date.fromisoformat(str(reminder["valid_until"]))
    training = {
        "kind": str(reminder["statutory_kind"]).replace("_", " "),
        "valid_until": until.isoformat(),
        "expired": until < local_today(policy, now),
        "staff_id": holder.staff_id,
        "staff_name": holder.name,
    }
    mails = []
    for named in reminder.get("recipients") or []:
        member = acting_member(db, named["staff_id"], now)
        if member is None:
            continue
        context = {
            "template": RENEWAL_DUE,
            "kind": RENEWAL_DUE,
            "recipient": {"staff_id": member.staff_id, "name": member.name, "role": named["role"]},
            "link": None,
            "attempt": reminder.get("attempt", 1),
            "unassigned_role": bool(named.get("unassigned_role")),
            "training": training,
            "school_name": school.name if school is not None else holder.school_id,
        }
        mails.append(
            Mail(
                REMINDER_MAIL,
                RENEWAL_DUE,
                None,
                cause,
                member.staff_id,
                member.email,
                member.name,
                context,
            )
        )
    return mails
