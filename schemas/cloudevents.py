"""CloudEvents 1.0 in structured JSON mode: the envelope every event travels in."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from schemas.inbound import INBOUND_DATA

Attribute = Annotated[str, Field(min_length=1, max_length=500)]


class CloudEvent(BaseModel):
    """A CloudEvent as posted by another trust system; `source` + `id` make it unique."""

    model_config = ConfigDict(extra="allow")

    specversion: Literal["1.0"]
    id: Attribute
    source: Attribute
    type: Attribute
    time: datetime | None = None
    subject: Attribute = Field(description="The CPD request id the event is about.")
    datacontenttype: Literal["application/json"] = "application/json"
    actor: Attribute = Field(description="Extension attribute: the person or system acting.")
    data: dict[str, Any]


class InvalidEvent(ValueError):
    """Why an inbound body is not an event we accept, as a JSON-ready list of problems."""

    def __init__(self, message: str, problems: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []


def parse_inbound(body: bytes | str | dict[str, Any]) -> CloudEvent:
    """Validate the envelope and its type's data; raise InvalidEvent naming each problem."""
    if isinstance(body, bytes | str):
        try:
            body = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise InvalidEvent(f"body is not valid JSON: {error}") from error
    if not isinstance(body, dict):
        raise InvalidEvent("body must be a JSON object (a CloudEvent in structured mode)")
    try:
        event = CloudEvent.model_validate(body)
    except ValidationError as error:
        raise InvalidEvent("not a valid CloudEvent", _problems(error)) from error
    data_model = INBOUND_DATA.get(event.type)
    if data_model is None:
        raise InvalidEvent(
            f"unknown event type '{event.type}'",
            [{"loc": ["type"], "msg": f"expected one of {sorted(INBOUND_DATA)}"}],
        )
    try:
        data = data_model.model_validate(event.data)
    except ValidationError as error:
        raise InvalidEvent(f"invalid data for '{event.type}'", _problems(error, "data")) from error
    if event.time is None:
        event.time = datetime.now(UTC)
    event.data = data.model_dump(mode="json")
    return event


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
