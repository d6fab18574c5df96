"""`cpd directory import FILE.csv`: post each row to the running service as `staff.upserted`.

Rows go through `POST /events?wait=true`, so each is queued, applied, idempotent and audited
like any event, and its answer says whether it was accepted. Rows are posted concurrently,
except that rows about the same person are posted one after another in file order, so the
last row for someone is the one that stands. With `key` (`--key` or CPD_API_KEY) each post
sends it as `Authorization: Bearer`: a system key with `post:staff.*` and
`read:requests` (to ask after a row still queued) is enough.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

import aiohttp
import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from handlers.cli_shared import api_key, default_url, service_options
from handlers.directory_file import (
    HEADER,
    IMPORT_SOURCE,
    Row,
    UnreadableFile,
    new_run_id,
    read_rows,
)

ALL_ACCEPTED, SOME_REFUSED, UNREADABLE, NOT_ALL_SENT = 0, 1, 2, 3
CONCURRENCY = 64
_ATTEMPTS = 5


@dataclass(frozen=True)
class Result:
    row: Row
    accepted: bool
    reason: str | None = None
    sent: bool = True


@click.group(help="the staff directory")
def directory() -> None:
    pass


@directory.command(
    "import",
    help="post each row of a CSV file to the running service as staff.upserted\n\n"
    f"FILE: CSV with the header {','.join(HEADER)}",
)
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--run-id", help="resume an interrupted run: the id its summary printed")
@service_options
def import_command(file: Path, run_id: str | None, url: str | None, key: str | None) -> None:
    code = import_directory(file, url, run_id=run_id, key=api_key(key))
    click.get_current_context().exit(code)


def import_directory(
    path: Path,
    url: str | None = None,
    *,
    run_id: str | None = None,
    actor: str = "cpd-directory-import",
    key: str | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    run_id = run_id or new_run_id()
    try:
        rows = read_rows(path, run_id, actor)
    except UnreadableFile as error:
        print(f"cpd directory import: {error}", file=err)
        return UNREADABLE
    results = asyncio.run(_post_all(rows, url or default_url(), err, key))
    return _summarise(path, run_id, results, out)


async def _post_all(rows: list[Row], url: str, err: TextIO, key: str | None) -> list[Result]:
    by_person: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_person[row.staff_id].append(row)
    gate = asyncio.Semaphore(CONCURRENCY)
    results: list[Result] = []
    console = Console(file=err)
    columns = ("importing", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    progress = Progress(*columns, console=console, disable=not console.is_terminal)
    # aiohttp rather than httpx here: httpx's connection pool cost most of the import's CPU.
    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    timeout = aiohttp.ClientTimeout(total=60)
    headers = {"Authorization": f"Bearer {key}"} if key else None
    async with aiohttp.ClientSession(
        url, connector=connector, timeout=timeout, headers=headers
    ) as client:
        with progress:
            task = progress.add_task("rows", total=len(rows))

            async def post_person(person_rows: list[Row]) -> None:
                for row in person_rows:  # in file order: the last row stands
                    async with gate:
                        results.append(await _post(client, row))
                    progress.advance(task)

            await asyncio.gather(*(post_person(r) for r in by_person.values()))
    return sorted(results, key=lambda r: r.row.line)


async def _post(client: aiohttp.ClientSession, row: Row) -> Result:
    if row.event is None:
        return Result(row, False, row.problem)
    for attempt in range(_ATTEMPTS):
        try:
            async with client.post("/events", params={"wait": "true"}, json=row.event) as answer:
                status_code, body = answer.status, await answer.read()
            if status_code == 202:  # still queued after the service's wait
                return await _until_processed(client, row)
            if status_code < 500:
                return _result(row, status_code, json.loads(body))
            failure = f"service answered {status_code}: {body[:200]!r}"
        except (aiohttp.ClientError, TimeoutError) as error:
            failure = f"service unreachable: {error!r}"
        await asyncio.sleep(0.2 * 2**attempt)
    return Result(row, False, failure, sent=False)


async def _until_processed(client: aiohttp.ClientSession, row: Row) -> Result:
    assert row.event is not None
    delay = 0.1
    while True:
        where = f"/events/{quote(row.event['id'], safe='')}"
        async with client.get(where, params={"source": IMPORT_SOURCE}) as answer:
            status_code, status = answer.status, await answer.json()
        if status_code == 200 and status["status"] != "queued":
            if status["status"] == "applied":
                return Result(row, True)
            return Result(row, False, status.get("reason") or "rejected")
        await asyncio.sleep(delay)
        delay = min(delay * 2, 2.0)


def _result(row: Row, status_code: int, body: dict[str, Any]) -> Result:
    if status_code == 200:
        return Result(row, True)
    reason = str(body.get("message", body.get("error", status_code)))
    problems = body.get("problems") or []
    if problems:
        reason += ": " + "; ".join(
            f"{'.'.join(map(str, p.get('loc', [])))}: {p.get('msg')}" for p in problems
        )
    return Result(row, False, reason)


def _summarise(path: Path, run_id: str, results: list[Result], out: TextIO) -> int:
    accepted = sum(r.accepted for r in results)
    refused = [r for r in results if not r.accepted and r.sent]
    unsent = [r for r in results if not r.sent]
    print(
        f"{path}: {len(results)} rows, {accepted} accepted, {len(refused)} refused"
        f"{f', {len(unsent)} not sent' if unsent else ''} (run {run_id})",
        file=out,
    )
    for result in refused + unsent:
        who = f" {result.row.staff_id}" if result.row.staff_id else ""
        print(f"  line {result.row.line}{who}: {result.reason}", file=out)
    if unsent:
        print(f"resume with: cpd directory import {path} --run-id {run_id}", file=out)
        return NOT_ALL_SENT
    return SOME_REFUSED if refused else ALL_ACCEPTED
