"""`cpd policy check DIR` as a trust's IT lead runs it before pointing CPD_POLICY_DIR at DIR."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from handlers.cli import main
from handlers.service import Service
from handlers.settings import Settings
from scheduler.policy_sets import load_policy_library
from tests.workflow.policy_files import EXAMPLES, head_led, write
from workflow.policy import PolicySetsInvalid

CPD = [sys.executable, "-m", "handlers.cli"]


def test_the_shipped_examples_pass_with_one_line_per_set() -> None:
    result = subprocess.run(
        [*CPD, "policy", "check", str(EXAMPLES)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == sorted(p.name for p in EXAMPLES.glob("*.toml"))
    assert lines[0].startswith(
        'elston-hall-trust.toml: elston-hall-trust v1 from 2023-02-01 "Elston Hall Learning Trust:'
    )
    assert "executive always; booked centrally: course, conference, qualification;" in lines[0]
    assert result.stderr == ""


def test_a_directory_with_mistakes_exits_2_listing_every_problem(tmp_path: Path) -> None:
    write(tmp_path, "head-led.toml", head_led(executive='"sometimes"'))
    write(tmp_path, "trust.toml", head_led(policy_id="trust").replace("version = 1", "version = 0"))
    result = subprocess.run(
        [*CPD, "policy", "check", str(tmp_path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        'head-led.toml: approval.executive: must be one of always, never, above (got "sometimes")',
        "trust.toml: version: must be at least 1 (got 0)",
        f"cpd policy check: 2 problems in {tmp_path}",
    ]
    assert result.stdout == ""


def test_a_directory_that_does_not_exist_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["policy", "check", str(tmp_path / "policies")]) == 2
    assert capsys.readouterr().err.splitlines()[0] == f"{tmp_path / 'policies'}: not a directory"


def test_sections_this_version_ignores_and_sets_not_yet_in_force_are_noted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    later = head_led(effective_from="2999-09-01", extra="[obligations]\nagreed_hours = 30")
    write(tmp_path, "head-led.toml", later)
    assert main(["policy", "check", str(tmp_path)]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == [
        "note: head-led.toml: obligations: section not known to this version of cpd; ignored",
        "note: head-led-school: no version in force yet; the first takes effect on 2999-09-01",
    ]


def test_the_policy_directory_is_read_from_cpd_policy_dir() -> None:
    settings = Settings.from_env({"CPD_POLICY_DIR": "/etc/cpd/policies"})
    assert settings.policy_dir == Path("/etc/cpd/policies")
    assert Settings.from_env({}).policy_dir is None


def test_the_service_refuses_an_invalid_directory_with_the_same_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, "head-led.toml", head_led(executive='"sometimes"', extra="[money]\nx = 1"))
    assert main(["policy", "check", str(tmp_path)]) == 2
    printed = capsys.readouterr().err.splitlines()[:-1]  # without the count line
    with pytest.raises(PolicySetsInvalid) as refused:
        load_policy_library(tmp_path, None)
    assert str(refused.value).splitlines() == printed
    assert len(printed) == 2


def test_the_service_loads_the_examples_beside_the_default(tmp_path: Path) -> None:
    library = load_policy_library(EXAMPLES, None)
    assert sorted(s.id for s in library) == [
        "default",
        "elston-hall-trust",
        "example-school",
        "first-steps-together",
        "severnbanks",
        "walmley-infant",
    ]


def test_cpd_serve_refuses_an_invalid_directory_printing_what_the_check_prints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    policies = tmp_path / "policies"
    write(policies, "head-led.toml", head_led(executive='"sometimes"', extra="[money]\nx = 1"))
    assert main(["policy", "check", str(policies)]) == 2
    checked = capsys.readouterr().err.splitlines()
    monkeypatch.setenv("CPD_POLICY_DIR", str(policies))

    assert main(["serve", "--data-dir", str(tmp_path / "data"), "--port", "0"]) == 2

    assert capsys.readouterr().err.splitlines() == checked
    assert not (tmp_path / "data").exists()  # refused before anything started


async def test_the_service_does_not_start_on_an_invalid_directory(tmp_path: Path) -> None:
    write(tmp_path / "policies", "head-led.toml", head_led(executive='"sometimes"'))
    settings = Settings(data_dir=tmp_path / "data", policy_dir=tmp_path / "policies")
    service = Service(settings)
    with pytest.raises(PolicySetsInvalid, match=r"approval\.executive: must be one of"):
        await service.start()
