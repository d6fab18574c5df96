"""Who is calling: a client system with a key, or a person signed in with the trust's token."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from workflow.access.events import PERSONS_DECISIONS
from workflow.access.scopes import (
    ACT_FOR_OTHERS,
    READ_AUDIT,
    READ_DIRECTORY,
    READ_REPORTS,
    READ_REQUESTS,
    Scopes,
    post_scope,
)
from workflow.policy.vocabulary import Role

# A person signed in with a token may read the trust's audit only in these roles.
AUDIT_READERS = frozenset({Role.EXECUTIVE_LEAD, Role.TRUSTEE})


class Method(StrEnum):
    KEY = "key"
    TOKEN = "token"


class Standing(StrEnum):
    """How a caller stands towards the people events are posted in the name of."""

    ADMIN = "admin"  # anything, as anyone
    PERSON = "person"  # a key made --as someone, or a person signed in: only as themselves
    PORTAL = "portal"  # act-for-others: a portal that signs its own users in
    SYSTEM = "system"  # neither: the HR feed, a budget system


@dataclass(frozen=True)
class Caller:
    """`client`: the key's name, or the signed-in person's e-mail; recorded with each event
    it posts. `staff_id`: the person it acts as, if it acts only as one."""

    client: str
    scopes: Scopes
    staff_id: str | None = None
    method: Method = Method.KEY

    @property
    def standing(self) -> Standing:
        if self.scopes.admin:
            return Standing.ADMIN
        if self.staff_id is not None:
            return Standing.PERSON
        if self.scopes.allows(ACT_FOR_OTHERS):
            return Standing.PORTAL
        return Standing.SYSTEM

    @property
    def limited_to_reach(self) -> bool:
        """Reads only what the person it acts as may see (see reach.py)."""
        return self.standing is Standing.PERSON


def signed_in(email: str, staff_id: str, roles: Iterable[Role]) -> Caller:
    """A person with a token: their own decisions, and reading within their reach."""
    granted = {post_scope(p) for p in PERSONS_DECISIONS}
    granted |= {READ_REQUESTS, READ_DIRECTORY, READ_REPORTS}
    if AUDIT_READERS & set(roles):
        granted.add(READ_AUDIT)
    return Caller(email, Scopes(frozenset(granted)), staff_id, Method.TOKEN)
