"""What `cpd backup` and `cpd restore` refuse, with exit 2 and one line, touching nothing;
a backup of a stopped service, of its configuration, and of one on an external broker."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner, Result

from handlers.cli_backup import backup, restore
from handlers.settings import Settings
from tests.lifecycle import lifecycle, post_directory
from tests.live_server import running
from workflow.store._migrations import MIGRATIONS, migrate_connection


def cpd(command: Any, *args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner(env=env).invoke(command, list(args), catch_exceptions=False)


def data_directory(path: Path, schema: int | None = None) -> Path:
    """A data directory as a stopped service left it (no broker store): its database."""
    path.mkdir(mode=0o700)
    with closing(sqlite3.connect(path / "cpd.sqlite3", isolation_level=None)) as db:
        migrate_connection(db)
        if schema is not None:
            db.execute(f"PRAGMA user_version = {schema}")
    (path / "link-secret").write_text("s3cret\n")
    return path


@pytest.fixture
def taken(tmp_path: Path) -> Path:
    data_directory(tmp_path / "a")
    assert cpd(backup, str(tmp_path / "backup"), "--data-dir", str(tmp_path / "a")).exit_code == 0
    return tmp_path / "backup"


def test_a_directory_a_service_is_using_is_refused_with_no_override(
    taken: Path, tmp_path: Path
) -> None:
    with running(lambda _url: Settings(data_dir=tmp_path / "b")) as live:
        refused = cpd(restore, str(taken), "--data-dir", str(tmp_path / "b"), "--force")
        assert httpx.get(f"{live.url}/health", timeout=15).status_code == 200

    assert refused.exit_code == 2
    assert f"pid {os.getpid()}" in refused.output
    assert str(tmp_path / "b" / "cpd-serve.lock") in refused.output
    assert refused.output.count("\n") == 1 and "nothing was restored" in refused.output


def test_a_directory_that_is_not_empty_needs_force(taken: Path, tmp_path: Path) -> None:
    data_directory(tmp_path / "b")
    (tmp_path / "b" / "link-secret").write_text("another\n")

    refused = cpd(restore, str(taken), "--data-dir", str(tmp_path / "b"))
    assert refused.exit_code == 2 and "is not empty" in refused.output
    assert (tmp_path / "b" / "link-secret").read_text() == "another\n"

    forced = cpd(restore, str(taken), "--data-dir", str(tmp_path / "b"), "--force")
    assert forced.exit_code == 0, forced.output
    assert (tmp_path / "b" / "link-secret").read_text() == "s3cret\n"


def test_force_removes_nothing_from_a_directory_that_is_not_a_data_directory(
    taken: Path, tmp_path: Path
) -> None:
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "thesis.odt").write_text("years of work")

    refused = cpd(restore, str(taken), "--data-dir", str(tmp_path / "home"), "--force")

    assert refused.exit_code == 2 and "thesis.odt" in refused.output
    assert (tmp_path / "home" / "thesis.odt").read_text() == "years of work"


def test_a_damaged_backup_is_refused_naming_the_file(taken: Path, tmp_path: Path) -> None:
    with (taken / "data" / "cpd.sqlite3").open("r+b") as file:
        file.seek(200)
        file.write(b"\x00\xff")

    refused = cpd(restore, str(taken), "--data-dir", str(tmp_path / "b"))

    assert refused.exit_code == 2
    assert "data/cpd.sqlite3" in refused.output and "SHA-256 differs" in refused.output
    assert not (tmp_path / "b").exists()


def test_a_backup_from_a_newer_schema_is_refused_with_both_versions(
    taken: Path, tmp_path: Path
) -> None:
    manifest = json.loads((taken / "manifest.json").read_text())
    manifest["schema_version"] = len(MIGRATIONS) + 3
    (taken / "manifest.json").write_text(json.dumps(manifest))

    refused = cpd(restore, str(taken), "--data-dir", str(tmp_path / "b"))

    assert refused.exit_code == 2
    assert f"schema {len(MIGRATIONS) + 3}, newer" in refused.output
    assert f"knows ({len(MIGRATIONS)})" in refused.output


def test_a_directory_that_is_no_backup_is_refused(tmp_path: Path) -> None:
    (tmp_path / "photos").mkdir()

    refused = cpd(restore, str(tmp_path / "photos"), "--data-dir", str(tmp_path / "b"))

    assert refused.exit_code == 2 and "has no manifest.json" in refused.output


def test_backup_refuses_a_destination_in_use_no_database_and_a_newer_schema(
    taken: Path, tmp_path: Path
) -> None:
    again = cpd(backup, str(taken), "--data-dir", str(tmp_path / "a"))
    assert again.exit_code == 2 and "is not an empty directory" in again.output

    nothing = cpd(backup, str(tmp_path / "b2"), "--data-dir", str(tmp_path / "none"))
    assert nothing.exit_code == 2 and "no database at" in nothing.output

    data_directory(tmp_path / "future", schema=len(MIGRATIONS) + 1)
    newer = cpd(backup, str(tmp_path / "b3"), "--data-dir", str(tmp_path / "future"))
    assert newer.exit_code == 2 and "newer than this version" in newer.output
    assert not (tmp_path / "b3").exists() and not list(tmp_path.glob(".b3.partial-*"))


def test_the_configuration_the_settings_name_is_copied_and_listed(tmp_path: Path) -> None:
    data_directory(tmp_path / "a")
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "academy.toml").write_text("# a policy set\n")
    (tmp_path / "terms.json").write_text("{}\n")
    env = {
        "CPD_POLICY_DIR": str(tmp_path / "policies"),
        "CPD_TERM_DATES": str(tmp_path / "terms.json"),
    }

    taken = cpd(backup, str(tmp_path / "backup"), "--data-dir", str(tmp_path / "a"), env=env)

    assert taken.exit_code == 0, taken.output
    root = tmp_path / "backup"
    assert (root / "config/policy_dir/academy.toml").read_text() == "# a policy set\n"
    assert (root / "config/term_dates/terms.json").read_text() == "{}\n"
    manifest = json.loads((root / "manifest.json").read_text())
    assert [c["setting"] for c in manifest["configuration"]] == ["CPD_POLICY_DIR", "CPD_TERM_DATES"]
    restored = cpd(restore, str(root), "--data-dir", str(tmp_path / "b"))
    assert f"was {tmp_path / 'policies'}" in restored.output


def test_on_an_external_broker_the_unapplied_messages_stay_with_it(tmp_path: Path) -> None:
    data_directory(tmp_path / "a")
    env = {"CPD_BROKER_URL": "nats://127.0.0.1:4222"}

    taken = cpd(backup, str(tmp_path / "backup"), "--data-dir", str(tmp_path / "a"), env=env)

    assert taken.exit_code == 0, taken.output
    unapplied = json.loads((tmp_path / "backup" / "manifest.json").read_text())["unapplied"]
    assert (unapplied["broker"], unapplied["messages"]) == ("external", 0)
    assert "stay with the broker" in unapplied["note"]


def test_a_stopped_service_s_unapplied_messages_are_backed_up_and_applied_after_restore(
    tmp_path: Path,
) -> None:
    with running(lambda _url: Settings(data_dir=tmp_path / "a")) as live:
        post_directory(live.url)
        live.run(live.service.broker.stop_consuming())
        submitted = lifecycle("REQ-LEFT")[0]
        assert httpx.post(f"{live.url}/events", json=submitted, timeout=15).status_code == 202

    taken = cpd(backup, str(tmp_path / "backup"), "--data-dir", str(tmp_path / "a"))
    assert taken.exit_code == 0, taken.output
    assert "unapplied    1 messages" in taken.output
    assert cpd(restore, str(tmp_path / "backup"), "--data-dir", str(tmp_path / "b")).exit_code == 0
    with running(lambda _url: Settings(data_dir=tmp_path / "b")) as again:
        approved = lifecycle("REQ-LEFT")[1]
        answer = httpx.post(f"{again.url}/events?wait=true", json=approved, timeout=15)
        assert answer.status_code == 200, answer.text
        assert answer.json()["request"]["state"] == "head_approved"
    # The backup held the directory only while it read it: a service may start there again.
    with running(lambda _url: Settings(data_dir=tmp_path / "a")) as restarted:
        answer = httpx.post(f"{restarted.url}/events?wait=true", json=approved, timeout=15)
        assert answer.status_code == 200, answer.text


def test_the_restored_files_are_the_service_user_s_alone(taken: Path, tmp_path: Path) -> None:
    restored = cpd(restore, str(taken), "--data-dir", str(tmp_path / "b"))

    assert restored.exit_code == 0, restored.output
    assert stat.S_IMODE((tmp_path / "b").stat().st_mode) == 0o700
    for name in ("cpd.sqlite3", "link-secret"):
        assert stat.S_IMODE((tmp_path / "b" / name).stat().st_mode) == 0o600, name
