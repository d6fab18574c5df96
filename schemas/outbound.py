"""The `data` of the events this service publishes (documented for consumers)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field


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


# Money on the wire: a string of pounds and pence, exact ("240.00").
Pounds = Annotated[str, Field(pattern=r"^[0-9]+\.[0-9]{2}$")]


class RepaymentDue(BaseModel):
    """`cpd.repayment.due`: a member of staff resigned, and the policy set lets the school
    recover what it paid for one of their trainings. Recorded as an `open` claim (`subject`
    = `claim_id`) for the head teacher to confirm or waive (`repayment.confirmed`,
    `repayment.waived`): the policy reserves a right, it does not create a debt."""

    claim_id: str
    staff_id: str
    request_id: str
    school_id: str
    cost_gbp: Pounds = Field(description="the training's cost, as confirmed at booking")
    school_share_gbp: Pounds = Field(description="what the school paid of it (its funding)")
    amount_gbp: Pounds = Field(description="owed: the rule applied to the school's share")
    months_counted: int = Field(
        description="whole calendar months from the training's end to the resignation"
        " (0: resigned before it ended, or within a month)"
    )
    months: int = Field(description="the scale's length: the policy set's, or agreed terms'")
    training_ended_on: date
    resigned_on: date = Field(description="`resigned_on` of staff.left, else `left_on`")
    rule: str = Field(description="the policy-set rule applied: `repayment`")
    policy_id: str
    policy_version: int
    reason: str = Field(description="the rule, its version, and how it was applied")
    terms: dict[str, Any] | None = Field(
        description="the terms agreed at approval (`months`, `agreed_at`); null: the policy's"
    )


OUTBOUND_DATA: dict[str, type[BaseModel]] = {
    "cpd.request.state_changed": StateChanged,
    "cpd.event.rejected": EventRejected,
    "cpd.reminder.due": ReminderDue,
    "cpd.repayment.due": RepaymentDue,
}
