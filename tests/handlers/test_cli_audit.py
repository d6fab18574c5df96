"""`cpd audit verify|head|search` on a real data directory: exit 0 intact, 1 broken (the
first failing seq named), 2 for usage errors; the head kept and checked later."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from handlers.cli_audit import audit
from tests.workflow.audit_builders import build, entries, tamper
from tests.workflow.builders import START
from workflow.clock import FakeClock


@pytest.fixture
async def data_dir(tmp_path: Path) -> Path:
    await build(tmp_path / "cpd.sqlite3", FakeClock(START))
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(audit, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_verify_says_an_intact_chain_is_intact(data_dir: Path) -> None:
    code, out, _ = run("verify", "--data-dir", str(data_dir))

    assert code == 0
    assert out.startswith("audit chain intact: 25 entries, head seq 25")


def test_verify_names_the_first_broken_entry_and_exits_1(data_dir: Path) -> None:
    tamper(data_dir / "cpd.sqlite3", "UPDATE audit SET reason = 'fine' WHERE seq = 13")

    code, out, _ = run("verify", "--data-dir", str(data_dir))

    assert code == 1
    assert out.startswith("audit chain broken at seq 13: its content does not match its hash")


def test_a_head_printed_earlier_finds_a_cut_tail(data_dir: Path, tmp_path: Path) -> None:
    code, printed, _ = run("head", "--data-dir", str(data_dir))
    kept = tmp_path / "head.json"
    kept.write_text(printed)
    tamper(data_dir / "cpd.sqlite3", "DELETE FROM audit WHERE seq > 20")

    plain, _, _ = run("verify", "--data-dir", str(data_dir))
    cut, out, _ = run("verify", "--head", str(kept), "--data-dir", str(data_dir))

    assert code == 0 and json.loads(printed)["seq"] == 25
    assert (plain, cut) == (0, 1)
    assert out.startswith("audit chain broken at seq 21: the chain ends at seq 20")


@pytest.mark.parametrize("text", ["", "{}", '{"seq": 3, "hash": "abc"}', "[1, 2]"])
def test_a_head_file_that_is_not_a_head_is_a_usage_error(
    data_dir: Path, tmp_path: Path, text: str
) -> None:
    (tmp_path / "head.json").write_text(text)

    code, out, err = run(
        "verify", "--head", str(tmp_path / "head.json"), "--data-dir", str(data_dir)
    )

    assert (code, out) == (2, "")
    assert err.startswith("cpd audit: the head file")


def test_no_database_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("head", "--data-dir", str(tmp_path / "nowhere"))

    assert code == 2
    assert "no database at" in err


def test_search_prints_a_page_as_json_with_its_cursor(data_dir: Path) -> None:
    code, out, _ = run(
        "search", "--staff-id", "staff-ada", "--outcome", "applied", "--limit", "5",
        "--order", "newest", "--data-dir", str(data_dir),
    )  # fmt: skip
    page = json.loads(out)
    code2, out2, _ = run(
        "search", "--staff-id", "staff-ada", "--outcome", "applied", "--limit", "5",
        "--order", "newest", "--cursor", page["next_cursor"], "--data-dir", str(data_dir),
    )  # fmt: skip

    seqs = [e["seq"] for e in page["entries"] + json.loads(out2)["entries"]]
    assert (code, code2) == (0, 0)
    assert seqs == sorted(seqs, reverse=True) and len(set(seqs)) == 10


def test_search_as_csv_has_a_header_row(data_dir: Path) -> None:
    code, out, err = run(
        "search", "--request-id", "req-1", "--format", "csv", "--limit", "2",
        "--data-dir", str(data_dir),
    )  # fmt: skip
    rows = list(csv.reader(io.StringIO(out)))

    assert code == 0
    assert rows[0][:3] == ["seq", "at", "kind"] and len(rows) == 3
    assert err.startswith("next cursor: ")
    assert [int(r[0]) for r in rows[1:]] == [e["seq"] for e in entries(
        data_dir / "cpd.sqlite3", "request_id = 'req-1'")][:2]  # fmt: skip


@pytest.mark.parametrize(
    "args", [["--from", "soon"], ["--cursor", "bogus"], ["--state", "asleep"], ["--limit", "0"]]
)
def test_a_bad_filter_is_a_usage_error(data_dir: Path, args: list[str]) -> None:
    code, out, _ = run("search", *args, "--data-dir", str(data_dir))

    assert (code, out) == (2, "")


def test_every_command_and_option_has_help() -> None:
    for name, command in audit.commands.items():
        assert command.help, name
        assert all(p.help for p in command.params if hasattr(p, "help")), name
