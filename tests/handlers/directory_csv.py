"""A generated directory file: `count` staff rows, some of them bad, with the lines of those."""

from __future__ import annotations

from pathlib import Path

from handlers.directory_file import HEADER

ROLES = ["teacher", "teacher", "teacher", "support", "leadership;teacher", "cpd_lead;teacher"]
# What makes a row bad, and the words its refusal must contain.
BAD = [
    ("roles", "wizard", "roles"),
    ("email", "not-an-email", "email"),
    ("started_on", "31/02/2020", "started_on"),
    ("contract", "zero_hours", "contract"),
    ("staff_id", "", "subject"),
]


def write_directory(path: Path, count: int, bad_every: int = 97) -> dict[int, str]:
    """Write the file; returns {line number: the word its refusal names} for the bad rows."""
    lines, bad = [",".join(HEADER)], {}
    for n in range(count):
        line = n + 2  # the header is line 1
        row = {
            "staff_id": f"G-{n:05d}",
            "name": f"Person {n}",
            "email": f"person{n}@trust.example",
            "school_id": f"S-{n % 12:02d}",
            "roles": ROLES[n % len(ROLES)],
            "line_manager_id": f"G-{n // 10:05d}" if n % 10 else "",
            "is_ect": "true" if n % 17 == 0 else "false",
            "contract": "part_time" if n % 5 == 0 else "full_time",
            "started_on": "2020-09-01",
        }
        if n % bad_every == bad_every - 1:
            column, value, word = BAD[(n // bad_every) % len(BAD)]
            row[column] = value
            bad[line] = word
        lines.append(",".join(row[h] for h in HEADER))
    if count >= 3:  # one row with a column missing
        lines[2] = lines[2].rsplit(",", 1)[0]
        bad[3] = "columns"
    path.write_text("\n".join(lines) + "\n")
    return bad
