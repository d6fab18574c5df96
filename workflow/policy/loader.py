"""Reading a policy directory: the one module of workflow.policy that touches files.

A directory holds one TOML file per policy-set version; several versions of one set sit
side by side as files with the same `id`. Everything wrong is collected and reported at
once, one line per problem, so whoever edits the files fixes them in one pass.
"""

from __future__ import annotations

import difflib
import itertools
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ValidationError

from workflow.policy.defaults import DEFAULT_POLICY_ID
from workflow.policy.policy_set import PolicySet
from workflow.policy.problems import PolicyProblem, PolicySetsInvalid, problems_from

SECTIONS = [n for n, f in PolicySet.model_fields.items() if not f.exclude]


@dataclass(frozen=True)
class LoadedPolicies:
    sets: tuple[PolicySet, ...]
    notes: tuple[PolicyProblem, ...]  # not errors: e.g. a section this version ignores


def load_policy_dir(directory: Path) -> LoadedPolicies:
    """Every policy set in `directory`, or PolicySetsInvalid listing every problem."""
    if not directory.is_dir():
        raise PolicySetsInvalid([PolicyProblem(str(directory), "", "not a directory")])
    files = sorted(p for p in directory.glob("*.toml") if not p.name.startswith("."))
    if not files:
        raise PolicySetsInvalid([PolicyProblem(str(directory), "", "no policy files (*.toml)")])
    sets, problems, notes = [], [], []
    for path in files:
        policy_set, file_problems, file_notes = read_policy_file(path)
        problems += file_problems
        notes += file_notes
        if policy_set is not None:
            sets.append(policy_set)
    problems += _versions_side_by_side(sets)
    if problems:
        raise PolicySetsInvalid(problems)
    return LoadedPolicies(tuple(sets), tuple(notes))


def read_policy_file(
    path: Path,
) -> tuple[PolicySet | None, list[PolicyProblem], list[PolicyProblem]]:
    """One file: (the set or None, its problems, its notes)."""
    name = path.name
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        return None, [PolicyProblem(name, "", f"cannot be read: {error}")], []
    except tomllib.TOMLDecodeError as error:
        return None, [PolicyProblem(name, "", f"not valid TOML: {error}")], []
    rules, problems, notes = _known_sections(data, name)
    try:
        policy_set = PolicySet.model_validate({**rules, "source": name})
    except ValidationError as error:
        problems += problems_from(error, name, PolicySet)
        policy_set = None
    problems += _beyond_the_model(data, name)
    return (None if problems else policy_set), problems, notes


def _known_sections(
    data: dict[str, Any], name: str
) -> tuple[dict[str, Any], list[PolicyProblem], list[PolicyProblem]]:
    """Split the top level into what this version reads and what it leaves alone.

    Keys inside a known section are refused when unknown (sections.py says why). A whole
    unknown *section* is only noted: other programs write these files, later issues add
    sections ("add more as needed"), and a file carrying a section for a newer release
    should not stop this one. A name close to a known one is a typo, though, and refused,
    as is any unknown top-level key that is not a table (the header keys are fixed).
    """
    rules: dict[str, Any] = {}
    problems, notes = [], []
    for key, value in data.items():
        if key in SECTIONS:
            rules[key] = value
            continue
        near = difflib.get_close_matches(key, SECTIONS, n=1, cutoff=0.75)
        if near or not isinstance(value, dict):
            hint = f"did you mean {near[0]}?" if near else f"known: {', '.join(SECTIONS)}"
            problems.append(PolicyProblem(name, key, f"unknown key ({hint})"))
        else:
            notes.append(
                PolicyProblem(name, key, "section not known to this version of cpd; ignored")
            )
    return rules, problems, notes


def _beyond_the_model(data: dict[str, Any], name: str) -> list[PolicyProblem]:
    """Checks pydantic does not make; run on the raw file so they are reported together
    with the model's problems."""
    problems = []
    if data.get("id") == DEFAULT_POLICY_ID:
        problems.append(
            PolicyProblem(name, "id", "default is the shipped set's id; choose another")
        )
    follow_ups = data.get("follow_ups")
    zone = follow_ups.get("timezone") if isinstance(follow_ups, dict) else None
    if isinstance(zone, str):
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            unknown = f'is not a time zone this machine knows, e.g. "Europe/London" (got "{zone}")'
            problems.append(PolicyProblem(name, "follow_ups.timezone", unknown))
    return problems


def _versions_side_by_side(sets: list[PolicySet]) -> list[PolicyProblem]:
    """Versions of one set must be distinct, and a later version must not take effect
    before an earlier one, or the earlier one would never govern a request."""
    problems: list[PolicyProblem] = []
    by_id: dict[str, list[PolicySet]] = {}
    for policy_set in sets:
        by_id.setdefault(policy_set.id, []).append(policy_set)
    for versions in by_id.values():
        versions.sort(key=lambda s: s.version)
        for earlier, later in itertools.pairwise(versions):
            where = str(later.source)
            if later.version == earlier.version:
                twice = f"{later.name} is also defined in {earlier.source}"
                problems.append(PolicyProblem(where, "version", twice))
            elif later.effective_from < earlier.effective_from:
                problems.append(
                    PolicyProblem(where, "effective_from", _never_governs(earlier, later))
                )
    return problems


def _never_governs(earlier: PolicySet, later: PolicySet) -> str:
    return (
        f"{later.name} takes effect on {later.effective_from}, before {earlier.name}"
        f" ({earlier.effective_from}, {earlier.source}), which would then never govern a request"
    )
