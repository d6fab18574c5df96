from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import nats
import pytest
from nats.aio.client import Client

from handlers._processes import is_our_server, pid_alive
from handlers.embedded_nats import EmbeddedNats, client_url, default_binary

REPO_ROOT = Path(__file__).resolve().parents[2]

Factory = Callable[..., EmbeddedNats]


async def wait_for(cond: Callable[[], bool], within: float = 15.0) -> None:
    deadline = time.monotonic() + within
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met before deadline")
        await asyncio.sleep(0.05)


def pid_file(data_dir: Path) -> Path:
    return data_dir.resolve() / "nats" / "nats-server.pid"


def read_pid(data_dir: Path) -> int:
    return int(pid_file(data_dir).read_text().strip())


def servers_using(pf: Path) -> list[int]:
    """Live pids whose command line names this pid file, i.e. servers on this data dir."""
    pids = [int(d.name) for d in Path("/proc").iterdir() if d.name.isdigit()]
    return [pid for pid in pids if pid_alive(pid) and is_our_server(pid, pf)]


@pytest.fixture
async def make_nats(tmp_path: Path) -> AsyncIterator[Factory]:
    created: list[EmbeddedNats] = []

    def factory(data_dir: Path = tmp_path, **kwargs: object) -> EmbeddedNats:
        server = EmbeddedNats(data_dir, **kwargs)  # type: ignore[arg-type]
        created.append(server)
        return server

    try:
        yield factory
    finally:
        for server in created:
            await server.stop()
        # Safety net for servers started outside our objects (the simulated killed service).
        pf = pid_file(tmp_path)
        with contextlib.suppress(OSError, ValueError):
            pid = int(pf.read_text().strip())
            if pid_alive(pid) and is_our_server(pid, pf):
                os.kill(pid, signal.SIGKILL)


async def connect(url: str, **kwargs: object) -> Client:
    nc: Client = await nats.connect(url, connect_timeout=2, **kwargs)
    return nc


async def test_start_serves_jetstream_on_free_port(make_nats: Factory, tmp_path: Path) -> None:
    server = make_nats()
    url = await server.start()
    assert url == server.client_url == client_url(tmp_path)
    assert url.endswith(f"@127.0.0.1:{server.port}")
    assert server.port != 4222
    assert server.healthy
    assert read_pid(tmp_path) == server.status()["pid"]
    assert pid_alive(read_pid(tmp_path))
    assert (tmp_path / "nats" / "port").read_text().strip() == str(server.port)

    nc = await connect(url)
    try:
        js = nc.jetstream()
        await js.add_stream(name="CPD", subjects=["cpd.>"])
        ack = await js.publish("cpd.enrolled", b"hello")
        assert ack.stream == "CPD"
        assert ack.seq == 1
    finally:
        await nc.close()

    status = server.status()
    assert status["embedded"] is True
    assert status["url"] == f"nats://127.0.0.1:{server.port}"  # shown: no credentials
    assert status["healthy"] is True
    assert status["restarts"] == 0


async def test_stop_terminates_and_removes_pid_file(make_nats: Factory, tmp_path: Path) -> None:
    server = make_nats()
    await server.start()
    pid = read_pid(tmp_path)
    await server.stop()
    assert not pid_alive(pid)
    assert not pid_file(tmp_path).exists()
    assert not server.healthy
    assert server.status()["last_exit_code"] == 0
    await server.stop()  # idempotent


async def test_the_server_of_a_service_killed_with_sigkill_dies_with_it(tmp_path: Path) -> None:
    # A real separate service process, killed with SIGKILL: nothing of ours runs after.
    code = (
        "import asyncio, sys\n"
        "from pathlib import Path\n"
        "from handlers.embedded_nats import EmbeddedNats\n"
        "async def main():\n"
        "    s = EmbeddedNats(Path(sys.argv[1]))\n"
        "    await s.start()\n"
        "    print(s.port, flush=True)\n"
        "    await asyncio.sleep(3600)\n"
        "asyncio.run(main())\n"
    )
    service = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        code,
        str(tmp_path),
        stdout=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )
    try:
        assert service.stdout is not None
        await asyncio.wait_for(service.stdout.readline(), 20)
        server_pid = read_pid(tmp_path)
        assert pid_alive(server_pid)
    finally:
        service.kill()
        await service.wait()
    await wait_for(lambda: not pid_alive(server_pid))
    assert servers_using(pid_file(tmp_path)) == []


async def test_a_survivor_named_by_the_pid_file_is_stopped_and_its_port_reused(
    make_nats: Factory, tmp_path: Path
) -> None:
    # A server that outlived its service some other way (say, started by an older
    # release): launched here with the very arguments the service uses, outside any of
    # our objects, so only the pid file can tell the next start that it is ours.
    first = make_nats()
    await first.start()
    old_port = first.port
    await first.stop()
    nats_dir = pid_file(tmp_path).parent
    survivor = await asyncio.create_subprocess_exec(
        str(default_binary()),
        *("-a", "127.0.0.1", "-p", str(old_port), "-js", "-sd", str(nats_dir / "jetstream")),
        *("-P", str(pid_file(tmp_path)), "-l", str(nats_dir / "nats-server.log")),
        start_new_session=True,
    )
    await wait_for(lambda: pid_file(tmp_path).exists())
    assert read_pid(tmp_path) == survivor.pid

    server = make_nats()
    await server.start()
    await survivor.wait()
    assert server.status()["pid"] != survivor.pid
    assert read_pid(tmp_path) == server.status()["pid"]
    assert server.port == old_port  # same URL for clients that remember it
    assert servers_using(pid_file(tmp_path)) == [server.status()["pid"]]


async def test_in_process_abandoned_server_is_replaced(make_nats: Factory, tmp_path: Path) -> None:
    first = make_nats()
    await first.start()
    old_pid = read_pid(tmp_path)
    # Simulate the owner vanishing: no supervisor, no stop().
    assert first._supervisor is not None
    first._supervisor.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await first._supervisor
    first._supervisor = None

    second = make_nats()
    await second.start()
    assert not pid_alive(old_pid)
    assert read_pid(tmp_path) == second.status()["pid"]
    await first.stop()  # must not remove the pid file the second server now owns
    assert read_pid(tmp_path) == second.status()["pid"]
    assert second.healthy


@pytest.mark.parametrize("kind", ["dead", "unrelated"])
async def test_stale_pid_file_is_not_killed_and_replaced(
    make_nats: Factory, tmp_path: Path, kind: str
) -> None:
    if kind == "dead":
        proc = await asyncio.create_subprocess_exec("true")
        await proc.wait()
        stale = proc.pid
    else:
        stale = os.getpid()
    pf = pid_file(tmp_path)
    pf.parent.mkdir(parents=True)
    pf.write_text(f"{stale}\n")

    server = make_nats()
    await server.start()
    assert read_pid(tmp_path) == server.status()["pid"] != stale
    if kind == "unrelated":
        assert pid_alive(stale)


async def test_reserved_port_in_port_file_is_not_reused(make_nats: Factory, tmp_path: Path) -> None:
    (tmp_path / "nats").mkdir()
    (tmp_path / "nats" / "port").write_text("4222\n")
    server = make_nats()
    await server.start()
    assert server.port != 4222


async def test_supervisor_restarts_after_kill_9(make_nats: Factory, tmp_path: Path) -> None:
    server = make_nats()
    url = await server.start()
    port = server.port
    nc = await connect(url, reconnect_time_wait=0.1, max_reconnect_attempts=-1)
    try:
        js = nc.jetstream()
        await js.add_stream(name="CPD", subjects=["cpd.>"])
        old_pid = read_pid(tmp_path)
        os.kill(old_pid, signal.SIGKILL)

        await wait_for(lambda: server.restarts == 1 and server.healthy)
        assert server.port == port
        assert server.client_url == url
        assert server.status()["last_exit_code"] == -signal.SIGKILL
        assert server.status()["pid"] != old_pid
        await wait_for(lambda: read_pid(tmp_path) == server.status()["pid"])

        await wait_for(lambda: nc.is_connected)
        ack = await js.publish("cpd.after_restart", b"x")
        assert ack.seq == 1
    finally:
        await nc.close()

    fresh = await connect(url)
    try:
        info = await fresh.jetstream().stream_info("CPD")
        assert info.state.messages == 1
    finally:
        await fresh.close()


async def test_jetstream_data_persists_across_restart(make_nats: Factory, tmp_path: Path) -> None:
    server = make_nats()
    url = await server.start()
    nc = await connect(url)
    try:
        await nc.jetstream().add_stream(name="CPD", subjects=["cpd.>"])
        await nc.jetstream().publish("cpd.kept", b"data")
    finally:
        await nc.close()
    await server.stop()

    again = make_nats()
    assert await again.start() == url
    nc = await connect(url)
    try:
        info = await nc.jetstream().stream_info("CPD")
        assert info.state.messages == 1
    finally:
        await nc.close()


async def test_failed_start_raises_with_log_and_stop_is_safe(
    make_nats: Factory, tmp_path: Path
) -> None:
    server = make_nats(binary=Path("/bin/false"))
    with pytest.raises(RuntimeError, match="exited with code 1"):
        await server.start()
    assert not server.healthy
    await server.stop()
    await server.stop()


async def test_not_ready_in_time_raises_and_kills(make_nats: Factory, tmp_path: Path) -> None:
    fake = tmp_path / "fake-nats"
    fake.write_text("#!/bin/sh\necho 'fake server starting'\nexec sleep 60\n")
    fake.chmod(0o755)
    server = make_nats(binary=fake, ready_timeout=0.5)
    with pytest.raises(RuntimeError, match=r"not ready within(.|\n)*fake server starting"):
        await server.start()
    assert server.status()["pid"] is not None
    pid = server.status()["pid"]
    assert isinstance(pid, int)
    assert not pid_alive(pid)
    await server.stop()
