"""`cpd backup DEST` and `cpd restore SRC --data-dir D [--force]`.

Both work on the files directly, as the service's own user (the files are its alone).
Exit codes: 0 done; 1 failed part way (a backup leaves nothing at DEST; a restore says to
run it again with --force); 2 refused before anything was written (no database, DEST not
empty, a damaged or newer backup, a data directory in use or not empty, settings in error),
with one line saying why.
"""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import click

from handlers.backup import take_backup
from handlers.backup_files import BackupError, Manifest
from handlers.cli_shared import current_settings
from handlers.data_dir_lock import DataDirectoryInUse
from handlers.restore import restore_backup
from workflow.store.schema import SchemaTooNew

DONE, FAILED, REFUSED = 0, 1, 2
_DIRECTORY = click.Path(file_okay=False, path_type=Path)


@click.command("backup")
@click.argument("dest", type=_DIRECTORY)
@click.option(
    "--data-dir",
    type=_DIRECTORY,
    help="the data directory to back up (CPD_DATA_DIR, default ./cpd-data); the other"
    " settings (CPD_POLICY_DIR, CPD_TERM_DATES, CPD_BROKER_URL...) come from the environment",
)
@click.pass_context
def backup(ctx: click.Context, dest: Path, data_dir: Path | None) -> None:
    """Write a consistent copy of the data directory into DEST (new or empty), taken while
    the service runs: the database, its secrets, the configuration files the settings name,
    and the messages accepted but not yet applied on the embedded broker."""
    settings = current_settings(data_dir=data_dir)
    try:
        manifest = take_backup(settings, dest)
    except (SchemaTooNew, BackupError) as error:
        _refuse(ctx, str(error))
    except Exception as error:  # a disk, a broker, a service stopping meanwhile
        click.echo(f"cpd backup: failed, nothing written to {dest}: {error!r}", err=True)
        ctx.exit(FAILED)
    _describe(manifest, dest)


@click.command("restore")
@click.argument("src", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--data-dir",
    type=_DIRECTORY,
    required=True,
    envvar="CPD_DATA_DIR",
    help="the data directory to restore into (CPD_DATA_DIR); no service may be using it",
)
@click.option(
    "--force", is_flag=True, help="replace what a data directory already holds (only its files)"
)
@click.pass_context
def restore(ctx: click.Context, src: Path, data_dir: Path, force: bool) -> None:
    """Make DATA_DIR the data directory SRC was taken from: its database, secrets and
    unapplied messages (applied first when the service starts). Refused while a service
    uses DATA_DIR, and when DATA_DIR is not empty unless --force."""
    max_bytes = current_settings(data_dir=data_dir).inbound_max_bytes
    try:
        restored = restore_backup(src, data_dir, force=force, inbound_max_bytes=max_bytes)
    except (SchemaTooNew, BackupError, DataDirectoryInUse) as error:
        _refuse(ctx, f"{error}; nothing was restored", "restore")
    except Exception as error:  # after the checks: writing the files, the embedded broker
        click.echo(
            f"cpd restore: failed part way ({error!r}): {data_dir} is incomplete; run it again"
            " with --force",
            err=True,
        )
        ctx.exit(FAILED)
    manifest = restored.manifest
    click.echo(
        f"restored {src} (taken {manifest.taken_at} from {manifest.data_dir}, schema"
        f" {manifest.schema_version}) into {data_dir}"
    )
    click.echo(f"  files       {', '.join(restored.files)}")
    click.echo(f"  unapplied   {restored.unapplied} messages, applied first at the next start")
    for item in manifest.configuration:
        click.echo(
            f"  {item.setting:<20} was {item.was}: its copy is {src / item.copied_to};"
            " put it back there if it is not (restore writes only the data directory)"
        )


def _describe(manifest: Manifest, dest: Path) -> None:
    database = next(f for f in manifest.files if f.path.endswith("cpd.sqlite3"))
    click.echo(f"backup written to {dest}")
    click.echo(
        f"  database     schema {manifest.schema_version}, {database.bytes:,} bytes, integrity ok"
    )
    unapplied = manifest.unapplied
    click.echo(f"  unapplied    {unapplied.messages} messages: {unapplied.note}")
    for item in manifest.configuration:
        click.echo(f"  {item.setting:<20} {item.was} ({item.kind})")
    if not unapplied.complete and unapplied.broker == "embedded":
        click.echo(f"cpd backup: warning: {unapplied.note}", err=True)


def _refuse(ctx: click.Context, message: str, command: str = "backup") -> NoReturn:
    click.echo(f"cpd {command}: {message}", err=True)
    ctx.exit(REFUSED)
