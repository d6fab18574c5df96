"""`budget.set`: a school's CPD budget for a financial year, as an event family.

Posted by the school's head teacher or CPD lead, an executive lead of its trust, or a
system (a finance system: an actor who is not a person of the directory, whose key the
HTTP edge already allowed to post `budget.*`). Each one is a `budget_set` row of the
ledger: the latest for a school and year is its budget, and the earlier ones stay.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from schemas.budgets import BUDGET_SET
from workflow.authorisation.rules import NotAuthorised, UnknownActor
from workflow.budgets.ledger import LedgerHook, append
from workflow.budgets.rules import BUDGET_SET as BUDGET_SET_ROW
from workflow.budgets.view import NotAYear, named_year, school_policy
from workflow.directory import queries
from workflow.directory.rules import check_subject
from workflow.errors import DomainError
from workflow.policy.vocabulary import Role
from workflow.store._events import SERVICE_ACTORS, TransactionHook
from workflow.store.families import Family, FamilyEvent
from workflow.store.policies import Governance

# Who among the directory's people may set a school's budget (rule who_may.set_budget).
SETTERS = (Role.HEAD_TEACHER, Role.CPD_LEAD, Role.EXECUTIVE_LEAD)


class UnknownSchool(DomainError):
    code = "unknown_school"


class NotAFinancialYear(DomainError):
    code = "not_a_financial_year"


def set_budget(e: FamilyEvent) -> None:
    school_id = str(e.data["school_id"])
    check_subject(e.event.subject, school_id, "school_id")
    if queries.school_as_of(e.db, school_id, e.now) is None:
        raise UnknownSchool(f"no school '{school_id}' in the staff directory")
    check_setter(e.db, e.event.actor, school_id, e.now)
    year = str(e.data["financial_year"])
    try:
        named_year(year, school_policy(e.db, e.governance, school_id, e.now))
    except NotAYear as error:
        raise NotAFinancialYear(f"{school_id}: {error}") from None
    append(
        e.db,
        school_id=school_id,
        year=year,
        kind=BUDGET_SET_ROW,
        amount=Decimal(str(e.data["amount_gbp"])),
        at=e.now,
        cause=BUDGET_SET,
        actor=e.event.actor,
        categories=e.data.get("categories"),
    )


def check_setter(db: sqlite3.Connection, actor: str, school_id: str, now: datetime) -> None:
    """A person must hold a setter's role for the school; any other name is a system's."""
    if actor in SERVICE_ACTORS:
        raise UnknownActor(f"'{actor}' is the service's own name: an event cannot act as it")
    member = queries.staff_as_of(db, actor, now)
    if member is None:
        return
    if not member.can_act_at(now):
        raise UnknownActor(f"'{actor}' has left (last working day {member.left_on})")
    if not any(school_id in queries.schools_acted_for(db, actor, now, r) for r in SETTERS):
        raise NotAuthorised(
            f"'{actor}' may not set the budget of {school_id}: it needs a head teacher or CPD"
            f" lead of the school, or an executive lead of its trust (rule who_may.set_budget)"
        )


def ledger_hooks(governance: Governance) -> Sequence[TransactionHook]:
    return (LedgerHook(governance),)


FAMILY = Family("budgets", frozenset({BUDGET_SET}), set_budget, ledger_hooks)
