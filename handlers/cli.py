"""`cpd`: run the service, export the event schemas, check a policy directory, import
the staff directory, manage client systems' API keys, list and retry mail, set and show a
school's budget, show who holds their statutory training, or show the settings in force.

Each group lives in its own `handlers/cli_<group>.py` as a click group or command;
adding one is adding it to `COMMANDS`.
"""

from __future__ import annotations

from pathlib import Path

import click

from handlers.cli_audit import audit
from handlers.cli_backup import backup, restore
from handlers.cli_budget import budget
from handlers.cli_compliance import compliance
from handlers.cli_config import config
from handlers.cli_dead_letters import dead_letters
from handlers.cli_directory import directory
from handlers.cli_keys import keys
from handlers.cli_notifications import notifications
from handlers.cli_policy import policy
from handlers.cli_report import report
from handlers.cli_serve import serve


@click.command(help="write the events' JSON Schemas")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("cpd-schemas"),
    show_default=True,
    help="the directory to write them to",
)
def schemas(out: Path) -> None:
    from schemas.export import write_schemas

    for path in write_schemas(out):
        click.echo(path)


COMMANDS: tuple[click.Command, ...] = (
    serve,
    schemas,
    policy,
    directory,
    keys,
    notifications,
    budget,
    compliance,
    config,
    backup,
    restore,
    dead_letters,
    audit,
    report,
)


@click.group(
    name="cpd",
    help='CPD workflow service. Shell completion: eval "$(_CPD_COMPLETE=bash_source cpd)"'
    " (zsh_source, fish_source for those shells).",
    context_settings={"help_option_names": ["-h", "--help"]},
)
def cpd() -> None:
    pass


for command in COMMANDS:
    cpd.add_command(command)


def main(argv: list[str] | None = None) -> int:
    """Run `cpd` with these arguments (default the process's own) and give its exit code:
    0 done, 1 not found or failed, 2 a usage or configuration error (others as each command
    says)."""
    try:
        cpd.main(args=argv, prog_name="cpd")
    except SystemExit as end:
        if end.code is None or isinstance(end.code, int):
            return end.code or 0
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
