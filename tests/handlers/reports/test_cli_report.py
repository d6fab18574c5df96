"""`cpd report termly|trust` on the scripted term's data directory, read-only, also while
the service runs on it: the hand-counted figures in each format, exit codes for what is
wrong."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from handlers.cli_report import report
from handlers.service import Service

TERMLY = ["termly", "--school-id", "S-WALMLEY", "--term", "2026-autumn"]
TRUST = ["trust", "--from", "2026-09-01", "--to", "2026-12-31"]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(report, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_the_termly_report_is_written_as_json_to_standard_output(term_data_dir: Path) -> None:
    code, out, _ = run(*TERMLY, "--data-dir", str(term_data_dir))

    assert code == 0
    body = json.loads(out)
    assert body["parameters"] == {"school_id": "S-WALMLEY", "term": "2026-autumn"}
    budget = next(t for s in body["sections"] for t in s["tables"] if t["name"] == "budget")
    assert budget["rows"][0]["term_spent_gbp"] == "925.00"


async def test_the_trust_summary_as_csv_to_a_file_while_the_service_runs(
    term_service: Service, term_data_dir: Path, tmp_path: Path
) -> None:
    out_file = tmp_path / "trust.csv"

    code, _, err = run(
        *TRUST,
        "--trust-id",
        "TR-OAKS",
        "--format",
        "csv",
        "--out",
        str(out_file),
        "--data-dir",
        str(term_data_dir),
    )

    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out_file.read_text(encoding="utf-8"))))
    per_staff = {
        r["row_label"]: r["value"]
        for r in rows
        if (r["table"], r["column"]) == ("spending", "spent_per_staff_gbp")
    }
    assert per_staff == {"S-NORTHFIELD": "86.67", "S-WALMLEY": "84.09"}


def test_the_termly_report_as_an_html_page(term_data_dir: Path) -> None:
    code, out, _ = run(*TERMLY, "--format", "html", "--data-dir", str(term_data_dir))

    assert code == 0
    assert out.startswith("<!DOCTYPE html>") and "£3,225.00" in out and "<svg" in out


def test_a_term_that_is_not_one_exits_2_naming_it(term_data_dir: Path) -> None:
    code, out, err = run(*TERMLY[:-1], "2026-winter", "--data-dir", str(term_data_dir))

    assert (code, out) == (2, "")
    assert err.startswith("cpd report: term: '2026-winter' is not a term")


def test_an_unknown_school_or_trust_exits_2(term_data_dir: Path) -> None:
    unknown = ["termly", "--school-id", "S-NOWHERE", "--term", "2026-autumn"]
    code, _, err = run(*unknown, "--data-dir", str(term_data_dir))
    assert (code, err) == (2, "cpd report: no school 'S-NOWHERE' in the staff directory\n")
    code, _, _ = run(*TRUST, "--trust-id", "TR-NONE", "--data-dir", str(term_data_dir))
    assert code == 2


def test_dates_the_wrong_way_round_exit_2(term_data_dir: Path) -> None:
    code, _, err = run(
        "trust", "--from", "2026-12-31", "--to", "2026-09-01", "--data-dir", str(term_data_dir)
    )
    assert code == 2 and "to: 2026-09-01 is before from (2026-12-31)" in err


def test_a_data_directory_without_a_database_exits_1(tmp_path: Path) -> None:
    code, _, err = run(*TERMLY, "--data-dir", str(tmp_path / "empty"))
    assert code == 1 and "no database at" in err
