"""`cpd budget set` and `cpd budget show` against the service on a real port."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest

from handlers.cli import main
from handlers.settings import Settings
from tests.handlers.keys import make_key
from tests.lifecycle import SCHOOL, TODAY, event, post_directory, submitted_data
from tests.live_server import serving
from workflow.budgets.rules import year_of

YEAR = year_of(TODAY, 4)  # the shipped default policy set: years from April
NEXT = year_of(date(TODAY.year + 1, TODAY.month, 1), 4)


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir = tmp_path_factory.mktemp("budget-cli") / "data"
    with serving(Settings(data_dir=data_dir)) as found:
        post_directory(found)
        yield found


def cpd(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["budget", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_budget_set_from_the_command_line_is_shown_with_its_ledger(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cpd(
        capsys,
        "set",
        SCHOOL,
        "--year",
        NEXT,
        "--amount",
        "12000",
        "--category",
        "courses=8000",
        "--category",
        "supply_cover=3000.50",
        "--actor",
        "HEAD-1",
        "--url",
        url,
    )
    assert (code, out) == (
        0,
        f"{SCHOOL} {NEXT}: budget set to £12,000.00 (courses £8,000.00, supply_cover £3,000.50)\n",
    )

    code, out, _ = cpd(capsys, "show", SCHOOL, "--year", NEXT, "--url", url)

    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith(f"{SCHOOL} {NEXT} ({NEXT[:4]}-04-01 to ")
    assert lines[1:5] == [
        "  budget      £12,000.00  (courses £8,000.00, supply_cover £3,000.50)",
        "  committed        £0.00",
        "  spent            £0.00",
        "  remaining   £12,000.00",
    ]
    assert lines[5] == "ledger"
    assert "budget_set" in lines[6] and "£12,000.00" in lines[6] and "HEAD-1" in lines[6]


def test_show_lists_what_requests_committed_and_reads_as_json_too(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    body = event("submitted", "REQ-CLI-1", "T-042", submitted_data(cover_cost_gbp="20.00"))
    for step in (body, event("head_approved", "REQ-CLI-1", "HEAD-1")):
        assert httpx.post(f"{url}/events?wait=true", json=step, timeout=15).status_code == 200

    code, out, _ = cpd(capsys, "show", SCHOOL, "--url", url)

    assert code == 0
    assert "  budget     none set: approvals are not held to one" in out
    assert "  committed      £200.00" in out and "  remaining            -" in out
    assert "REQ-CLI-1" in out and "cpd.request.head_approved" in out
    code, out, _ = cpd(capsys, "show", SCHOOL, "--json", "--url", url)
    assert code == 0 and '"committed_gbp": "200.00"' in out


def test_a_refusal_by_the_service_exits_1_saying_why(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ("set", SCHOOL, "--year", YEAR, "--amount", "1", "--actor", "T-042", "--url", url)

    code, _, err = cpd(capsys, *args)

    assert code == 1
    assert err.startswith("cpd budget set: refused (409 not_authorised): 'T-042' may not set")
    code, _, err = cpd(capsys, "show", "S-NOWHERE", "--url", url)
    assert (code, err) == (
        1,
        "cpd budget show: refused (404 unknown_school): no school 'S-NOWHERE'\n",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--year", "2026-28", "--amount", "1"), "financial_year: Value error, '2026-28' is not"),
        (("--year", "2026-27", "--amount", "lots"), "amount_gbp: Input should be a valid decimal"),
        (
            ("--year", "2026-27", "--amount", "1", "--category", "courses"),
            "write it as NAME=AMOUNT",
        ),
        (
            ("--year", "2026-27", "--amount", "1", "--category", "courses=2"),
            "the categories add up to 2, more than amount_gbp 1",
        ),
    ],
)
def test_bad_arguments_exit_2_before_anything_is_sent(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    code, _, err = cpd(capsys, "set", SCHOOL, *args, "--url", "http://127.0.0.1:9")

    assert code == 2 and message in err


def test_an_unreachable_service_exits_3(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cpd(capsys, "show", SCHOOL, "--url", "http://127.0.0.1:9")

    assert code == 3 and "cannot be reached" in err


def test_the_key_is_sent_once_access_is_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "data"
    with serving(Settings(data_dir=data_dir)) as found:
        post_directory(found)
        key = make_key(data_dir, "finance", "post:budget.*", "read:reports")
        set_args = ("set", SCHOOL, "--year", YEAR, "--amount", "700", "--actor", "finance-sync")

        code, _, err = cpd(capsys, *set_args, "--url", found)
        assert (code, err.split(":")[0]) == (1, "cpd budget set")
        assert "401 missing_credentials" in err
        assert cpd(capsys, *set_args, "--url", found, "--key", key)[0] == 0
        monkeypatch.setenv("CPD_API_KEY", key)
        code, out, _ = cpd(capsys, "show", SCHOOL, "--url", found)
        assert code == 0 and "£700.00" in out
