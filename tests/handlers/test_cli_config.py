"""`cpd config show`, and a bad setting met by any command: one line, exit 2, no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from handlers.cli import main
from handlers.settings import Settings

CPD = [sys.executable, "-m", "handlers.cli"]


@pytest.fixture
def working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in Settings.model_fields:
        monkeypatch.delenv(f"CPD_{name.upper()}", raising=False)
    return tmp_path


def show(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["config", "show", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_config_show_lists_every_setting_its_value_and_where_it_came_from(
    working_directory: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (working_directory / ".env").write_text("CPD_PORT=8100\nCPD_LINK_DAYS=20\n")
    monkeypatch.setenv("CPD_PORT", "8200")

    code, out, _ = show(capsys)

    assert code == 0
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines()[1:]}
    assert set(rows) == {f"CPD_{name.upper()}" for name in Settings.model_fields}
    assert rows["CPD_PORT"] == ["8200", "environment"]
    assert rows["CPD_LINK_DAYS"] == ["20", ".env"]
    assert rows["CPD_HOST"] == ["127.0.0.1", "default"]
    assert rows["CPD_POLICY_DIR"] == ["-", "default"]


def test_config_show_masks_passwords_and_keys(
    working_directory: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (working_directory / ".env").write_text("CPD_SMTP_URL=smtps://cpd:swordfish@mail:465\n")
    monkeypatch.setenv("CPD_BROKER_URL", "amqp://cpd-workflow:hunter2@rabbit:5672/cpd")
    monkeypatch.setenv("CPD_API_KEY", "cpd_0123456789")
    monkeypatch.setenv("CPD_OIDC_ISSUER", "https://login.example/tenant/v2.0")
    monkeypatch.setenv("CPD_OIDC_AUDIENCE", "cpd-workflow")
    monkeypatch.setenv("CPD_OIDC_JWKS_URL", "https://login.example/keys")

    code, out, _ = show(capsys, "--format", "json")

    assert code == 0
    shown = json.loads(out)
    assert shown["CPD_BROKER_URL"] == {
        "value": "amqp://cpd-workflow:***@rabbit:5672/cpd",
        "from": "environment",
    }
    assert shown["CPD_SMTP_URL"] == {"value": "smtps://cpd:***@mail:465", "from": ".env"}
    assert shown["CPD_API_KEY"] == {"value": "***", "from": "environment"}
    assert shown["CPD_OIDC_JWKS_URL"]["value"] == "https://login.example/keys"  # not secret
    assert shown["CPD_PORT"] == {"value": 8000, "from": "default"}
    assert shown["CPD_POLICY_DIR"] == {"value": None, "from": "default"}
    for secret in ("swordfish", "hunter2", "0123456789"):
        assert secret not in out


COMMANDS_READING_SETTINGS = [
    ["config", "show"],
    ["serve"],
    ["keys", "list"],
    ["notifications"],
    ["budget", "show", "S-WALMLEY"],
    ["compliance"],
    ["directory", "import", "staff.csv"],
]


@pytest.mark.parametrize("command", COMMANDS_READING_SETTINGS, ids=" ".join)
def test_a_bad_setting_stops_any_command_with_one_line_naming_it(
    command: list[str],
    working_directory: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("CPD_MAIL_MAX_ATTEMPTS", "lots")

    assert main(command) == 2

    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        "cpd: configuration error: CPD_MAIL_MAX_ATTEMPTS: must be a whole number from 1 to 50,"
        " got 'lots'"
    ]
    assert not (working_directory / "cpd-data").exists()


def test_cpd_serve_refuses_a_bad_value_in_the_env_file_before_starting(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("CPD_LOG_LEVEL=chatty\n")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CPD_")}

    result = subprocess.run(
        [*CPD, "serve"], cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "cpd: configuration error: CPD_LOG_LEVEL: must be one of DEBUG, INFO, WARNING, ERROR,"
        " CRITICAL, got 'chatty'"
    ]
    assert not (tmp_path / "cpd-data").exists()


def test_a_data_directory_that_cannot_be_one_is_a_configuration_error(
    working_directory: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (working_directory / "a-file").write_text("")
    monkeypatch.setenv("CPD_DATA_DIR", str(working_directory / "a-file"))

    assert main(["serve"]) == 2
    assert main(["keys", "list", "--data-dir", str(working_directory / "a-file" / "x")]) == 2

    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("cpd: configuration error: CPD_DATA_DIR: cannot use ")
    assert lines[1].startswith("cpd: configuration error: --data-dir: cannot use ")
    assert len(lines) == 2
