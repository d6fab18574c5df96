"""Why a caller is refused: not known (401) or not allowed (403). Each has a stable code."""

from __future__ import annotations

from workflow.errors import DomainError


class AccessRefused(DomainError):
    """Not allowed: the caller is known, but may not do this (HTTP 403)."""

    code = "forbidden"
    status = 403
    scope: str | None = None  # the scope that was missing, when one was


class MissingScope(AccessRefused):
    code = "missing_scope"

    def __init__(self, client: str, scope: str, doing: str) -> None:
        super().__init__(f"'{client}' may not {doing}: it needs the scope {scope}")
        self.scope = scope


class ActorMismatch(AccessRefused):
    code = "actor_mismatch"


class PersonRequired(AccessRefused):
    """A system client posting a person's decision."""

    code = "person_required"


class ActorNotInDirectory(AccessRefused):
    code = "actor_not_in_directory"


class OutOfReach(AccessRefused):
    code = "out_of_reach"


class NotAuthenticated(AccessRefused):
    """Not known: no credentials, or ones the service does not accept (HTTP 401)."""

    code = "unauthenticated"
    status = 401
    credentials_given = True  # RFC 6750: error="invalid_token" only when some were sent


class MissingCredentials(NotAuthenticated):
    code = "missing_credentials"
    credentials_given = False


class InvalidKey(NotAuthenticated):
    code = "invalid_key"


class InvalidToken(NotAuthenticated):
    code = "invalid_token"


class UnknownPerson(NotAuthenticated):
    """Signed in, or a key made --as someone, but not a current person of the directory."""

    code = "unknown_person"


class UnknownScope(DomainError):
    code = "unknown_scope"
