"""The files under deploy/: systemd units that `systemd-analyze verify` accepts, and an
example environment file naming every setting the service reads and nothing else."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from handlers.settings import Settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
UNITS = ("cpd-workflow.service", "cpd-backup.service", "cpd-backup.timer")
INSTALLED_CPD = "/opt/cpd-workflow/.venv/bin/cpd"
SETTING = re.compile(r"^#?\s*(CPD_[A-Z0-9_]+)=(.*)$")


def _example() -> dict[str, tuple[str, bool]]:
    """Each variable the example names: its value, and whether it is set (not commented)."""
    named: dict[str, tuple[str, bool]] = {}
    for line in (DEPLOY / "cpd-workflow.env.example").read_text().splitlines():
        if match := SETTING.match(line):
            assert match[1] not in named, f"{match[1]} appears twice"
            named[match[1]] = (match[2], not line.startswith("#"))
    return named


def test_systemd_analyze_verify_accepts_the_units(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed here (Debian: apt-get install systemd)")
    # verify checks that ExecStart's program exists and is executable: the copies run this
    # checkout's `cpd` in place of the one installed under /opt.
    here = str(Path(sys.executable).parent / "cpd")
    for name in UNITS:
        text = (DEPLOY / name).read_text()
        (tmp_path / name).write_text(text.replace(INSTALLED_CPD, here))

    checked = subprocess.run(
        [analyze, "verify", "--man=no", *UNITS],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert checked.returncode == 0, checked.stderr
    # It only warns of an unknown key or a value it cannot read: those count too.
    complaints = [line for line in checked.stderr.splitlines() if str(tmp_path) in line]
    assert complaints == []


def test_the_service_runs_cpd_serve_with_the_example_settings_and_writes_only_its_data() -> None:
    unit = (DEPLOY / "cpd-workflow.service").read_text()
    data_dir = _example()["CPD_DATA_DIR"][0]

    assert f"ExecStart={INSTALLED_CPD} serve" in unit.splitlines()
    assert "EnvironmentFile=/etc/cpd-workflow/cpd-workflow.env" in unit.splitlines()
    assert f"ReadWritePaths={data_dir}" in unit.splitlines()
    assert "ProtectSystem=strict" in unit.splitlines()
    assert "KillSignal=SIGTERM" in unit.splitlines()


def test_the_backup_runs_cpd_backup_with_the_same_settings() -> None:
    unit = (DEPLOY / "cpd-backup.service").read_text()

    assert f"{INSTALLED_CPD} backup " in unit
    assert "EnvironmentFile=/etc/cpd-workflow/cpd-workflow.env" in unit.splitlines()


def test_the_example_environment_names_every_setting_and_only_settings() -> None:
    named = set(_example())

    settings = {f"CPD_{name.upper()}" for name in Settings.model_fields}
    assert named - settings == set(), "the example names settings that do not exist"
    assert settings - named == set(), "settings missing from the example"


def test_the_settings_the_example_sets_are_valid_as_they_stand() -> None:
    given = {name: value for name, (value, set_) in _example().items() if set_}

    settings = Settings.from_env(given)

    assert str(settings.data_dir) == "/var/lib/cpd-workflow"
