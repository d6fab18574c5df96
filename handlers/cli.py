"""`cpd`: run the service, export the event schemas, check a policy directory, import
the staff directory, manage client systems' API keys, list and retry mail, set and show a
school's budget, or show who holds their statutory training."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from handlers.cli_budget import add_budget_parser
from handlers.cli_compliance import add_compliance_parser
from handlers.cli_keys import access_configured, add_key_commands
from handlers.cli_notifications import add_notifications_parser
from handlers.directory_file import HEADER
from handlers.settings import Settings, SettingsError, is_loopback
from scheduler.calendar import CalendarError, load_calendar
from scheduler.policy import PolicyError
from scheduler.policy_sets import load_policy_library
from workflow.policy import PolicySetsInvalid


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cpd", description="CPD workflow service")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the HTTP API and broker subscribers")
    serve.add_argument("--port", type=int, help="HTTP port (CPD_PORT, default 8000)")
    serve.add_argument("--host", help="HTTP bind address (CPD_HOST, default 127.0.0.1)")
    serve.add_argument("--data-dir", type=Path, help="data directory (CPD_DATA_DIR)")
    serve.add_argument("--broker-url", help="nats://… or amqp://… (CPD_BROKER_URL)")
    export = commands.add_parser("schemas", help="write the events' JSON Schemas")
    export.add_argument("--out", type=Path, default=Path("cpd-schemas"))
    policy = commands.add_parser("policy", help="policy sets (CPD_POLICY_DIR)")
    policy_commands = policy.add_subparsers(dest="policy_command", required=True)
    check = policy_commands.add_parser("check", help="validate a policy directory")
    check.add_argument("dir", type=Path, help="directory of policy-set TOML files")
    directory = commands.add_parser("directory", help="the staff directory")
    directory_commands = directory.add_subparsers(dest="directory_command", required=True)
    load = directory_commands.add_parser(
        "import", help="post each row of a CSV file to the running service as staff.upserted"
    )
    load.add_argument("file", type=Path, help="CSV: " + ",".join(HEADER))
    load.add_argument("--url", help="the service (default http://127.0.0.1:$CPD_PORT, 8000)")
    load.add_argument("--run-id", help="resume an interrupted run: the id its summary printed")
    load.add_argument("--key", help="an API key, when the service needs one (CPD_API_KEY)")
    add_key_commands(commands)
    add_notifications_parser(commands)
    add_budget_parser(commands)
    add_compliance_parser(commands)
    args = parser.parse_args(argv)

    if args.command == "keys":
        from handlers.cli_keys import run_keys

        return run_keys(args)

    if args.command == "notifications":
        from handlers.cli_notifications import run

        return run(args)

    if args.command == "budget":
        from handlers.cli_budget import run as run_budget

        return run_budget(args)

    if args.command == "directory":
        from handlers.cli_directory import import_directory

        key = args.key or os.environ.get("CPD_API_KEY") or None
        return import_directory(args.file, args.url, run_id=args.run_id, key=key)

    if args.command == "compliance":
        from handlers.cli_compliance import show_compliance

        key = args.key or os.environ.get("CPD_API_KEY") or None
        return show_compliance(args.school, args.url, key)

    if args.command == "policy":
        from handlers.cli_policy import check_policy_dir

        return check_policy_dir(args.dir, sys.stdout, sys.stderr)

    if args.command == "schemas":
        from schemas.export import write_schemas

        for path in write_schemas(args.out):
            print(path)
        return 0

    try:
        settings = Settings.from_env(
            port=args.port, host=args.host, data_dir=args.data_dir, broker_url=args.broker_url
        )
        # Files named by the settings are read now, so a mistake is a message, not a traceback.
        load_calendar(settings.term_dates)
        load_policy_library(settings.policy_dir, settings.follow_up_policy)
    except PolicySetsInvalid as error:
        from handlers.cli_policy import report_problems

        assert settings.policy_dir is not None  # only a directory's files have problems
        report_problems(error, settings.policy_dir, sys.stderr)
        return 2
    except (SettingsError, CalendarError, PolicyError) as error:
        print(f"cpd: configuration error: {error}", file=sys.stderr)
        return 2
    if not is_loopback(settings.host) and not access_configured(settings):
        print(
            f"cpd: refusing to listen on {settings.host} with no way to tell who is calling:"
            " make an API key first (cpd keys create --name NAME --scope SCOPE) or configure"
            " the trust's sign-in (CPD_OIDC_ISSUER, CPD_OIDC_AUDIENCE, CPD_OIDC_JWKS_URL);"
            " or listen on 127.0.0.1",
            file=sys.stderr,
        )
        return 2
    return serve_forever(settings)


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


if __name__ == "__main__":
    raise SystemExit(main())
