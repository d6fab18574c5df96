"""The questions a form asks, and how a posted answer is checked.

One description serves the page (label, hint, kind of input) and the check, so what the
page asks and what the service accepts cannot drift apart. Messages say what to do, in
the words a member of support staff would use.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from schemas.limits import MAX_TEXT_CHARS

Kind = Literal["rating", "line", "text", "yes_no", "date"]
RATING_WORDS = ("Poor", "Fair", "Good", "Very good", "Excellent")
IMPACT_WORDS = ("No difference", "A little", "Some", "A lot", "A great deal")


@dataclass(frozen=True)
class Field:
    name: str  # the form field, and the key of the answer in the event's data
    kind: Kind  # line: one line of text; text: a box for a few sentences
    label: str
    hint: str | None = None
    required: bool = True
    scale: tuple[str, ...] = RATING_WORDS  # rating only: the words for 1 to 5
    missing: str | None = None  # what to say when a required answer is left out

    @property
    def choices(self) -> list[tuple[str, str]]:
        """(value, words) of each radio button."""
        if self.kind == "rating":
            return [(str(n), f"{n} ({w})") for n, w in enumerate(self.scale, start=1)]
        if self.kind == "yes_no":
            return [("yes", "Yes"), ("no", "No")]
        return []

    @property
    def first_input(self) -> str:
        """The id an error message links to: the field, or its first radio button."""
        return f"{self.name}-{self.choices[0][0]}" if self.choices else self.name


@dataclass(frozen=True)
class Checked:
    data: dict[str, Any]  # the answers, ready for the event's `data`
    errors: dict[str, str]  # field name -> what to do about it
    values: dict[str, str]  # what was typed, to show again beside the errors


def check(fields: Sequence[Field], form: Mapping[str, str], today: date) -> Checked:
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}
    values = {f.name: form.get(f.name, "") for f in fields}
    for field in fields:
        raw = values[field.name].strip()
        if not raw:
            if field.required:
                errors[field.name] = field.missing or _missing(field)
            continue
        try:
            data[field.name] = _value(field, raw, today)
        except ValueError as error:
            errors[field.name] = str(error)
    return Checked(data, errors, values)


def _missing(field: Field) -> str:
    if field.kind in ("rating", "yes_no"):
        return f"Choose an answer to: {field.label}"
    if field.kind == "date":
        return "Enter a date, for example 14/03/2027"
    return f"Enter an answer to: {field.label}"


def _value(field: Field, raw: str, today: date) -> Any:
    if field.kind == "rating":
        if raw not in {"1", "2", "3", "4", "5"}:
            raise ValueError("Choose a number from 1 to 5")
        return int(raw)
    if field.kind == "yes_no":
        if raw not in {"yes", "no"}:
            raise ValueError("Choose Yes or No")
        return raw == "yes"
    if field.kind == "date":
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            raise ValueError("Enter a real date, for example 14/03/2027") from None
        if day > today:
            raise ValueError("The date cannot be in the future")
        return day.isoformat()
    if len(raw) > MAX_TEXT_CHARS:
        raise ValueError(f"Keep this under {MAX_TEXT_CHARS:,} characters (it has {len(raw):,})")
    return raw
