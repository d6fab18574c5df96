"""A posted form turned into the event it sends: its type and `data`, or what to fix."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from handlers.forms.fields import Checked, Field, check
from handlers.forms.steps import Step
from workflow.policy import PolicySet

COMMENT = Field("comment", "text", "Comment (optional)", required=False)
REASON = Field(
    "reason",
    "text",
    "Reason for rejecting it (required)",
    "The member of staff will see this.",
    missing="Say why you are rejecting this request",
)


@dataclass(frozen=True)
class Answer:
    event_type: str | None  # None until the form is complete
    checked: Checked


def answer(step: Step, policy: PolicySet, form: Mapping[str, str], today: date) -> Answer:
    if step.name.startswith("approve_"):
        return _decision(step, form, today)
    checked = check(step.fields(policy), form, today)
    return Answer(None if checked.errors else step.answers[0], checked)


def _decision(step: Step, form: Mapping[str, str], today: date) -> Answer:
    """Approve (a comment may be given) or reject (a reason must be)."""
    approve, reject = step.answers
    decision = form.get("decision", "")
    if decision == "approve":
        checked = check([COMMENT], form, today)
        return Answer(None if checked.errors else approve, checked)
    if decision == "reject":
        checked = check([REASON], form, today)
        return Answer(None if checked.errors else reject, checked)
    choose = {"decision": "Choose Approve or Reject"}
    return Answer(None, Checked({}, choose, {}))
