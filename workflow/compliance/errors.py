"""Why an obligation's event is refused, in words a CPD lead reads."""

from __future__ import annotations

from workflow.errors import DomainError, UnknownStatutoryKind

__all__ = [
    "AgreedItemExists",
    "DateInFuture",
    "SessionExists",
    "UnknownAgreedItem",
    "UnknownSchool",
    "UnknownSession",
    "UnknownStatutoryKind",
]


class UnknownSchool(DomainError):
    code = "unknown_school"


class UnknownSession(DomainError):
    code = "unknown_session"


class SessionExists(DomainError):
    code = "session_exists"


class UnknownAgreedItem(DomainError):
    code = "unknown_agreed_item"


class AgreedItemExists(DomainError):
    code = "agreed_item_exists"


class DateInFuture(DomainError):
    code = "date_in_future"
