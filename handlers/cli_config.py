"""`cpd config show`: the settings in force, where each came from, and no secret in sight.

Read exactly as `cpd serve` reads them (flags aside): the environment over `.env` in the
working directory over the defaults, so an IT lead sees what the service would run with.
"""

from __future__ import annotations

import json
from typing import Any

import click
from pydantic import SecretStr

from handlers.cli_shared import current_settings
from handlers.settings import Settings
from handlers.settings_sources import env_name

# Field names that say the value is a credential, beyond the URLs that may carry one.
_SECRET_WORDS = ("key", "secret", "password", "token")
_URLS_WITH_CREDENTIALS = ("broker_url", "smtp_url")


@click.group(help="the service's settings (CPD_… variables and .env)")
def config() -> None:
    pass


@config.command("show", help="every setting in force, where it came from; secrets masked")
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="a table, or one JSON object keyed by variable",
)
def show(output: str) -> None:
    settings = current_settings()
    rows = {
        env_name(name): {"value": shown_value(settings, name), "from": settings.origin(name)}
        for name in Settings.model_fields
    }
    if output == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    values = {name: "-" if r["value"] is None else str(r["value"]) for name, r in rows.items()}
    widths = max(map(len, values)), max(map(len, values.values()))
    click.echo(f"{'variable':<{widths[0]}}  {'value':<{widths[1]}}  from")
    for name, value in values.items():
        click.echo(f"{name:<{widths[0]}}  {value:<{widths[1]}}  {rows[name]['from']}")


def shown_value(settings: Settings, name: str) -> Any:
    """The value fit to print: a URL's password as `***`, a credential as `***` whole."""
    value = getattr(settings, name)
    if value is None:
        return None
    if isinstance(value, SecretStr) or any(word in name for word in _SECRET_WORDS):
        return "***"
    if name in _URLS_WITH_CREDENTIALS:
        from handlers.brokers.urls import shown  # faststream: only when it is asked for

        return shown(str(value))
    plain = settings.model_dump(mode="json", include={name})
    return plain[name]
