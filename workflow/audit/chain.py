"""The audit chain's rule: what an entry's hash is made of, so anyone can check it.

An entry's content is every column but `hash`, as a flat JSON object of text, integers
and nulls (`data` is the JSON text exactly as stored, not parsed again). Its hash is the
SHA-256, in lower-case hex, of the canonical JSON of that content:
`json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)` in UTF-8.
The first entry's `prev_hash` is 64 zeros (GENESIS); each later one's is the hash of the
entry before it, so changing, removing or reordering any entry breaks the links after it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64

# In the table's order; the hash covers all of them (and `hash` is the hash).
CONTENT_COLUMNS = (
    "seq",
    "at",
    "kind",
    "event_type",
    "event_id",
    "event_source",
    "actor",
    "on_behalf_of",
    "client",
    "request_id",
    "request_seq",
    "staff_id",
    "school_id",
    "from_state",
    "to_state",
    "outcome",
    "reason",
    "data",
    "prev_hash",
)
COLUMNS = (*CONTENT_COLUMNS, "hash")

# One encoder, made once: json.dumps builds a new one at every call.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class NotCanonical(ValueError):
    """A value the chain never holds (a float, bytes): the entry cannot be what was written."""


def canonical(content: Mapping[str, Any]) -> str:
    for name, value in content.items():
        if value is not None and type(value) not in (str, int):
            raise NotCanonical(f"{name} holds {type(value).__name__}, not text or a whole number")
    return _CANONICAL.encode(dict(content))


def hash_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def hash_of(content: Mapping[str, Any]) -> str:
    return hash_text(canonical(content))


@dataclass(frozen=True)
class Head:
    """The chain's last entry, as a trust keeps it elsewhere: `{"seq": …, "hash": …}`."""

    seq: int
    hash: str

    def to_json(self) -> str:
        return json.dumps({"seq": self.seq, "hash": self.hash})


EMPTY = Head(0, GENESIS)


def read_head(text: str) -> Head:
    """A head as `cpd audit head` printed it; ValueError naming what is wrong."""
    try:
        found = json.loads(text)
    except ValueError:
        raise ValueError("is not JSON") from None
    if not isinstance(found, dict):
        raise ValueError('is not a JSON object like {"seq": 12, "hash": "…"}')
    seq, digest = found.get("seq"), found.get("hash")
    if type(seq) is not int or seq < 0:
        raise ValueError('has no "seq" that is a whole number')
    if not isinstance(digest, str) or len(digest) != 64 or digest.strip("0123456789abcdef"):
        raise ValueError('has no "hash" of 64 lower-case hex digits')
    return Head(seq, digest)
