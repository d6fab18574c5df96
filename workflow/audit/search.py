"""What an audit search asks for: filters, a time window, an order and a page.

Pages are keyset on `seq` (the chain's own order), so a page costs the same however deep
it is and entries appended meanwhile never shift the pages already read. The cursor is
opaque to clients: base64 of the order and the last seq returned; one that does not
decode, or was given for the other order, is refused.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from workflow.errors import DomainError

OLDEST, NEWEST = "oldest", "newest"
ORDERS = (OLDEST, NEWEST)
DEFAULT_LIMIT, MAX_LIMIT = 100, 1000
# Filters matched exactly against the entry's own column (`state`: the state it left).
COLUMN_FILTERS = {
    "request_id": "request_id",
    "school_id": "school_id",
    "actor": "actor",
    "event_type": "event_type",
    "state": "to_state",
    "outcome": "outcome",
}
_CURSOR = re.compile(r"(oldest|newest):([1-9][0-9]{0,18})")


class InvalidCursor(DomainError):
    code = "invalid_cursor"


class InvalidSearch(DomainError):
    code = "invalid_parameters"


@dataclass(frozen=True)
class Window:
    """`from` and `to`, both inclusive, as bounds on the stored ISO-8601 UTC `at`: a date
    means the whole day, a date-time that instant."""

    since: str | None = None  # at >= since
    before: str | None = None  # at < before (a `to` date: the next day)
    until: str | None = None  # at <= until (a `to` date-time)


@dataclass(frozen=True)
class AuditSearch:
    exact: dict[str, str] = field(default_factory=dict)  # column -> value
    staff_id: str | None = None  # about them, or they acted or were reminded
    window: Window = Window()
    order: str = OLDEST
    limit: int = DEFAULT_LIMIT
    after: int | None = None  # from the cursor: the last seq of the page before


def search_of(
    filters: dict[str, str | None],
    *,
    since: str | None = None,
    to: str | None = None,
    order: str = OLDEST,
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> AuditSearch:
    """The search, checked; raises InvalidSearch or InvalidCursor naming what is wrong.
    `filters`: the COLUMN_FILTERS names and `staff_id`, None or empty for unset."""
    if order not in ORDERS:
        raise InvalidSearch(f"order must be one of {', '.join(ORDERS)}, not '{order}'")
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidSearch(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
    exact = {COLUMN_FILTERS[k]: v for k, v in filters.items() if k in COLUMN_FILTERS and v}
    window = Window(
        since=None if since is None else _instant(since, "from"),
        before=_next_day(to) if to is not None and _is_date(to) else None,
        until=_instant(to, "to") if to is not None and not _is_date(to) else None,
    )
    after = None if cursor is None else decode_cursor(cursor, order)
    return AuditSearch(exact, filters.get("staff_id") or None, window, order, limit, after)


def encode_cursor(order: str, seq: int) -> str:
    return base64.urlsafe_b64encode(f"{order}:{seq}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str, order: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, ValueError):
        text = ""
    found = _CURSOR.fullmatch(text)
    if found is None or encode_cursor(found[1], int(found[2])) != cursor:
        raise InvalidCursor("cursor is not one this service gave: start again without it")
    if found[1] != order:
        raise InvalidCursor(f"cursor was given for order={found[1]}: ask with that order")
    return int(found[2])


def _is_date(text: str) -> bool:
    return len(text) == 10


def _instant(text: str, name: str) -> str:
    try:
        if _is_date(text):
            return date.fromisoformat(text).isoformat()
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidSearch(
            f"{name} must be a date (2026-09-01) or a date-time (2026-09-01T09:00:00Z),"
            f" not '{text}'"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()


def _next_day(text: str) -> str:
    day = date.fromisoformat(_instant(text, "to"))
    return "9999-12-32" if day == date.max else (day + timedelta(days=1)).isoformat()
