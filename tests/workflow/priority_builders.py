"""Builders for the priority tests: a school's SIP, posted as the wire would carry it."""

from __future__ import annotations

from typing import Any

from schemas import CloudEvent
from tests.workflow.directory_builders import directory_event

SIP = {"SIP-1": "Early reading", "SIP-2": "Maths mastery"}


def sip_updated(
    school_id: str,
    priorities: dict[str, str] | None = None,
    *,
    actor: str = "planning-tool",
    subject: str | None = None,
) -> CloudEvent:
    """`priorities`: code -> title (default SIP); posted by a system unless `actor` says."""
    listed: list[dict[str, Any]] = [
        {"code": code, "title": title}
        for code, title in (SIP if priorities is None else priorities).items()
    ]
    data = {"school_id": school_id, "priorities": listed}
    return directory_event("sip.updated", subject or school_id, data, actor)
