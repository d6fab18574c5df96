"""The audit chain: one append-only sequence of every audit entry, each sealed by its hash
and linked to the one before, so an edit of the SQLite file is found and located."""

from __future__ import annotations

import hashlib
import itertools
import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from tests.workflow.audit_builders import build, entries, head, tamper, verify
from tests.workflow.builders import open_store
from workflow.audit import GENESIS, Head, canonical, hash_of
from workflow.clock import FakeClock
from workflow.store._migrations import migrate_connection


@pytest.fixture
async def chain(db_path: Path, clock: FakeClock) -> Path:
    await build(db_path, clock)
    return db_path


def test_an_untouched_chain_is_intact_and_numbered_from_one(chain: Path) -> None:
    verdict = verify(chain)
    found = entries(chain)

    assert verdict.intact, verdict.describe()
    assert [e["seq"] for e in found] == list(range(1, len(found) + 1))
    assert found[0]["prev_hash"] == GENESIS
    assert all(later["prev_hash"] == e["hash"] for e, later in itertools.pairwise(found))
    assert verdict.head == Head(found[-1]["seq"], found[-1]["hash"])


def test_each_hash_is_the_sha256_of_the_canonical_json_of_the_rest_of_the_entry(
    chain: Path,
) -> None:
    for entry in entries(chain):
        content = {k: v for k, v in entry.items() if k != "hash"}
        text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert hashlib.sha256(text.encode()).hexdigest() == entry["hash"]
        assert canonical(content) == text and hash_of(content) == entry["hash"]


def test_every_kind_of_change_is_an_entry_about_its_person_and_school(chain: Path) -> None:
    kinds = {(e["kind"], e["event_type"], e["outcome"]) for e in entries(chain)}

    assert ("budgets", "budget.set", "applied") in kinds
    assert ("budgets", "budget.committed", "applied") in kinds
    assert ("budgets", "budget.spent", "applied") in kinds
    assert ("directory", "staff.upserted", "applied") in kinds
    assert ("directory", "approval.delegated", "applied") in kinds
    assert ("request", "cpd.request.head_approved", "refused") in kinds
    [newcomer] = entries(chain, "event_type = 'staff.upserted'")
    assert (newcomer["staff_id"], newcomer["school_id"]) == ("staff-newcomer", "school-north")


async def test_the_history_of_a_request_is_the_chain_s_entries_of_it(
    chain: Path, clock: FakeClock
) -> None:
    async with open_store(chain, clock, seeded=False) as store:
        history = await store.history("req-1")

    own = entries(chain, "request_id = 'req-1' AND request_seq IS NOT NULL")
    assert [(h.seq, h.event_id, h.to_state, h.outcome) for h in history] == [
        (e["request_seq"], e["event_id"], e["to_state"], e["outcome"]) for e in own
    ]
    assert history[-1].outcome == "refused"


def test_the_chain_refuses_to_be_updated_or_deleted_from(chain: Path) -> None:
    with closing(sqlite3.connect(chain)) as db:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute("UPDATE audit SET actor = 'someone-else' WHERE seq = 3")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute("DELETE FROM audit WHERE seq = 3")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute("DELETE FROM audit_people")
    assert verify(chain).intact


def test_a_changed_field_is_found_at_its_entry(chain: Path) -> None:
    tamper(chain, "UPDATE audit SET actor = 'head-impostor' WHERE seq = 7")

    verdict = verify(chain)

    assert (verdict.intact, verdict.failed_seq) == (False, 7)
    assert "changed" in (verdict.problem or "")
    assert verdict.head.seq == 6


def test_a_changed_data_field_is_found_even_when_its_json_is_reformatted(chain: Path) -> None:
    tamper(chain, "UPDATE audit SET data = json_set(data, '$.cost_gbp', '25.00') WHERE seq = 3")

    assert verify(chain).failed_seq == 3


def test_a_value_no_entry_is_written_with_is_found_not_crashed_on(chain: Path) -> None:
    tamper(chain, "UPDATE audit SET reason = x'00ff' WHERE seq = 9")

    verdict = verify(chain)

    assert (verdict.failed_seq, "changed" in (verdict.problem or "")) == (9, True)


def test_a_deleted_entry_is_found_at_its_sequence_number(chain: Path) -> None:
    tamper(chain, "DELETE FROM audit WHERE seq = 12")

    verdict = verify(chain)

    assert (verdict.intact, verdict.failed_seq) == (False, 12)
    assert "entry 12 missing" in (verdict.problem or "")


def test_a_request_deleted_with_all_its_entries_is_found_at_its_first(chain: Path) -> None:
    first = entries(chain, "request_id = 'req-3'")[0]["seq"]
    tamper(chain, "DELETE FROM audit WHERE request_id = 'req-3'")
    tamper(chain, "DELETE FROM requests WHERE request_id = 'req-3'")

    verdict = verify(chain)

    assert (verdict.intact, verdict.failed_seq) == (False, first)
    assert "missing" in (verdict.problem or "")


def test_two_swapped_entries_are_found_at_the_first_of_them(chain: Path) -> None:
    tamper(chain, "UPDATE audit SET seq = -1 WHERE seq = 10")
    tamper(chain, "UPDATE audit SET seq = 10 WHERE seq = 11")
    tamper(chain, "UPDATE audit SET seq = 11 WHERE seq = -1")

    verdict = verify(chain)

    assert (verdict.intact, verdict.failed_seq) == (False, 10)
    assert "reordered" in (verdict.problem or "")


def test_a_truncated_tail_is_found_against_a_head_kept_earlier(chain: Path) -> None:
    kept = head(chain)
    tamper(chain, "DELETE FROM audit WHERE seq > ?", kept.seq - 3)

    assert verify(chain).intact  # what is left links up: only the kept head tells
    verdict = verify(chain, kept)

    assert (verdict.intact, verdict.failed_seq) == (False, kept.seq - 2)
    assert "cut from its tail" in (verdict.problem or "")


def test_a_chain_rewritten_after_the_head_was_kept_is_found_at_that_head(chain: Path) -> None:
    kept = head(chain)
    tamper(chain, "UPDATE audit SET hash = ? WHERE seq = ?", "f" * 64, kept.seq)

    verdict = verify(chain, kept)

    assert verdict.failed_seq == kept.seq


def test_a_head_kept_earlier_still_holds_as_the_chain_grows(chain: Path) -> None:
    kept = Head(5, entries(chain, "seq = 5")[0]["hash"])

    assert verify(chain, kept).intact
    assert not verify(chain, Head(5, "0" * 64)).intact


def test_an_empty_chain_is_intact_with_the_genesis_head(db_path: Path) -> None:
    with closing(sqlite3.connect(db_path)) as db:
        migrate_connection(db)
    assert verify(db_path).head == Head(0, GENESIS)
