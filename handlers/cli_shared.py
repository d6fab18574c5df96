"""What every `cpd` command shares: the settings, read once per run, and the options naming
the data directory or the running service.

A command group of its own (`handlers/cli_<group>.py`) takes its settings from
`current_settings()` and never reads the environment itself, so a bad `CPD_…` value is the
same one line and exit 2 whichever command meets it.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, TypeVar

import click

from handlers.settings import Settings, SettingsError
from workflow.store.schema import refusal

CONFIGURATION_ERROR = 2
F = TypeVar("F", bound=Callable[..., Any])
_SETTINGS = "cpd.settings"


class ConfigurationError(click.ClickException):
    """A setting in error: one line on stderr naming it, exit 2, no traceback."""

    exit_code = CONFIGURATION_ERROR

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"cpd: configuration error: {self.message}", err=True)


class DatabaseRefused(click.ClickException):
    """A database this release must not open (a newer release wrote it): one line, exit 2."""

    exit_code = CONFIGURATION_ERROR

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"cpd: {self.message}", err=True)


def database_of(settings: Settings) -> Path:
    """The data directory's database file, refused before anything opens it when a newer
    release has written it (the file is left as it was)."""
    path = settings.database_path
    why = refusal(path)
    if why is not None:
        raise DatabaseRefused(why)
    return path


def current_settings(**flags: Any) -> Settings:
    """This run's settings: the environment and `.env`, then the command's own flags (those
    given). Read once per run and shared by every command of it."""
    given = {name: value for name, value in flags.items() if value is not None}
    context = click.get_current_context(silent=True)
    if context is None:  # called outside a command, as a library
        return _read(given)
    cached = context.meta.get(_SETTINGS)
    if cached is None or cached[0] != given:
        context.meta[_SETTINGS] = (given, _read(given))
    settings: Settings = context.meta[_SETTINGS][1]
    return settings


def _read(flags: dict[str, Any]) -> Settings:
    try:
        return Settings.from_env(**flags)
    except SettingsError as error:
        raise ConfigurationError(str(error)) from None


def usable_data_dir(settings: Settings) -> Path:
    """The data directory, made if need be; one that cannot be is a configuration error."""
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        named = "--data-dir" if settings.origin("data_dir") == "flag" else "CPD_DATA_DIR"
        raise ConfigurationError(
            f"{named}: cannot use {settings.data_dir} as the data directory: {error.strerror}"
        ) from None
    return settings.data_dir


def default_url(settings: Settings | None = None) -> str:
    """The service on this machine, at CPD_PORT."""
    return f"http://127.0.0.1:{(settings or current_settings()).port}"


def api_key(given: str | None) -> str | None:
    """`--key`, else CPD_API_KEY, else none."""
    if given:
        return given
    key = current_settings().api_key
    return key.get_secret_value() if key else None


def data_dir_option(command: F) -> F:
    return click.option(
        "--data-dir",
        type=click.Path(path_type=Path),
        help="data directory (CPD_DATA_DIR, default ./cpd-data)",
    )(command)


def service_options(command: F) -> F:
    """`--url` and `--key`, for a command that asks the running service."""
    command = click.option("--key", help="an API key, when the service needs one (CPD_API_KEY)")(
        command
    )
    return click.option("--url", help="the service (default http://127.0.0.1:$CPD_PORT, 8000)")(
        command
    )


def call_service(
    url: str, key: str | None, body: bytes | None = None, *, post: bool = False, timeout: int = 60
) -> tuple[int, Any]:
    """Ask the running service: its status and JSON answer, a refusal's problem body
    included. An unreachable service raises `urllib.error.URLError` or `OSError`, for the
    command to say so in its own words."""
    headers = {"Accept": "application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    if body is not None:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, body, headers, method="POST" if post else "GET")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as answer:  # 4xx, 5xx: the problem body says why
        text = answer.read()
        try:
            return answer.code, json.loads(text)
        except ValueError:
            return answer.code, {"detail": text.decode(errors="replace")[:300]}
