"""What `POST /events` takes, as OpenAPI: one component per inbound event type, their union,
the three content types of the CloudEvents HTTP binding, and an example that can be posted.

Every `$ref` points into `#/components/schemas/`, where `components()` puts what it names.
"""

from __future__ import annotations

import copy
from typing import Any

from pydantic.json_schema import models_json_schema

from schemas.cloudevents import CloudEvent
from schemas.http_binding import BATCH, STRUCTURED
from schemas.inbound import INBOUND_DATA
from schemas.limits import MAX_BATCH_EVENTS
from schemas.media_types import JSON

REF = "#/components/schemas/"
INBOUND_EVENT = "InboundEvent"
BINARY_DATA = "BinaryModeData"

# A directory event anyone may post on a fresh service: it names no person.
EXAMPLE: dict[str, Any] = {
    "specversion": "1.0",
    "id": "docs-example-school-1",
    "source": "urn:trust:hr",
    "type": "school.upserted",
    "subject": "S-EXAMPLE",
    "actor": "hr-sync",
    "data": {"school_id": "S-EXAMPLE", "name": "Example Primary School", "trust_id": "TR-OAKS"},
}

BINARY_HEADERS = {
    "ce-specversion": "`1.0`",
    "ce-id": "with ce-source, makes the event unique",
    "ce-source": "the system that sends it",
    "ce-type": "the event type",
    "ce-subject": "the CPD request id (directory events: the staff or school id; a"
    " qualification or agreed CPD: the staff id; a session: the session id)",
    "ce-actor": "the person or system acting",
    "ce-time": "when it happened (RFC 3339)",
}


def components() -> dict[str, dict[str, Any]]:
    """Schemas for `#/components/schemas`: each event type's envelope, its data, the union."""
    models = sorted(set(INBOUND_DATA.values()), key=lambda m: m.__name__)
    refs, top = models_json_schema(
        [(model, "validation") for model in models], ref_template=REF + "{model}"
    )
    schemas: dict[str, dict[str, Any]] = dict(top.get("$defs", {}))
    envelope = CloudEvent.model_json_schema(ref_template=REF + "{model}")
    for event_type, model in sorted(INBOUND_DATA.items()):
        schema = copy.deepcopy(envelope)
        schema["title"] = event_type
        schema["properties"]["type"] = {"const": event_type, "type": "string"}
        schema["properties"]["data"] = refs[(model, "validation")]
        schemas[event_type] = schema
    schemas[INBOUND_EVENT] = {
        "title": "CloudEvent (structured mode)",
        "oneOf": [{"$ref": REF + t} for t in sorted(INBOUND_DATA)],
        "discriminator": {
            "propertyName": "type",
            "mapping": {t: REF + t for t in sorted(INBOUND_DATA)},
        },
    }
    schemas[BINARY_DATA] = {
        "title": "the event's data (binary mode)",
        "description": "Binary mode: the attributes travel as ce- headers, the body is `data`.",
        "type": "object",
    }
    return schemas


def request_body() -> dict[str, Any]:
    """The `requestBody` of `POST /events`."""
    event = {"$ref": REF + INBOUND_EVENT}
    example = {"school": {"summary": "a school from the HR system", "value": EXAMPLE}}
    return {
        "required": True,
        "description": (
            f"Structured mode: one event as `{STRUCTURED}` or `{JSON}`. Binary mode: "
            f"`{JSON}` with the attributes as `ce-` headers and the event's `data` as the "
            f"body. Batched mode: `{BATCH}`, an array of up to {MAX_BATCH_EVENTS} events."
        ),
        "content": {
            STRUCTURED: {"schema": event, "examples": example},
            JSON: {
                "schema": {"anyOf": [event, {"$ref": REF + BINARY_DATA}]},
                "examples": example,
            },
            BATCH: {
                "schema": {"type": "array", "items": event, "maxItems": MAX_BATCH_EVENTS},
                "examples": {"batch": {"summary": "one event", "value": [EXAMPLE]}},
            },
        },
    }


def binary_mode_headers() -> list[dict[str, Any]]:
    """The `ce-` headers of binary mode as OpenAPI parameters (an extension's are `ce-NAME`)."""
    return [
        {
            "name": name,
            "in": "header",
            "required": False,
            "description": f"binary mode: {description}",
            "schema": {"type": "string"},
        }
        for name, description in BINARY_HEADERS.items()
    ]
