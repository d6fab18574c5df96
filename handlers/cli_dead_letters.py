"""`cpd dead-letters list` and `cpd dead-letters replay ID [--file CORRECTED.json]`.

Both ask the running service (`GET /dead-letters`, `POST /dead-letters/{id}/replay`), so a
replay goes through whichever broker it uses, with the credentials only it holds. `--url`
and `--key` (CPD_API_KEY) as `cpd directory import`: `read:audit` lists, `admin` replays.
Exit codes: 0 done, 1 refused by the service, 2 bad arguments (nothing sent), 3 the
service unreachable.
"""

from __future__ import annotations

import json
import urllib.error
from pathlib import Path
from typing import Any

import click

from handlers.cli_shared import api_key, call_service, default_url, service_options
from schemas import InvalidEvent, parse_inbound

DONE, REFUSED, BAD_ARGUMENTS, UNREACHABLE = 0, 1, 2, 3


@click.group("dead-letters")
def dead_letters() -> None:
    """Messages the service could not accept or apply: list them, put one back."""


@dead_letters.command("list")
@service_options
@click.option(
    "--limit", type=click.IntRange(1, 1000), default=100, show_default=True, help="newest first"
)
@click.option(
    "--format",
    "shape",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="a table for people, or the service's JSON",
)
@click.pass_context
def list_letters(
    ctx: click.Context, url: str | None, key: str | None, limit: int, shape: str
) -> None:
    """Each dead letter: id, when, source, type, subject, whether replayed, and why."""
    status, body = _call(ctx, f"{_base(url)}/dead-letters?limit={limit}", key)
    if status != 200:
        ctx.exit(_refused(status, body))
    letters = body["dead_letters"]
    if shape == "json":
        click.echo(json.dumps(letters, indent=2))
    elif not letters:
        click.echo("no dead letters")
    else:
        _table(letters)


@dead_letters.command("replay")
@click.argument("letter_id", type=click.IntRange(min=1), metavar="ID")
@click.option(
    "--file",
    "corrected",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="a corrected CloudEvent (JSON) to send in the letter's place; checked before sending",
)
@service_options
@click.pass_context
def replay(
    ctx: click.Context, letter_id: int, corrected: Path | None, url: str | None, key: str | None
) -> None:
    """Put dead letter ID (as listed) back through the service's queue, as kept or as
    --file, and wait for what became of it."""
    body = None
    if corrected is not None:
        body = corrected.read_bytes()
        try:
            parse_inbound(body)
        except InvalidEvent as error:
            problems = "; ".join(
                f"{'.'.join(p['loc']) or 'event'}: {p['msg']}" for p in error.problems
            )
            click.echo(
                f"cpd dead-letters: {corrected} is not a valid event: {error.message}"
                + (f" ({problems})" if problems else "")
                + "; nothing sent",
                err=True,
            )
            ctx.exit(BAD_ARGUMENTS)
    address = f"{_base(url)}/dead-letters/{letter_id}/replay?wait=true"
    status, answer = _call(ctx, address, key, body, post=True)
    if status not in (200, 202):
        ctx.exit(_refused(status, answer))
    event_id = answer.get("id")
    if status == 202:
        click.echo(
            f"dead letter {letter_id} replayed as event {event_id}: accepted, still"
            f" queued (GET /events/{event_id})"
        )
    else:
        request = answer.get("request") or {}
        now = f" (request {request['request_id']} now {request['state']})" if request else ""
        click.echo(f"dead letter {letter_id} replayed as event {event_id}: applied{now}")


def _table(letters: list[dict[str, Any]]) -> None:
    rows = [("id", "when", "source", "type", "subject", "replayed", "reason")]
    rows += [
        (
            str(letter["id"]),
            letter["received_at"][:19].replace("T", " "),
            letter["source"] or "-",
            letter["event_type"] or "-",
            letter["subject"] or "-",
            (letter["replayed_at"] or "-")[:19].replace("T", " "),
            letter["reason"][:120],
        )
        for letter in letters
    ]
    widths = [min(40, max(len(row[i]) for row in rows)) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [cell[:width].ljust(width) for cell, width in zip(row, widths, strict=False)]
        click.echo("  ".join([*cells, row[-1]]))


def _base(url: str | None) -> str:
    return (url or default_url()).rstrip("/")


def _call(
    ctx: click.Context, url: str, key: str | None, body: bytes | None = None, *, post: bool = False
) -> tuple[int, Any]:
    try:
        return call_service(url, api_key(key), body, post=post)
    except (urllib.error.URLError, OSError) as error:
        click.echo(f"cpd dead-letters: the service at {url} cannot be reached: {error}", err=True)
        ctx.exit(UNREACHABLE)


def _refused(status: int, body: Any) -> int:
    body = body if isinstance(body, dict) else {}
    code = body.get("error") or status
    click.echo(f"cpd dead-letters: refused ({status} {code}): {body.get('detail', body)}", err=True)
    for problem in body.get("problems") or []:
        where = ".".join(str(part) for part in problem.get("loc", []))
        click.echo(f"  {where}: {problem.get('msg')}", err=True)
    return REFUSED
