"""All configuration, read once from `CPD_`-prefixed environment variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from schemas.limits import MAX_BODY_BYTES, MAX_EVENT_BYTES


class SettingsError(ValueError):
    pass


class Settings(BaseModel):
    # A refused value is not repeated in the error: CPD_BROKER_URL may carry a password.
    model_config = ConfigDict(hide_input_in_errors=True)

    broker_url: str | None = Field(
        None,
        description="nats://… or amqp://…, with user:password@ when the broker asks for "
        "them; unset runs a private embedded NATS server",
        repr=False,  # it may carry a password: a logged Settings must not show it
    )
    data_dir: Path = Field(Path("cpd-data"), description="SQLite file and embedded NATS store")
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=0, le=65535)
    max_deliver: int = Field(5, ge=1, description="attempts before a message is dead-lettered")
    wait_timeout: float = Field(10.0, gt=0, description="longest ?wait=true waits, seconds")
    max_body_bytes: int = Field(
        MAX_BODY_BYTES,
        ge=1024,
        le=MAX_EVENT_BYTES,  # past it every event is refused anyway
        description="largest POST /events body; a bigger one gets 413 unread",
    )
    term_dates: Path | None = Field(None, description="school holidays file; England default")
    follow_up_policy: Path | None = Field(None, description="JSON overriding follow-up numbers")
    policy_dir: Path | None = Field(None, description="policy-set TOML files; default set only")
    log_level: str = "INFO"
    link_days: int = Field(14, ge=1, le=366, description="how long a form link in a mail works")
    inbound_max_bytes: int = Field(
        1 << 30,
        ge=1 << 20,
        description="most the NATS inbound stream holds unapplied before posts are refused",
    )

    @field_validator("broker_url")
    @classmethod
    def known_scheme(cls, value: str | None) -> str | None:
        if value and not value.startswith(("nats://", "amqp://", "amqps://", "tls://")):
            raise ValueError("CPD_BROKER_URL must start with nats:// or amqp://")
        return value or None

    @property
    def database_path(self) -> Path:
        return self.data_dir / "cpd.sqlite3"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {
            name: environ[f"CPD_{name.upper()}"]
            for name in cls.model_fields
            if f"CPD_{name.upper()}" in environ
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        try:
            return cls.model_validate(values)
        except ValidationError as error:
            problems = "; ".join(
                f"CPD_{str(e['loc'][0]).upper()}: {e['msg']}" for e in error.errors()
            )
            raise SettingsError(problems) from error
