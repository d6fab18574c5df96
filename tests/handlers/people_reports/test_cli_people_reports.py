"""`cpd report equality|providers|annual-review|portfolio` on the extended scripted term's
data directory, read-only: the hand-counted figures, and exit 2 for what is not there."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from handlers.cli_report import report

AUTUMN = ["--from", "2026-09-01", "--to", "2026-12-31"]


def run(data_dir: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(report, [*args, "--data-dir", str(data_dir)])
    return result.exit_code, result.stdout, result.stderr


def test_equality_of_one_school_as_csv_withholds_its_leaders(people_data_dir: Path) -> None:
    code, out, err = run(
        people_data_dir, "equality", *AUTUMN, "--school-id", "S-WALMLEY", "--format", "csv"
    )
    assert code == 0, err
    cells = list(csv.DictReader(io.StringIO(out)))
    leadership = {c["column"]: c["value"] for c in cells if c["row_label"] == "Leadership"}
    assert set(leadership.values()) == {"Leadership", "suppressed"}
    assert "737" not in out


def test_equality_of_a_trust_reports_its_schools_and_the_trust(people_data_dir: Path) -> None:
    code, out, _ = run(people_data_dir, "equality", *AUTUMN, "--trust-id", "TR-OAKS")
    assert code == 0
    names = [t["name"] for s in json.loads(out)["sections"] for t in s["tables"]]
    assert names == ["groups_S-NORTHFIELD", "groups_S-WALMLEY", "groups_trust_TR-OAKS"]


def test_the_scorecard_as_a_page_with_its_charts(people_data_dir: Path) -> None:
    code, out, _ = run(people_data_dir, "providers", *AUTUMN, "--format", "html")
    assert code == 0
    assert out.startswith("<!DOCTYPE html>") and "chart-line" in out and "Reading Hub" in out


def test_the_annual_review_and_a_portfolio_to_files(people_data_dir: Path, tmp_path: Path) -> None:
    review, portfolio = tmp_path / "review.json", tmp_path / "portfolio.json"
    code, _, _ = run(
        people_data_dir,
        "annual-review",
        "--school-id",
        "S-WALMLEY",
        "--year",
        "2026-27",
        "--out",
        str(review),
    )
    assert code == 0
    body = json.loads(review.read_text(encoding="utf-8"))
    assert body["title"] == "Annual review of CPD undertaken, 2026-27"
    code, _, _ = run(people_data_dir, "portfolio", "--staff-id", "T-W1", "--out", str(portfolio))
    assert code == 0
    assert json.loads(portfolio.read_text(encoding="utf-8"))["parameters"] == {"staff_id": "T-W1"}


def test_what_is_not_there_exits_2_with_one_line(people_data_dir: Path) -> None:
    for args, said in (
        (["portfolio", "--staff-id", "NOBODY"], "no staff member 'NOBODY'"),
        (["annual-review", "--school-id", "S-NONE", "--year", "2026-27"], "no school 'S-NONE'"),
        (["annual-review", "--school-id", "S-WALMLEY", "--year", "2026-28"], "year: '2026-28'"),
        (["equality", *AUTUMN, "--school-id", "S-NONE"], "no school 'S-NONE'"),
        (["providers", *AUTUMN, "--trust-id", "TR-NONE"], "no school of trust 'TR-NONE'"),
        (["providers", "--from", "2026-12-31", "--to", "2026-09-01"], "to: 2026-09-01 is before"),
    ):
        code, out, err = run(people_data_dir, *args)
        assert (code, out, err.count("\n")) == (2, "", 1), args
        assert err.startswith(f"cpd report: {said}"), err


def test_every_command_and_option_has_help() -> None:
    for command in ("equality", "providers", "annual-review", "portfolio"):
        result = CliRunner().invoke(report, [command, "--help"])
        assert result.exit_code == 0
        assert "--data-dir" in result.stdout and "--format" in result.stdout
