"""Reading a directory CSV file into `staff.upserted` CloudEvents, one per row.

Line numbers count the header as line 1 and are the line a row starts on. A row's event id
is the run id with its line number, so a retried run (same run id) resumes without
doubling anything, and a new run always applies.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HEADER = [
    "staff_id",
    "name",
    "email",
    "school_id",
    "roles",
    "line_manager_id",
    "is_ect",
    "contract",
    "started_on",
]
IMPORT_SOURCE = "urn:cpd-workflow:directory-import"


class UnreadableFile(Exception):
    """The file cannot be read as a directory file at all (exit code 2)."""


@dataclass(frozen=True)
class Row:
    line: int
    staff_id: str
    event: dict[str, Any] | None  # None: the row itself is malformed
    problem: str | None = None


def read_rows(path: Path, run_id: str, actor: str) -> list[Row]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as file:
            return _rows(csv.reader(file), run_id, actor)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise UnreadableFile(f"cannot read {path}: {error}") from error


def _rows(reader: Any, run_id: str, actor: str) -> list[Row]:
    header = [cell.strip() for cell in next(reader, [])]
    if header != HEADER:
        raise UnreadableFile(
            f"line 1 must be the header {','.join(HEADER)} (got {','.join(header) or 'nothing'})"
        )
    rows: list[Row] = []
    time = datetime.now(UTC).isoformat()
    while True:
        line = reader.line_num + 1
        cells = next(reader, None)
        if cells is None:
            return rows
        if not any(cell.strip() for cell in cells):
            continue  # a blank line
        staff_id = cells[0].strip()
        if len(cells) != len(HEADER):
            problem = f"expected {len(HEADER)} columns, got {len(cells)}"
            rows.append(Row(line, staff_id, None, problem))
            continue
        rows.append(Row(line, staff_id, _event(cells, line, run_id, actor, time)))


def _event(cells: list[str], line: int, run_id: str, actor: str, time: str) -> dict[str, Any]:
    values = dict(zip(HEADER, (cell.strip() for cell in cells), strict=True))
    data: dict[str, Any] = {
        "staff_id": values["staff_id"],
        "name": values["name"],
        "email": values["email"],
        "school_id": values["school_id"],
        "roles": [role.strip() for role in values["roles"].split(";") if role.strip()],
        "contract": values["contract"],
        "started_on": values["started_on"],
    }
    if values["line_manager_id"]:
        data["line_manager_id"] = values["line_manager_id"]
    if values["is_ect"]:
        flag = values["is_ect"].lower()
        data["is_ect"] = {"true": True, "false": False}.get(flag, values["is_ect"])
    return {
        "specversion": "1.0",
        "id": f"{run_id}:{line}",
        "source": IMPORT_SOURCE,
        "type": "staff.upserted",
        "subject": values["staff_id"],
        "actor": actor,
        "time": time,
        "data": data,
    }


def new_run_id() -> str:
    import uuid

    return f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"
