"""The wire contract: CloudEvents in and out, and their JSON Schemas."""

from schemas.cloudevents import CLIENT_EXTENSION, CloudEvent, outbound_event, parse_inbound
from schemas.directory import DIRECTORY_DATA
from schemas.document import event_key
from schemas.errors import InvalidEvent
from schemas.inbound import INBOUND_DATA, REQUEST_DATA, ActivityType
from schemas.outbound import OUTBOUND_DATA

__all__ = [
    "CLIENT_EXTENSION",
    "DIRECTORY_DATA",
    "INBOUND_DATA",
    "OUTBOUND_DATA",
    "REQUEST_DATA",
    "ActivityType",
    "CloudEvent",
    "InvalidEvent",
    "event_key",
    "outbound_event",
    "parse_inbound",
]
