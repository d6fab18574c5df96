"""CloudEvents 1.0 in structured JSON mode: the envelope every event travels in."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from schemas.document import decode, limit_problems, refused
from schemas.errors import InvalidEvent, problem
from schemas.inbound import INBOUND_DATA, Identifier
from schemas.limits import EXTENSION_INTEGER_RANGE, MAX_EXTENSION_NAME_CHARS
from schemas.media_types import JSON, is_json

EXTENSION_NAME = re.compile(f"[a-z0-9]{{1,{MAX_EXTENSION_NAME_CHARS}}}")


class CloudEvent(BaseModel):
    """A CloudEvent as posted by another trust system; `source` + `id` make it unique."""

    model_config = ConfigDict(extra="allow")

    specversion: Literal["1.0"]
    id: Identifier
    source: Identifier
    type: Identifier
    time: datetime | None = None
    subject: Identifier = Field(
        description="The CPD request id the event is about; for a directory event the staff"
        " or school id (for a delegation, the delegator's staff id)."
    )
    datacontenttype: Literal["application/json"] = "application/json"
    actor: Identifier = Field(description="Extension attribute: the person or system acting.")
    data: dict[str, Any]

    @field_validator("datacontenttype", mode="before")
    @classmethod
    def json_with_parameters_is_json(cls, value: Any) -> Any:
        # `application/json; charset=utf-8` is the same data; kept as the bare type.
        if value == JSON or not isinstance(value, str):  # the usual case costs nothing
            return value
        return JSON if is_json(value) else value


_CONTEXT_ATTRIBUTES = frozenset(CloudEvent.model_fields)


def parse_inbound(body: bytes | str | dict[str, Any]) -> CloudEvent:
    """Validate the envelope and its type's data; raise InvalidEvent naming each problem.

    Nothing else escapes, whatever the body: the limits in schemas.limits are checked
    before any validation, so a hostile body costs no more than a normal one.
    """
    document = body if isinstance(body, dict) else decode(body)
    if not isinstance(document, dict):
        raise InvalidEvent(
            "body must be a JSON object (a CloudEvent in structured mode)", malformed=True
        )
    problems = limit_problems(document)
    if problems:
        raise refused(problems)
    problems = _extension_problems(document)
    try:
        event = CloudEvent.model_validate(document)
    except ValidationError as error:
        problems += _problems(error)
    if problems:
        raise InvalidEvent("not a valid CloudEvent", problems)
    data_model = INBOUND_DATA.get(event.type)
    if data_model is None:
        raise InvalidEvent(
            f"unknown event type '{event.type}'",
            [problem(["type"], f"expected one of {sorted(INBOUND_DATA)}", "unknown_type")],
        )
    try:
        data = data_model.model_validate(event.data)
    except ValidationError as error:
        raise InvalidEvent(f"invalid data for '{event.type}'", _problems(error, "data")) from error
    if event.time is None:
        event.time = datetime.now(UTC)
    event.data = data.model_dump(mode="json")
    return event


def _extension_problems(document: dict[str, Any]) -> list[dict[str, Any]]:
    """CloudEvents 1.0: extension names are lower-case ASCII letters and digits, and values
    a string, a boolean or an Integer; not null, a float, an object or an array."""
    problems = []
    low, high = EXTENSION_INTEGER_RANGE
    for name, value in document.items():
        if name in _CONTEXT_ATTRIBUTES:
            continue
        if not EXTENSION_NAME.fullmatch(name):
            msg = (
                "an extension attribute's name must be 1 to "
                f"{MAX_EXTENSION_NAME_CHARS} lower-case ASCII letters or digits"
            )
            problems.append(problem([name], msg, "extension_name"))
        elif isinstance(value, int) and not isinstance(value, bool) and not low <= value <= high:
            msg = f"an extension attribute's integer must lie within {low} to {high}"
            problems.append(problem([name], msg, "extension_value"))
        elif not isinstance(value, str | bool | int):
            msg = "an extension attribute's value must be a string, a boolean or an integer"
            problems.append(problem([name], msg, "extension_value"))
    return problems


def _problems(error: ValidationError, *prefix: str) -> list[dict[str, Any]]:
    return [
        {"loc": [*prefix, *(str(p) for p in e["loc"])], "msg": e["msg"], "type": e["type"]}
        for e in error.errors(include_url=False, include_input=False)
    ]


def outbound_event(
    *, event_id: str, event_type: str, subject: str, data: dict[str, Any], time: datetime
) -> dict[str, Any]:
    """An event this service emits, ready to serialise."""
    return {
        "specversion": "1.0",
        "id": event_id,
        "source": "cpd-workflow",
        "type": event_type,
        "time": time.isoformat(),
        "subject": subject,
        "datacontenttype": "application/json",
        "actor": "cpd-workflow",
        "data": data,
    }
