"""What a load balancer's or monitor's probes read: GET /health/live and /health/ready."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class ProbeCheck(BaseModel):
    name: str = Field(description="database, broker, embedded_nats; process for /health/live")
    ok: bool
    detail: str = Field(description="what was found, or why the check failed")


class ProbeWarning(BaseModel):
    name: str = Field(description="smtp, term_dates")
    detail: str


class Liveness(BaseModel):
    status: Literal["ok"]
    checks: list[ProbeCheck]


class Readiness(BaseModel):
    status: Literal["ok", "unavailable"]
    failed: list[str] = Field(description="the names of the checks that failed (503)")
    checks: list[ProbeCheck]
    warnings: list[ProbeWarning] = Field(
        description="needs attention, but the service works: not a failure"
    )
