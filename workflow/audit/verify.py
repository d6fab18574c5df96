"""Checking the chain link by link: fed its entries in order, reports the first that fails.

The store streams `Link`s (seq, prev_hash, hash, and the canonical text of the content as
SQLite built it, which is fast); when a text's hash does not match, the entry is rebuilt
by the chain's own rule (`recheck`) before it is called changed, so the verdict never
rests on SQLite writing JSON exactly as Python does. Memory stays constant.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from hashlib import sha256

from workflow.audit.chain import EMPTY, GENESIS, Head

Link = tuple[int, str, str, str]  # seq, prev_hash, hash, canonical content


@dataclass(frozen=True)
class Verdict:
    intact: bool
    entries: int  # entries checked
    head: Head  # the last entry that passed
    failed_seq: int | None = None
    problem: str | None = None

    def describe(self) -> str:
        if self.intact:
            return (
                f"audit chain intact: {self.entries} entries,"
                f" head seq {self.head.seq} hash {self.head.hash}"
            )
        return f"audit chain broken at seq {self.failed_seq}: {self.problem}"


def check(
    links: Iterable[Link], recheck: Callable[[int], str | None], kept: Head | None = None
) -> Verdict:
    """`recheck(seq)`: the entry's hash by the chain's rule, or None when it cannot be
    hashed (it holds what no entry is written with). `kept`: a head kept earlier, which
    the chain must still contain, unchanged (else its tail was cut or rewritten)."""
    expected, previous, entries = 1, GENESIS, 0
    for seq, prev_hash, digest, text in links:
        if seq != expected:
            return _broken(entries, previous, expected, _gap(expected, seq))
        if prev_hash != previous:
            what = (
                f"prev_hash {prev_hash[:12]}… is not the hash of entry {seq - 1}"
                f" ({previous[:12]}…): entries before it were removed, inserted or reordered"
            )
            return _broken(entries, previous, seq, what)
        if sha256(text.encode()).hexdigest() != digest and recheck(seq) != digest:
            what = f"its content does not match its hash {digest[:12]}…: the entry was changed"
            return _broken(entries, previous, seq, what)
        if kept is not None and seq == kept.seq and digest != kept.hash:
            what = (
                f"its hash {digest[:12]}… is not the head kept ({kept.hash[:12]}…):"
                " the chain was rewritten from here or before"
            )
            return _broken(entries, previous, seq, what)
        expected, previous, entries = seq + 1, digest, entries + 1
    head = Head(expected - 1, previous) if entries else EMPTY
    if kept is not None and head.seq < kept.seq:
        what = (
            f"the chain ends at seq {head.seq} but the head kept is seq {kept.seq}:"
            f" entries {head.seq + 1} to {kept.seq} (at least) were cut from its tail"
        )
        return _broken(entries, previous, head.seq + 1, what)
    return Verdict(True, entries, head)


def _gap(expected: int, found: int) -> str:
    if found > expected:
        last = found - 1
        missing = f"entry {expected}" if last == expected else f"entries {expected}-{last}"
        return f"{missing} missing (the next entry is {found}): removed from the chain"
    return f"found seq {found} where {expected} should be: entries were reordered or repeated"


def _broken(entries: int, previous: str, seq: int, problem: str) -> Verdict:
    return Verdict(False, entries, Head(seq - 1, previous), seq, problem)
