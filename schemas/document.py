"""An inbound body decoded to plain JSON and held to schemas.limits before anything else.

Decoding uses pydantic-core's parser (jiter): it refuses invalid UTF-8 and lone UTF-16
surrogate escapes, and gives up at a fixed nesting depth instead of recursing without end,
so a hostile body can only ever end in InvalidEvent.
"""

from __future__ import annotations

import contextlib
import math
import re
from typing import Any

from pydantic_core import from_json

from schemas.errors import InvalidEvent, problem
from schemas.inbound import NO_CONTROL_CHARACTERS
from schemas.limits import (
    MAX_DEPTH,
    MAX_EVENT_BYTES,
    MAX_FIELDS,
    MAX_IDENTIFIER_CHARS,
    MAX_INTEGER,
    MAX_TEXT_CHARS,
)

OUTSIDE_LIMITS = "event is outside the inbound limits"
LONE_SURROGATE = "a string holds a lone UTF-16 surrogate (\\ud800-\\udfff without its pair)"
TOO_DEEP = f"objects and arrays are nested deeper than {MAX_DEPTH} levels"
# jiter's words for failures that are a limit rather than broken JSON (tests pin them).
_JITER_LIMITS = {
    "lone leading surrogate in hex escape": ("lone_surrogate", LONE_SURROGATE),
    "unexpected end of hex escape": ("lone_surrogate", LONE_SURROGATE),
    "recursion limit exceeded": ("too_deep", TOO_DEEP),  # jiter's own limit, far past ours
    "number out of range": ("number_too_large", "a number is too large"),
}
_MAX_PROBLEMS = 10
_NO_CONTROL_CHARACTERS = re.compile(NO_CONTROL_CHARACTERS)


def decode(body: bytes | str) -> Any:
    """The JSON value of `body`, or InvalidEvent (`malformed` when it is not JSON at all)."""
    if isinstance(body, str):
        try:
            body = body.encode()
        except UnicodeEncodeError:
            raise refused([problem((), LONE_SURROGATE, "lone_surrogate")]) from None
    if len(body) > MAX_EVENT_BYTES:
        raise refused([problem((), f"the event is over {MAX_EVENT_BYTES} bytes", "too_large")])
    try:
        return from_json(body, allow_inf_nan=False)
    except ValueError as error:
        reason = str(error)
        for words, (kind, msg) in _JITER_LIMITS.items():
            if reason.startswith(words):
                where = "" if kind == "too_deep" else reason[len(words) :]
                raise refused([problem((), msg + where, kind)]) from None
        raise InvalidEvent(f"body is not valid JSON: {reason}", malformed=True) from None


def event_key(body: bytes) -> tuple[str | None, str | None]:
    """`source` and `id` of a message, where they can be read and stored safely; for keeping
    a refused message as a dead letter. Never raises, whatever the body."""
    try:
        document = decode(body)
    except InvalidEvent:
        return None, None
    if not isinstance(document, dict):
        return None, None
    return _identifier(document.get("source")), _identifier(document.get("id"))


def _identifier(value: Any) -> str | None:
    # decode() has refused lone surrogates already.
    if (
        isinstance(value, str)
        and 0 < len(value) <= MAX_IDENTIFIER_CHARS
        and _NO_CONTROL_CHARACTERS.fullmatch(value)
    ):
        return value
    return None


def limit_problems(document: dict[Any, Any]) -> list[dict[str, Any]]:
    """What in a decoded document breaks a limit: depth, field count, strings, numbers."""
    walk = _Walk()
    with contextlib.suppress(_Stop):
        walk.container(document, (), 1)
    return walk.problems


def refused(problems: list[dict[str, Any]]) -> InvalidEvent:
    """The InvalidEvent for limit problems, its message naming the first."""
    where = ".".join(problems[0]["loc"])
    return InvalidEvent(
        f"{OUTSIDE_LIMITS}: {where + ': ' if where else ''}{problems[0]['msg']}", problems
    )


class _Stop(Exception):
    """Enough is known to refuse the event: stop looking."""


class _Walk:
    """One pass over the document; recursion never goes deeper than MAX_DEPTH."""

    def __init__(self) -> None:
        self.fields = 0
        self.problems: list[dict[str, Any]] = []

    def container(self, value: Any, loc: tuple[Any, ...], depth: int) -> None:
        if depth > MAX_DEPTH:
            self.add(loc, TOO_DEEP, "too_deep")
            return
        self.fields += len(value)
        if self.fields > MAX_FIELDS:
            msg = f"the event has more than {MAX_FIELDS} fields (object members and array items)"
            self.add((), msg, "too_many_fields")
            raise _Stop
        is_object = isinstance(value, dict)
        for key, item in value.items() if is_object else enumerate(value):
            # Short ASCII names and strings, the bulk of any event, take the fast path.
            fast_name = type(key) is str and len(key) <= MAX_IDENTIFIER_CHARS and key.isascii()
            if is_object and not fast_name and not _good_name(key):
                self.add(loc, _name_problem(key), "bad_field_name")
                continue
            if type(item) is str and len(item) <= MAX_IDENTIFIER_CHARS and item.isascii():
                continue
            if isinstance(item, str):
                if len(item) > MAX_TEXT_CHARS:
                    msg = f"longer than {MAX_TEXT_CHARS} characters"
                    self.add((*loc, key), msg, "string_too_long")
                elif _has_surrogate(item):
                    self.add((*loc, key), LONE_SURROGATE, "lone_surrogate")
            elif isinstance(item, dict | list):
                self.container(item, (*loc, key), depth + 1)
            else:
                self.scalar(item, (*loc, key))

    def scalar(self, value: Any, loc: tuple[Any, ...]) -> None:
        if value is None or isinstance(value, bool):
            return
        if isinstance(value, int):
            if not -MAX_INTEGER <= value <= MAX_INTEGER:
                self.add(loc, f"integers must lie within ±{MAX_INTEGER}", "number_too_large")
        elif isinstance(value, float):
            if not math.isfinite(value):
                self.add(loc, "numbers must be finite", "number_not_finite")
        else:  # only a dict built in Python can hold anything else
            self.add(loc, f"{type(value).__name__} is not a JSON value", "not_json")

    def add(self, loc: tuple[Any, ...], msg: str, kind: str) -> None:
        self.problems.append(problem(loc, msg, kind))
        if len(self.problems) >= _MAX_PROBLEMS:
            raise _Stop


def _good_name(key: Any) -> bool:
    return (
        isinstance(key, str)
        and len(key) <= MAX_IDENTIFIER_CHARS
        and (key.isascii() or not _has_surrogate(key))
    )


def _name_problem(key: Any) -> str:
    if not isinstance(key, str):
        return f"field names must be strings, not {type(key).__name__}"
    if len(key) > MAX_IDENTIFIER_CHARS:
        return f"a field name is longer than {MAX_IDENTIFIER_CHARS} characters"
    return f"a field name: {LONE_SURROGATE}"


def _has_surrogate(text: str) -> bool:
    try:
        text.encode()
    except UnicodeEncodeError:
        return True
    return False
