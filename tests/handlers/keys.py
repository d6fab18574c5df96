"""API keys for tests, made by the code behind `cpd keys` (tests/handlers/test_cli_keys.py
runs the command itself)."""

from __future__ import annotations

import io
from pathlib import Path

from handlers import cli_keys
from handlers.settings import Settings


def make_key(data_dir: Path, name: str, *scopes: str, as_staff_id: str | None = None) -> str:
    """The key `cpd keys create` printed (its only line on stdout)."""
    # Own streams, not a redirected sys.stdout: a background thread's print would mix in.
    out, err = io.StringIO(), io.StringIO()
    database = Settings(data_dir=data_dir).database_path
    code = cli_keys.create(database, name, list(scopes), as_staff_id, out, err)
    assert code == 0, err.getvalue()
    return out.getvalue().strip()


def revoke_key(data_dir: Path, name: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert cli_keys.revoke(Settings(data_dir=data_dir).database_path, name, out, err) == 0


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}
