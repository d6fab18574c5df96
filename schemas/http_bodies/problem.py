"""The one shape of every HTTP error: an RFC 9457 problem body."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_PREFIX = "urn:cpd-workflow:problem:"


class ProblemItem(BaseModel):
    """One thing wrong with the input: where (`loc`, a path of names), what, and its kind."""

    loc: list[str]
    msg: str
    type: str


class Problem(BaseModel):
    """RFC 9457 problem details. `error` and `message` are the members every error carried
    before this shape, kept so that clients written against them keep working."""

    # Room for a member one endpoint adds (the auth scopes a key lacks, ...).
    model_config = ConfigDict(extra="allow")

    type: str = Field(
        description=f"`{PROBLEM_TYPE_PREFIX}` followed by the code in `error`",
        examples=[f"{PROBLEM_TYPE_PREFIX}unknown_request"],
    )
    title: str = Field(description="a short, human-readable summary of this kind of problem")
    status: int = Field(ge=400, le=599, description="the HTTP status code of the answer")
    detail: str = Field(description="what went wrong this time")
    error: str = Field(description="the problem's code, as in `type`", examples=["unknown_request"])
    message: str = Field(description="the same as `detail`")
    # Present only where they apply: SkipJsonSchema keeps `null` out of the documented type.
    problems: list[ProblemItem] | SkipJsonSchema[None] = Field(
        None, description="for invalid events and bad parameters: every problem found"
    )
    id: str | SkipJsonSchema[None] = Field(None, description="the event a refusal is about")
    event_status: Literal["rejected"] | SkipJsonSchema[None] = Field(
        None, description="a refused event (409): its outcome, as `GET /events/{id}` says"
    )
