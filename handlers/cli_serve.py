"""`cpd serve`: check the configuration, then run the HTTP API and broker subscribers until
SIGTERM."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from handlers.cli_keys import access_configured
from handlers.cli_shared import (
    CONFIGURATION_ERROR,
    current_settings,
    data_dir_option,
    database_of,
    usable_data_dir,
)
from handlers.settings import Settings, is_loopback
from scheduler.calendar import CalendarError
from scheduler.calendars import load_calendars
from scheduler.policy import PolicyError
from scheduler.policy_sets import load_policy_library
from workflow.policy import PolicySetsInvalid


@click.command(help="run the HTTP API and broker subscribers")
@click.option("--port", type=int, help="HTTP port (CPD_PORT, default 8000)")
@click.option("--host", help="HTTP bind address (CPD_HOST, default 127.0.0.1)")
@data_dir_option
@click.option("--broker-url", help="nats://… or amqp://… (CPD_BROKER_URL)")
def serve(
    port: int | None, host: str | None, data_dir: Path | None, broker_url: str | None
) -> None:
    settings = current_settings(port=port, host=host, data_dir=data_dir, broker_url=broker_url)
    context = click.get_current_context()
    database_of(settings)  # a newer release's database: refused before anything opens it
    if not _files_readable(settings) or not _access_possible(settings):
        context.exit(CONFIGURATION_ERROR)
    usable_data_dir(settings)
    context.exit(serve_forever(settings))


def _files_readable(settings: Settings) -> bool:
    """Files named by the settings are read now, so a mistake is a message, not a traceback."""
    try:
        load_calendars(settings.term_dates, settings.term_dates_dir)
        load_policy_library(settings.policy_dir, settings.follow_up_policy)
    except PolicySetsInvalid as error:
        from handlers.cli_policy import report_problems

        assert settings.policy_dir is not None  # only a directory's files have problems
        report_problems(error, settings.policy_dir, sys.stderr)
        return False
    except (CalendarError, PolicyError) as error:
        print(f"cpd: configuration error: {error}", file=sys.stderr)
        return False
    return True


def _access_possible(settings: Settings) -> bool:
    if is_loopback(settings.host) or access_configured(settings):
        return True
    print(
        f"cpd: refusing to listen on {settings.host} with no way to tell who is calling:"
        " make an API key first (cpd keys create --name NAME --scope SCOPE) or configure"
        " the trust's sign-in (CPD_OIDC_ISSUER, CPD_OIDC_AUDIENCE, CPD_OIDC_JWKS_URL);"
        " or listen on 127.0.0.1",
        file=sys.stderr,
    )
    return False


def serve_forever(settings: Settings) -> int:
    import signal

    import uvicorn

    class _Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: object) -> None:
            super().handle_exit(sig, frame)  # type: ignore[arg-type]
            # uvicorn re-raises the signal after its graceful shutdown; a SIGTERM that
            # ended in a clean shutdown should exit 0, as service managers expect.
            if sig == signal.SIGTERM and sig in self._captured_signals:
                self._captured_signals.remove(sig)

    from handlers.composition import build_app
    from handlers.data_dir_lock import DataDirectoryInUse, DataDirectoryLock

    # Taken before uvicorn or the embedded NATS start, so a second service on this
    # directory refuses at once and touches nothing of the first.
    lock = DataDirectoryLock(settings.data_dir)
    try:
        lock.acquire(settings.port)
    except DataDirectoryInUse as refusal:
        print(f"cpd: {refusal}", file=sys.stderr)
        return 2
    from handlers.logs import configure_logging, uvicorn_logging

    configure_logging(settings)
    config = uvicorn.Config(
        build_app(settings, lock=lock),
        host=settings.host,
        port=settings.port,
        **uvicorn_logging(settings),
        lifespan="on",
        timeout_graceful_shutdown=10,
    )
    server = _Server(config)
    server.run()
    return 0 if server.started else 1
