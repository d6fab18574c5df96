"""Which event the work in hand is about, for every log line written meanwhile.

Context variables, so the ids follow the work through awaits without being passed along;
set where an event is taken in, read from the broker, applied or chased, and read by the
logging filter at the edge (handlers/logs.py). A thread does not inherit them: work handed
to the store's writer sets them again there if it logs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

FIELDS = ("request_id", "event_id", "event_type")
_known: ContextVar[tuple[str | None, str | None, str | None]] = ContextVar(
    "cpd_log_context", default=(None, None, None)
)


@contextmanager
def about(
    *, request_id: str | None = None, event_id: str | None = None, event_type: str | None = None
) -> Iterator[None]:
    """Lines logged inside are about this CPD request and this event (its id and type)."""
    token = _known.set((request_id, event_id, event_type))
    try:
        yield
    finally:
        _known.reset(token)


def current() -> dict[str, str]:
    """The ids known here, by their log field names; none known: empty."""
    return {name: value for name, value in zip(FIELDS, _known.get(), strict=True) if value}
