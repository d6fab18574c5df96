"""A database written by a newer release is refused, never opened or changed: at service
start, and by every command that opens the file, with both schema numbers in one line."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from handlers.cli import main
from handlers.service import Service
from handlers.settings import Settings
from workflow.store._migrations import MIGRATIONS
from workflow.store.schema import SchemaTooNew, refusal

NEWER = len(MIGRATIONS) + 7


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data directory whose database a release seven migrations ahead has written."""
    (tmp_path / "data").mkdir(mode=0o700)
    with closing(sqlite3.connect(tmp_path / "data" / "cpd.sqlite3")) as db:
        db.execute("CREATE TABLE from_the_future (x)")
        db.execute(f"PRAGMA user_version = {NEWER}")
        db.commit()
    return tmp_path / "data"


def _schema(data_dir: Path) -> int:
    with closing(sqlite3.connect(data_dir / "cpd.sqlite3")) as db:
        return int(db.execute("PRAGMA user_version").fetchone()[0])


EXPECTED = (
    f"this database is at schema {NEWER}, newer than this version of cpd-workflow knows"
    f" ({len(MIGRATIONS)}): upgrade cpd-workflow or restore a backup"
)


async def test_the_service_refuses_to_start_on_it_and_leaves_it_as_it_was(data_dir: Path) -> None:
    service = Service(Settings(data_dir=data_dir))

    with pytest.raises(SchemaTooNew) as refused:
        await service.start()

    assert str(refused.value) == EXPECTED
    assert _schema(data_dir) == NEWER
    assert not service.lock.held


def test_a_command_can_ask_before_it_starts_anything(data_dir: Path, tmp_path: Path) -> None:
    database = data_dir / "cpd.sqlite3"

    assert refusal(database) == f"{database}: {EXPECTED}"
    assert refusal(tmp_path / "none-yet.sqlite3") is None


@pytest.mark.parametrize(
    "command",
    [["keys", "list"], ["notifications"], ["serve", "--port", "0"]],
    ids=["keys", "notifications", "serve"],
)
def test_a_command_refuses_it_with_exit_2_and_one_line(
    data_dir: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*command, "--data-dir", str(data_dir)]) == 2

    assert capsys.readouterr().err.splitlines() == [f"cpd: {data_dir / 'cpd.sqlite3'}: {EXPECTED}"]
    assert _schema(data_dir) == NEWER
