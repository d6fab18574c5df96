"""JSON Schemas of every event, inbound and outbound, for other trust systems to code against."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from schemas.cloudevents import CloudEvent
from schemas.inbound import INBOUND_DATA
from schemas.outbound import OUTBOUND_DATA

SHIPPED_DIR = Path(__file__).parent / "json"


def event_schema(event_type: str) -> dict[str, Any]:
    """The CloudEvent envelope with `type` fixed and `data` replaced by the type's schema."""
    data_model = {**INBOUND_DATA, **OUTBOUND_DATA}[event_type]
    envelope = CloudEvent.model_json_schema()
    data = data_model.model_json_schema(mode="validation")
    envelope["$id"] = f"urn:cpd-workflow:event:{event_type}"
    envelope["title"] = event_type
    envelope["properties"]["type"] = {"const": event_type, "title": "Type", "type": "string"}
    envelope.setdefault("$defs", {}).update(data.pop("$defs", {}))
    envelope["properties"]["data"] = data
    return envelope


def all_schemas() -> dict[str, dict[str, Any]]:
    return {t: event_schema(t) for t in sorted({**INBOUND_DATA, **OUTBOUND_DATA})}


def write_schemas(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for event_type, schema in all_schemas().items():
        path = directory / f"{event_type}.json"
        path.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n")
        written.append(path)
    return written
