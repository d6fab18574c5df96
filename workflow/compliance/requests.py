"""What a completed request does for its member of staff's obligations, in the same
transaction as the completion (a transaction hook the qualifications family adds to every
store, run on every request step):
statutory training it was for is held from `completed_on`, for as long as the request's
policy-set version says; CPD agreed in appraisal that it names is provided.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date, datetime

from workflow.compliance import agreed, qualifications
from workflow.compliance.validity import valid_until
from workflow.errors import DomainError
from workflow.model import Command, Transition
from workflow.store import TransactionHook
from workflow.store.policies import Governance

COMPLETED = "cpd.request.completed"


def on_completion(governance: Governance) -> TransactionHook:
    """The hook, reading validity from the version each request was submitted under."""

    def completed(
        db: sqlite3.Connection, transition: Transition, command: Command, now: datetime
    ) -> None:
        request = transition.request
        if command.event_type != COMPLETED or "completed" not in request.details:
            return
        submitted = request.details.get("submitted", {})
        completed_on = date.fromisoformat(str(request.details["completed"]["completed_on"]))
        if submitted.get("agreed_item_id"):
            item = str(submitted["agreed_item_id"])
            agreed.provided(db, item, agreed.BY_REQUEST, request.request_id, completed_on)
        kind = submitted.get("statutory_kind")
        if not kind:
            return
        try:
            policy = governance.for_request(request)
        except DomainError:  # a version no longer loaded: its training cannot be dated
            return
        training = policy.statutory.get(str(kind))
        if training is None:  # checked at submission; never refuse a completion over it
            return
        ident = qualifications.qualification_id(qualifications.FROM_REQUEST, request.request_id)
        held = qualifications.Qualification(
            ident,
            request.staff_id,
            str(kind),
            completed_on,
            valid_until(completed_on, training.valid_months),
            qualifications.FROM_REQUEST,
            request.request_id,
            command.actor,
            awarding_body=request.provider,
        )
        qualifications.save(db, held, now)

    return completed


def completion_hooks(governance: Governance) -> Sequence[TransactionHook]:
    """The qualifications family's transaction hooks (workflow.store.families.Family)."""
    return (on_completion(governance),)
