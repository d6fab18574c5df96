"""Why an inbound body is refused."""

from __future__ import annotations

from typing import Any


class InvalidEvent(ValueError):
    """Why an inbound body is not an event we accept, as a JSON-ready list of problems.

    `malformed` means the body is not a JSON object at all (the HTTP edge answers 400);
    otherwise it is JSON that breaks the contract or a limit (422).
    """

    def __init__(
        self, message: str, problems: list[dict[str, Any]] | None = None, *, malformed: bool = False
    ) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []
        self.malformed = malformed


def problem(loc: tuple[Any, ...] | list[Any], msg: str, kind: str) -> dict[str, Any]:
    return {"loc": [str(part) for part in loc], "msg": msg, "type": kind}
