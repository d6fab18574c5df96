"""All configuration in one object, read once per process from `CPD_`-prefixed environment
variables and an optional `.env` file in the working directory (the environment wins)."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    Field,
    PrivateAttr,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from handlers.settings_sources import Origin, environment_values, one_line
from schemas.limits import MAX_BODY_BYTES, MAX_EVENT_BYTES

ENV_PREFIX, ENV_FILE = "CPD_", ".env"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class SettingsError(ValueError):
    """A setting in error; the message is one line naming it by its environment variable."""


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or localhost: reachable from this machine only."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=ENV_FILE,
        extra="ignore",
        # A refused value is not repeated in the error: CPD_BROKER_URL may carry a password.
        hide_input_in_errors=True,
    )
    _origins: dict[str, Origin] = PrivateAttr(default_factory=dict)

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
    term_dates_dir: Path | None = Field(
        None, description="one term-dates file per school calendar, named in school.upserted"
    )
    follow_up_policy: Path | None = Field(None, description="JSON overriding follow-up numbers")
    policy_dir: Path | None = Field(None, description="policy-set TOML files; default set only")
    log_level: str = Field("INFO", description="DEBUG, INFO, WARNING, ERROR or CRITICAL")
    log_format: Literal["text", "json"] = Field(
        "text", description="text: readable lines; json: one JSON object per line"
    )
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
        repr=False,  # it may carry a password
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
            named = next(name for name, value in given.items() if value)
            raise ValueError(f"{named}: sign-in also needs {', '.join(missing)}")
        url = urlsplit(self.oidc_jwks_url or "")
        # Whoever can change the keys can sign in as anyone: plain http only on this machine.
        plain_here = url.scheme == "http" and is_loopback(url.hostname or "")
        if self.oidc_jwks_url and url.scheme != "https" and not plain_here:
            raise ValueError(
                "CPD_OIDC_JWKS_URL: must be an https:// address (http:// on this machine only)"
            )
        return self

    @property
    def sign_in(self) -> bool:
        return self.oidc_issuer is not None

    @field_validator("broker_url")
    @classmethod
    def known_scheme(cls, value: str | None) -> str | None:
        if value and not value.startswith(("nats://", "amqp://", "amqps://", "tls://")):
            raise ValueError("must start with nats:// or amqp://")
        return value or None

    @field_validator("smtp_url")
    @classmethod
    def known_smtp_scheme(cls, value: str | None) -> str | None:
        if value and not value.startswith(("smtp://", "smtp+starttls://", "smtps://")):
            raise ValueError("must start with smtp://, smtp+starttls:// or smtps://")
        return value or None

    @field_validator("public_url")
    @classmethod
    def web_address(cls, value: str | None) -> str | None:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
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

    @field_validator("log_level")
    @classmethod
    def known_level(cls, value: str) -> str:
        if value.upper() not in LOG_LEVELS:
            raise ValueError(f"must be one of {', '.join(LOG_LEVELS)}")
        return value.upper()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Settings(...) holds only what it is given: the environment and .env are read by
        # from_env, once per process, so a test or benchmark is never coloured by the shell.
        return (init_settings,)

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        env_file: Path | None = None,
        **overrides: Any,
    ) -> Settings:
        """The settings in force: `overrides` (flags; None means not given) over the
        environment over the `.env` file over the defaults.

        `environ` defaults to the process's environment, with `.env` in the working
        directory; a mapping given is the whole environment, and no file is read unless
        `env_file` names one.
        """
        if environ is None:
            environ, env_file = os.environ, env_file or Path(ENV_FILE)
        values, origins = environment_values(cls, environ, env_file)
        given = {name: value for name, value in overrides.items() if value is not None}
        origins.update(dict.fromkeys(given, "flag"))
        try:
            settings = cls(**{**values, **given})
        except ValidationError as error:
            raise SettingsError(one_line(cls, error)) from None
        settings._origins = origins
        return settings

    def origin(self, name: str) -> Origin:
        """Where the field's value came from: a flag, the environment, .env, or the default."""
        return self._origins.get(name, "default")
