"""What is wrong with a policy file, one line per problem: file, key, problem."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails


@dataclass(frozen=True)
class PolicyProblem:
    file: str
    key: str  # dotted, as in the file: "approval.executive"; "" for the file as a whole
    problem: str

    def __str__(self) -> str:
        return (
            f"{self.file}: {self.key}: {self.problem}"
            if self.key
            else f"{self.file}: {self.problem}"
        )


class PolicySetsInvalid(ValueError):
    """The policy directory cannot be used; the message lists every problem, one a line."""

    def __init__(self, problems: Sequence[PolicyProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = tuple(problems)


def shown(value: Any) -> str:
    """A value as it would appear in the TOML file."""
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(shown(v) for v in value) + "]"
    return str(value)


def dotted(location: Iterable[int | str]) -> str:
    key = ""
    for part in location:
        key += f"[{part}]" if isinstance(part, int) else (f".{part}" if key else str(part))
    return key


def problems_from(error: ValidationError, file: str, model: type[BaseModel]) -> list[PolicyProblem]:
    return [PolicyProblem(file, dotted(e["loc"]), _describe(e, model)) for e in error.errors()]


_TYPE_WORDS = {
    "int_type": "a whole number",
    "bool_type": "true or false",
    "string_type": "text in quotes",
    "frozen_set_type": 'a list such as ["course", "conference"]',
    "model_type": "a table",
    "dict_type": "a table",
    "mapping_type": "a table",
}


def _describe(error: ErrorDetails, model: type[BaseModel]) -> str:
    kind, ctx, got = error["type"], error.get("ctx", {}), error.get("input")
    if kind == "missing":
        return "is missing"
    if kind == "extra_forbidden":
        return _unknown_key(error["loc"], model)
    if kind in ("literal_error", "enum"):
        options = ctx["expected"].replace("'", "").replace(" or ", ", ")
        return f"must be one of {options} (got {shown(got)})"
    if kind == "date_type":
        return f"must be a date such as 2026-09-01, written without quotes (got {shown(got)})"
    if kind in _TYPE_WORDS:
        return f"must be {_TYPE_WORDS[kind]} (got {shown(got)})"
    if kind in ("greater_than_equal", "less_than_equal"):
        bound = "at least" if kind == "greater_than_equal" else "at most"
        limit = ctx["ge"] if "ge" in ctx else ctx["le"]
        return f"must be {bound} {limit} (got {shown(got)})"
    if kind == "decimal_max_places":
        return f"must have at most 2 decimal places (got {shown(got)})"
    if kind == "string_pattern_mismatch":
        return f"must be lower-case letters, digits, - or _ (got {shown(got)})"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "value_error":
        reason = str(ctx.get("error", error["msg"]))
        # A whole table's own check (e.g. the evaluation questions) names what is wrong.
        return reason if got is None or isinstance(got, dict) else f"{reason} (got {shown(got)})"
    return f"{error['msg']} (got {shown(got)})"


def _unknown_key(location: tuple[int | str, ...], model: type[BaseModel]) -> str:
    known = _known_keys(model, location[:-1])
    near = difflib.get_close_matches(str(location[-1]), known, n=1)
    hint = f"did you mean {near[0]}?" if near else f"known here: {', '.join(known) or 'none'}"
    return f"unknown key ({hint})"


def _known_keys(model: type[BaseModel], path: tuple[int | str, ...]) -> list[str]:
    current: Any = model
    parts = list(path)
    while parts and isinstance(current, type) and issubclass(current, BaseModel):
        field = current.model_fields.get(str(parts.pop(0)))
        current = field.annotation if field else None
        if get_origin(current) in (Mapping, dict):  # a table of named entries, e.g. statutory
            current = get_args(current)[1]
            parts = parts[1:]
        elif get_origin(current) in (tuple, list):  # a list of tables, e.g. the questions
            current = get_args(current)[0]
            parts = parts[1:]
    if not (isinstance(current, type) and issubclass(current, BaseModel)):
        return []
    return [name for name, f in current.model_fields.items() if not f.exclude]
