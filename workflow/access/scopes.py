"""What a client may be allowed: the scopes an API key is made with, and their checks.

A scope is `post:PATTERN` (event types the key may post, fnmatch-style: `post:staff.*`),
one of the named reading scopes, `act-for-others` (post in the name of any person of the
directory) or `admin` (everything).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase

from workflow.access.errors import UnknownScope

POST_PREFIX = "post:"
READ_REQUESTS = "read:requests"  # requests, their history and follow-ups, event status
READ_AUDIT = "read:audit"  # audit queries and dead letters
READ_REPORTS = "read:reports"  # reports, budgets, queues, compliance, repayments
READ_DIRECTORY = "read:directory"  # staff and schools
READ_METRICS = "read:metrics"  # GET /metrics: a Prometheus scraper's key, no personal data
ACT_FOR_OTHERS = "act-for-others"
ADMIN = "admin"
NAMED_SCOPES = (
    READ_REQUESTS,
    READ_AUDIT,
    READ_REPORTS,
    READ_DIRECTORY,
    READ_METRICS,
    ACT_FOR_OTHERS,
    ADMIN,
)
# Characters a pattern may use: those of event types, and fnmatch's own.
_PATTERN_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._-*?[]!")


def post_scope(event_type: str) -> str:
    return f"{POST_PREFIX}{event_type}"


def parse_scope(text: str, known_types: Iterable[str]) -> str:
    """The scope `text` names, or UnknownScope saying what is allowed.

    A `post:` pattern must match at least one event type the service knows, so a misspelt
    pattern (`post:cpd.requests.*`) is refused when the key is made, not found out later
    as a key that may post nothing."""
    scope = text.strip()
    if scope in NAMED_SCOPES:
        return scope
    if not scope.startswith(POST_PREFIX):
        raise UnknownScope(
            f"unknown scope '{text}': use post:PATTERN (e.g. post:cpd.request.*) or one of"
            f" {', '.join(NAMED_SCOPES)}"
        )
    pattern = scope.removeprefix(POST_PREFIX)
    if not pattern or not set(pattern) <= _PATTERN_CHARACTERS:
        raise UnknownScope(
            f"scope '{text}': the pattern must be an event type, with * ? [] as wildcards"
        )
    known = sorted(known_types)
    if not any(fnmatchcase(t, pattern) for t in known):
        raise UnknownScope(f"scope '{text}' matches no event type; known types: {', '.join(known)}")
    return scope


@dataclass(frozen=True)
class Scopes:
    granted: frozenset[str]

    @classmethod
    def of(cls, *scopes: str) -> Scopes:
        return cls(frozenset(scopes))

    @property
    def admin(self) -> bool:
        return ADMIN in self.granted

    def allows(self, scope: str) -> bool:
        """A named scope (reading, act-for-others); `admin` holds every one."""
        return self.admin or scope in self.granted

    def may_post(self, event_type: str) -> bool:
        return self.admin or any(
            fnmatchcase(event_type, s.removeprefix(POST_PREFIX))
            for s in self.granted
            if s.startswith(POST_PREFIX)
        )

    def __str__(self) -> str:
        return " ".join(sorted(self.granted))
