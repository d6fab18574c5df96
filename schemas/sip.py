"""The `data` of `sip.updated`: a school's School Improvement Plan priorities.

Posted by the school's head teacher or CPD lead, or by a system (the trust's planning
tool); `subject` is the school id. The latest SIP of a school replaces the one before.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from schemas.inbound import EventData, Identifier, Text

SIP_UPDATED = "sip.updated"


class SipPriority(BaseModel):
    model_config = ConfigDict(extra="allow")

    code: Identifier = Field(description="what requests name in their `priorities`, e.g. SIP-2")
    title: Text


class SipUpdated(EventData):
    school_id: Identifier
    priorities: Annotated[
        list[SipPriority], Field(description="the whole SIP: it replaces the one before")
    ]

    @field_validator("priorities")
    @classmethod
    def each_code_once(cls, priorities: list[SipPriority]) -> list[SipPriority]:
        seen: set[str] = set()
        for priority in priorities:
            code = priority.code.strip().casefold()
            if code in seen:
                raise ValueError(f"code '{priority.code}' is listed twice")
            seen.add(code)
        return priorities


SIP_DATA: dict[str, type[EventData]] = {SIP_UPDATED: SipUpdated}
