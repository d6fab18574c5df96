"""`cpd policy check DIR`: is a policy directory usable, and what does each set say?"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TextIO

import click

from schemas.inbound import ActivityType
from workflow.policy import ALL_ACTIVITY_TYPES, PolicySet, PolicySetsInvalid, load_policy_dir
from workflow.policy.vocabulary import in_enum_order

INVALID = 2  # the exit code `cpd serve` uses for a configuration error


@click.group(help="policy sets (CPD_POLICY_DIR)")
def policy() -> None:
    pass


@policy.command("check", help="validate a policy directory\n\nDIR: policy-set TOML files")
@click.argument("dir", type=click.Path(path_type=Path))
def check_command(dir: Path) -> None:
    click.get_current_context().exit(check_policy_dir(dir, sys.stdout, sys.stderr))


def check_policy_dir(directory: Path, out: TextIO, err: TextIO) -> int:
    try:
        loaded = load_policy_dir(directory)
    except PolicySetsInvalid as error:
        report_problems(error, directory, err)
        return INVALID
    for policy_set in loaded.sets:
        print(f"{policy_set.source}: {summary(policy_set)}", file=out)
    for note in loaded.notes:
        print(f"note: {note}", file=out)
    for policy_id, first in _not_yet_in_force(loaded.sets, date.today()).items():
        print(
            f"note: {policy_id}: no version in force yet; the first takes effect on {first}",
            file=out,
        )
    return 0


def report_problems(error: PolicySetsInvalid, directory: Path, err: TextIO) -> None:
    """Every problem, one a line as `file: key: problem`, then how many; `cpd serve`
    prints the same lines when it refuses to start on the directory."""
    for problem in error.problems:
        print(problem, file=err)
    count = len(error.problems)
    print(f"cpd policy check: {count} problem{'s' * (count != 1)} in {directory}", file=err)


def _not_yet_in_force(sets: tuple[PolicySet, ...], today: date) -> dict[str, date]:
    """Sets a school could not use today: its requests would be refused until the date."""
    first: dict[str, date] = {}
    for s in sets:
        first[s.id] = min(first.get(s.id, s.effective_from), s.effective_from)
    return {policy_id: day for policy_id, day in first.items() if day > today}


def summary(s: PolicySet) -> str:
    executive: str = s.approval.executive
    if executive == "above":
        executive = f"above £{s.approval.executive_above_gbp:,.2f}"
    disseminated = _types(s.dissemination.required_for)
    if s.dissemination.required_above_gbp is not None:
        disseminated += f", or anything over £{s.dissemination.required_above_gbp:,.2f}"
    parts = [
        f"executive {executive}",
        f"booked centrally: {_types(s.booking.required_for)}",
        f"disseminated: {disseminated}",
    ]
    if s.repayment.enabled:
        parts.append(f"repayment over {s.repayment.months} months")
    return f'{s.name} from {s.effective_from} "{s.title}": ' + "; ".join(parts)


def _types(types: frozenset[ActivityType]) -> str:
    if types == ALL_ACTIVITY_TYPES:
        return "every activity type"
    return ", ".join(in_enum_order(types)) or "nothing"
