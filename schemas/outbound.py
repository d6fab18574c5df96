"""The `data` of the events this service publishes (documented for consumers)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel


class Cause(BaseModel):
    id: str
    source: str
    type: str


class StateChanged(BaseModel):
    """`cpd.request.state_changed`: published once for every accepted transition,
    including each step a request's policy set passed on its own (actor `policy`)."""

    request_id: str
    school_id: str
    staff_id: str
    from_state: str | None
    to_state: str
    version: int
    seq: int
    cause: Cause
    actor: str
    reason: str | None = None  # a step passed by the policy: the rule and its version


class EventRejected(BaseModel):
    """`cpd.event.rejected`: an inbound event that was recorded but refused, and why."""

    event_id: str | None
    event_source: str | None
    event_type: str | None
    request_id: str | None
    reason: str
    code: str


class Recipient(BaseModel):
    """A person a reminder is for, from the staff directory as it stood when it fired."""

    staff_id: str
    name: str
    email: str
    role: str  # the role the reminder is for; for a stand-in, the role nobody holds
    unassigned_role: bool = False  # true: a CPD lead standing in for a role nobody holds


class ReminderDue(BaseModel):
    """`cpd.reminder.due`: a follow-up fell due (the request's state is unchanged).
    `recipients` are the people it is for, resolved when it fired; empty when nobody holds
    the role and the school has no CPD lead to stand in (the history entry says so).
    A `renewal_due` reminder is about a person's statutory training, not a request: its
    `request_id` is null, its subject the staff id, and it names the training."""

    request_id: str | None
    kind: str
    recipient_staff_id: str | None
    recipient_role: str
    recipients: list[Recipient]
    due_at: datetime
    attempt: int
    late_by_seconds: int
    # renewal_due only: whose training, which kind, and the last day it is valid.
    staff_id: str | None = None
    statutory_kind: str | None = None
    valid_until: date | None = None
    qualification_id: str | None = None


OUTBOUND_DATA: dict[str, type[BaseModel]] = {
    "cpd.request.state_changed": StateChanged,
    "cpd.event.rejected": EventRejected,
    "cpd.reminder.due": ReminderDue,
}
