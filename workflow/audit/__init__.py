"""The tamper-evident audit chain: its hashing rule, its check, and what a search may ask.
Pure: the store (workflow/store/audit.py) reads and writes the entries."""

from workflow.audit.chain import (
    COLUMNS,
    CONTENT_COLUMNS,
    EMPTY,
    GENESIS,
    Head,
    canonical,
    hash_of,
    read_head,
)
from workflow.audit.search import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    NEWEST,
    OLDEST,
    ORDERS,
    AuditSearch,
    InvalidCursor,
    InvalidSearch,
    search_of,
)
from workflow.audit.verify import Verdict, check

__all__ = [
    "COLUMNS",
    "CONTENT_COLUMNS",
    "DEFAULT_LIMIT",
    "EMPTY",
    "GENESIS",
    "MAX_LIMIT",
    "NEWEST",
    "OLDEST",
    "ORDERS",
    "AuditSearch",
    "Head",
    "InvalidCursor",
    "InvalidSearch",
    "Verdict",
    "canonical",
    "check",
    "hash_of",
    "read_head",
    "search_of",
]
