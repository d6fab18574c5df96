"""The embedded NATS server asks every client for the user and password it keeps."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import stat
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import nats
import nats.errors
import pytest

from handlers._processes import is_our_server, pick_free_port, pid_alive
from handlers.data_dir_lock import DataDirectoryLock
from handlers.embedded_nats import EmbeddedNats, client_url, credentials, default_binary
from handlers.embedded_nats_credentials import CredentialsError, nats_dir

Factory = Callable[[], EmbeddedNats]


@pytest.fixture
async def make_nats(tmp_path: Path) -> AsyncIterator[Factory]:
    created: list[EmbeddedNats] = []

    def factory() -> EmbeddedNats:
        created.append(EmbeddedNats(tmp_path))
        return created[-1]

    try:
        yield factory
    finally:
        for server in created:
            await server.stop()


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The loosest umask: whatever is private is so because it was created so."""
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def command_line(pid: int) -> bytes:
    return Path(f"/proc/{pid}/cmdline").read_bytes()


async def refusal(url: str) -> str:
    """Why the server turned a raw client away ('' if it let it in)."""
    errors: list[Exception] = []

    async def collect(error: Exception) -> None:
        errors.append(error)

    try:
        client = await nats.connect(url, connect_timeout=2, allow_reconnect=False, error_cb=collect)
    except nats.errors.Error as error:
        return str(error)
    await client.close()
    return ""


async def stored_messages(url: str, stream: str) -> int:
    client = await nats.connect(url, connect_timeout=2)
    try:
        info = await client.jetstream().stream_info(stream)
        return int(info.state.messages)
    finally:
        await client.close()


async def old_style_server(directory: Path) -> tuple[asyncio.subprocess.Process, str]:
    """A nats-server as releases before credentials started it: no config, no password."""
    pid_file, port = directory / "nats-server.pid", pick_free_port()
    server = await asyncio.create_subprocess_exec(
        str(default_binary()),
        *("-a", "127.0.0.1", "-p", str(port), "-js", "-sd", str(directory / "jetstream")),
        *("-P", str(pid_file), "-l", str(directory / "nats-server.log")),
        start_new_session=True,
    )
    deadline = time.monotonic() + 15
    while await refusal(f"nats://127.0.0.1:{port}") != "":
        assert time.monotonic() < deadline, "the old-style server did not come up"
        await asyncio.sleep(0.05)
    return server, f"nats://127.0.0.1:{port}"


async def test_the_first_start_makes_a_user_and_password_only_the_service_user_can_read(
    make_nats: Factory, tmp_path: Path, open_umask: None
) -> None:
    server = make_nats()
    await server.start()
    here = nats_dir(tmp_path)
    assert mode(here) == 0o700
    assert mode(here / "credentials.json") == 0o600
    assert mode(here / "nats-server.conf") == 0o600
    kept = json.loads((here / "credentials.json").read_text())
    assert kept == {"user": credentials(tmp_path).user, "password": credentials(tmp_path).password}
    assert len(kept["password"]) >= 32
    assert kept["password"] in (here / "nats-server.conf").read_text()
    assert kept["password"] not in repr(credentials(tmp_path))
    # Any user of the machine can read a process's command line: it is not on it.
    assert kept["password"].encode() not in command_line(server.pid or 0)


async def test_a_client_without_the_password_or_with_a_wrong_one_is_refused(
    make_nats: Factory, tmp_path: Path
) -> None:
    server = make_nats()
    url = await server.start()
    user = credentials(tmp_path).user
    assert "Authorization Violation" in await refusal(server.url)
    assert "Authorization Violation" in await refusal(
        f"nats://{user}:wrong@127.0.0.1:{server.port}"
    )
    assert await refusal(url) == ""
    client = await nats.connect(client_url(tmp_path), connect_timeout=2)
    try:
        await client.jetstream().add_stream(name="CPD", subjects=["cpd.>"])
        assert (await client.jetstream().publish("cpd.x", b"x")).seq == 1
    finally:
        await client.close()


async def test_later_starts_use_the_same_user_and_password(
    make_nats: Factory, tmp_path: Path
) -> None:
    first = make_nats()
    url = await first.start()
    kept = credentials(tmp_path)
    await first.stop()
    assert await make_nats().start() == url
    assert credentials(tmp_path) == kept
    assert await refusal(url) == ""


async def test_a_data_directory_from_before_gets_credentials_and_keeps_its_messages(
    make_nats: Factory, tmp_path: Path
) -> None:
    here = nats_dir(tmp_path)
    here.mkdir()
    old, old_url = await old_style_server(here)
    client = await nats.connect(old_url, connect_timeout=2)
    await client.jetstream().add_stream(name="CPD", subjects=["cpd.>"])
    await client.jetstream().publish("cpd.before", b"posted before credentials")
    await client.close()
    old.terminate()
    await old.wait()
    assert not (here / "credentials.json").exists()

    server = make_nats()
    url = await server.start()
    assert mode(here / "credentials.json") == 0o600
    assert "Authorization Violation" in await refusal(server.url)
    assert await stored_messages(url, "CPD") == 1


async def test_a_server_left_running_without_a_password_is_replaced_by_one_that_asks(
    make_nats: Factory, tmp_path: Path
) -> None:
    here = nats_dir(tmp_path)
    here.mkdir()
    survivor, _ = await old_style_server(here)
    try:
        server = make_nats()
        url = await server.start()
        await asyncio.wait_for(survivor.wait(), 15)
        assert is_our_server(server.pid or 0, here / "nats-server.pid")
        assert "Authorization Violation" in await refusal(server.url)
        assert await refusal(url) == ""
    finally:
        if survivor.returncode is None:
            survivor.kill()
            await survivor.wait()


async def test_a_server_restarted_after_a_crash_still_asks_for_the_password(
    make_nats: Factory,
) -> None:
    server = make_nats()
    url = await server.start()
    crashed = server.pid
    assert crashed is not None
    os.kill(crashed, signal.SIGKILL)
    deadline = time.monotonic() + 15
    while not (server.restarts == 1 and server.healthy):
        assert time.monotonic() < deadline, "the server was not restarted"
        await asyncio.sleep(0.05)
    assert not pid_alive(crashed)
    assert "Authorization Violation" in await refusal(server.url)
    assert await refusal(url) == ""


async def test_a_credentials_file_others_could_read_is_made_private_again(
    make_nats: Factory, tmp_path: Path
) -> None:
    first = make_nats()
    url = await first.start()
    await first.stop()
    kept = nats_dir(tmp_path) / "credentials.json"
    kept.chmod(0o644)
    assert await make_nats().start() == url
    assert mode(kept) == 0o600


async def test_a_damaged_credentials_file_stops_the_start_with_a_message_naming_it(
    make_nats: Factory, tmp_path: Path
) -> None:
    here = nats_dir(tmp_path)
    here.mkdir()
    (here / "credentials.json").write_text('{"user": "cpd", "password": "has \\" quote"}')
    server = make_nats()
    with pytest.raises(CredentialsError, match=r"credentials\.json: user and password must"):
        await server.start()
    assert server.pid is None  # no server was started without its password


def test_a_data_directory_the_service_creates_is_private(tmp_path: Path, open_umask: None) -> None:
    lock = DataDirectoryLock(tmp_path / "cpd-data")
    lock.acquire(port=None)
    try:
        assert mode(tmp_path / "cpd-data") == 0o700
    finally:
        lock.release()


def test_a_client_asking_before_the_first_start_is_told_there_are_none_yet(
    tmp_path: Path,
) -> None:
    with pytest.raises(FileNotFoundError, match="no embedded NATS credentials yet"):
        credentials(tmp_path)
