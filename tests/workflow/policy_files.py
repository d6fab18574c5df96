"""Policy-set files for tests, written as a trust would write them."""

from __future__ import annotations

from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "policies"


def head_led(
    *,
    policy_id: str = "head-led-school",
    version: int = 1,
    effective_from: str = "2026-09-01",
    executive: str = '"never"',
    approval: str = "",
    dissemination: str = "",
    extra: str = "",
) -> str:
    """The issue's own example file, with the parts a test changes."""
    return f"""\
id = "{policy_id}"
version = {version}
effective_from = {effective_from}
title = "Single school, head teacher approves"
[approval]
executive = {executive}          # "always", "never", or "above"
executive_above_gbp = 500    # used when executive = "above"
{approval}
[booking]
required_for = ["course", "conference", "qualification"]   # activity types booked centrally
[dissemination]
required_for = ["course", "conference"]                    # activity types disseminated
{dissemination}
{extra}
"""


def write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path
