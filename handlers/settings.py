"""All configuration, read once from `CPD_`-prefixed environment variables."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

from schemas.limits import MAX_BODY_BYTES, MAX_EVENT_BYTES


class SettingsError(ValueError):
    pass


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or localhost: reachable from this machine only."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


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
    smtp_url: str | None = Field(
        None,
        description="smtp://host:25, smtp+starttls://user:password@host:587 or"
        " smtps://user:password@host:465; unset writes mail as .eml files to DATA_DIR/mail/",
    )
    mail_from: str = Field("CPD <cpd-workflow@localhost>", description="the From of every mail")
    mail_max_attempts: int = Field(
        8, ge=1, le=50, description="delivery attempts before a mail is kept as failed"
    )
    public_url: str | None = Field(
        None, description="where links in mail start; default the service's own http://host:port"
    )

    oidc_issuer: str | None = Field(
        None, description="the trust's sign-in (OpenID Connect issuer); tokens' `iss`"
    )
    oidc_audience: str | None = Field(None, description="tokens' `aud`: this service's id")
    oidc_jwks_url: str | None = Field(None, description="where the issuer publishes its keys")
    oidc_email_claim: str = Field("email", description="the claim naming the person")
    api_key: SecretStr | None = Field(
        None, description="the key cpd's client commands (directory import, budget, …) send"
    )

    @model_validator(mode="after")
    def whole_sign_in(self) -> Settings:
        """Sign-in needs all three of issuer, audience and keys, or none of them."""
        given = {
            "CPD_OIDC_ISSUER": self.oidc_issuer,
            "CPD_OIDC_AUDIENCE": self.oidc_audience,
            "CPD_OIDC_JWKS_URL": self.oidc_jwks_url,
        }
        missing = [name for name, value in given.items() if not value]
        if 0 < len(missing) < len(given):
            raise ValueError(f"sign-in also needs {', '.join(missing)}")
        url = urlsplit(self.oidc_jwks_url or "")
        # Whoever can change the keys can sign in as anyone: plain http only on this machine.
        plain_here = url.scheme == "http" and is_loopback(url.hostname or "")
        if self.oidc_jwks_url and url.scheme != "https" and not plain_here:
            raise ValueError("CPD_OIDC_JWKS_URL must be an https:// address")
        return self

    @property
    def sign_in(self) -> bool:
        return self.oidc_issuer is not None

    @field_validator("broker_url")
    @classmethod
    def known_scheme(cls, value: str | None) -> str | None:
        if value and not value.startswith(("nats://", "amqp://", "amqps://", "tls://")):
            raise ValueError("CPD_BROKER_URL must start with nats:// or amqp://")
        return value or None

    @field_validator("smtp_url")
    @classmethod
    def known_smtp_scheme(cls, value: str | None) -> str | None:
        if value and not value.startswith(("smtp://", "smtp+starttls://", "smtps://")):
            raise ValueError("CPD_SMTP_URL must start with smtp://, smtp+starttls:// or smtps://")
        return value or None

    @field_validator("public_url")
    @classmethod
    def web_address(cls, value: str | None) -> str | None:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("CPD_PUBLIC_URL must start with http:// or https://")
        return value.rstrip("/") if value else None

    @property
    def link_base(self) -> str:
        """Where every link in mail starts: CPD_PUBLIC_URL, else this service's address."""
        return self.public_url or f"http://{self.host}:{self.port}"

    @property
    def mail_dir(self) -> Path:
        """Where mail goes as .eml files when no SMTP server is configured."""
        return self.data_dir / "mail"

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
                f"CPD_{str(e['loc'][0]).upper()}: {e['msg']}" if e["loc"] else e["msg"]
                for e in error.errors()
            )
            raise SettingsError(problems) from error
