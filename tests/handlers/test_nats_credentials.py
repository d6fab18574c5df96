"""NATS with credentials: a server shared with the trust's other systems, set up as the
README shows (examples/brokers/nats-authorization.conf), and the embedded server. The
service connects with the user and password of its URL, only allowed systems may post to
the inbound subject, and a password is never shown: not in /health, /asyncapi.json or
the log."""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import quote

import httpx
import nats
import nats.errors
import pytest

from handlers._processes import pick_free_port
from handlers.brokers.nats import INBOUND_STREAM, INBOUND_SUBJECT
from handlers.embedded_nats import credentials, default_binary
from handlers.http import create_app
from handlers.service import BrokerUnavailable, Service
from handlers.settings import Settings
from tests.blackbox.service import ServiceDied, ServiceProcess, free_port
from tests.lifecycle import LIFECYCLE_STATES, encode, lifecycle, load_directory

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = REPO_ROOT / "examples" / "brokers" / "nats-authorization.conf"
# Characters a URL has to escape: the service must decode them, not send them as written.
PASSWORDS = {
    "cpd-workflow": "Cpd@workflow:pw/100%",
    "hr-feed": "hr-feed-pw",
    "staff-portal": "staff-portal-pw",
}
SERVICE_SECRETS = [PASSWORDS["cpd-workflow"], quote(PASSWORDS["cpd-workflow"], safe="")]


def url(port: int, user: str, password: str | None = None) -> str:
    password = PASSWORDS[user] if password is None else password
    return f"nats://{user}:{quote(password, safe='')}@127.0.0.1:{port}"


@pytest.fixture
async def shared_nats(tmp_path: Path) -> AsyncIterator[int]:
    """The README's example config on a real nats-server; yields its port."""
    port = pick_free_port()
    env = {  # the example reads its passwords from the server's environment
        **os.environ,
        "CPD_WORKFLOW_NATS_PASSWORD": PASSWORDS["cpd-workflow"],
        "HR_FEED_NATS_PASSWORD": PASSWORDS["hr-feed"],
        "STAFF_PORTAL_NATS_PASSWORD": PASSWORDS["staff-portal"],
    }
    server = await asyncio.create_subprocess_exec(
        str(default_binary()),
        *("-c", str(EXAMPLE), "-a", "127.0.0.1", "-p", str(port)),
        *("-js", "-sd", str(tmp_path / "jetstream"), "-l", str(tmp_path / "nats.log")),
        env=env,
        start_new_session=True,
    )
    try:
        for _ in range(200):
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", port)
            except OSError:
                await asyncio.sleep(0.05)  # nothing to await before it listens
                continue
            writer.close()
            break
        yield port
    finally:
        server.terminate()
        await server.wait()


@pytest.fixture
async def service(
    shared_nats: int, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> AsyncIterator[Service]:
    caplog.set_level(logging.DEBUG)
    running = Service(
        Settings(data_dir=tmp_path / "data", broker_url=url(shared_nats, "cpd-workflow"))
    )
    await running.start()
    try:
        await load_directory(running.store)
        yield running
    finally:
        await running.stop()


def logged(caplog: pytest.LogCaptureFixture) -> str:
    """Every line logged while the service started (fixture setup) and ran, tracebacks too."""
    formatter = logging.Formatter()
    records = [*caplog.get_records("setup"), *caplog.get_records("call")]
    return "\n".join(formatter.format(record) for record in records)


async def shown_pages(service: Service) -> str:
    app = create_app(service)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://x") as c:
        health, asyncapi = await c.get("/health"), await c.get("/asyncapi.json")
    assert health.status_code == 200, health.text
    return health.text + asyncapi.text


async def test_the_service_runs_on_a_shared_nats_as_the_user_of_the_readme_example(
    service: Service, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(service)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://x") as c:
        for step, expected in zip(lifecycle("SHARED-1"), LIFECYCLE_STATES, strict=True):
            answer = await c.post("/events?wait=true", json=step)
            assert answer.json()["request"]["state"] == expected
    pages = await shown_pages(service)
    assert "nats-user-password" in pages  # the AsyncAPI document says a password is needed
    log = logged(caplog)
    for secret in SERVICE_SECRETS:
        assert secret not in pages
        assert secret not in log
    assert "at nats://cpd-workflow:***@127.0.0.1:" in log


async def test_a_system_allowed_to_post_on_the_inbound_subject_has_its_event_applied(
    service: Service, shared_nats: int
) -> None:
    step = lifecycle("SHARED-HR")[0]
    applied = service.waiters.expect(step["source"], step["id"])
    hr_feed = await nats.connect(url(shared_nats, "hr-feed"), inbox_prefix="_INBOX_hr_feed")
    try:
        ack = await hr_feed.jetstream().publish(INBOUND_SUBJECT, encode(step))
    finally:
        await hr_feed.close()
    assert ack.stream == INBOUND_STREAM
    outcome = await asyncio.wait_for(applied, 10)
    assert outcome.request is not None and outcome.request.state == "requested"


async def test_a_system_without_publish_permission_on_the_inbound_subject_is_refused(
    service: Service, shared_nats: int
) -> None:
    refusals: asyncio.Queue[Exception] = asyncio.Queue()

    async def refused(error: Exception) -> None:
        await refusals.put(error)

    portal = await nats.connect(url(shared_nats, "staff-portal"), error_cb=refused)
    hr_feed = await nats.connect(
        url(shared_nats, "hr-feed"), inbox_prefix="_INBOX_hr_feed", error_cb=refused
    )
    try:
        announced = await portal.subscribe("cpd.request.state_changed")
        await portal.publish(INBOUND_SUBJECT, encode(lifecycle("SHARED-FORGED")[0]))
        error = await asyncio.wait_for(refusals.get(), 10)
        assert 'permissions violation for publish to "cpd.inbound"' in str(error)
        # Nor may a poster announce what the service did.
        await hr_feed.publish("cpd.request.state_changed", b"{}")
        error = await asyncio.wait_for(refusals.get(), 10)
        assert 'permissions violation for publish to "cpd.request.state_changed"' in str(error)
        # The stream keeps order: once a later allowed post is applied, the refused one
        # would have been too, had it got in.
        allowed = lifecycle("SHARED-ALLOWED")[0]
        await hr_feed.jetstream().publish(INBOUND_SUBJECT, encode(allowed))
        news = json.loads((await announced.next_msg(timeout=10)).data)
        assert news["subject"] == "SHARED-ALLOWED"
        assert await service.store.get_request("SHARED-FORGED") is None
    finally:
        await portal.close()
        await hr_feed.close()


async def test_a_wrong_password_stops_the_start_and_is_not_shown(
    shared_nats: int, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "Wrong-pw-4-cpd"
    service = Service(
        Settings(data_dir=tmp_path / "data", broker_url=url(shared_nats, "cpd-workflow", wrong))
    )
    with pytest.raises(BrokerUnavailable, match="Authorization Violation") as refused:
        await service.start()
    assert wrong not in str(refused.value)
    assert wrong not in logged(caplog)


async def test_the_embedded_servers_password_is_never_shown(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    service = Service(Settings(data_dir=tmp_path / "data"))
    await service.start()
    try:
        pages = await shown_pages(service)
    finally:
        await service.stop()
    password = credentials(tmp_path / "data").password
    assert password not in pages
    log = logged(caplog)
    assert password not in log
    assert password not in (tmp_path / "data" / "nats" / "nats-server.log").read_text()
    assert "at nats://cpd-" in log and ":***@127.0.0.1:" in log


async def test_cpd_serve_prints_no_broker_password(shared_nats: int, tmp_path: Path) -> None:
    def serve(name: str, password: str | None = None) -> ServiceProcess:
        broker = url(shared_nats, "cpd-workflow", password)  # DEBUG: the most it ever says
        env = {"CPD_BROKER_URL": broker, "CPD_LOG_LEVEL": "DEBUG"}
        return ServiceProcess(tmp_path / name, free_port(), env)

    served, wrong = serve("data"), serve("wrong", "Wrong-pw-4-cpd")
    try:
        await served.start()
        async with httpx.AsyncClient(base_url=served.url, timeout=5) as client:
            pages = (await client.get("/health")).text + (await client.get("/asyncapi.json")).text
        code, _ = await served.terminate(within=15)
        assert code == 0
        with pytest.raises(ServiceDied, match="exited before it was healthy"):
            await wrong.start()
    finally:
        await served.clean_up()
        await wrong.clean_up()
    printed = served.log_path.read_text()
    assert "cpd-workflow:***@127.0.0.1" in printed
    for secret in SERVICE_SECRETS:
        assert secret not in pages + printed
    printed = wrong.log_path.read_text()
    assert "Authorization Violation" in printed and "Wrong-pw-4-cpd" not in printed


def test_the_readme_shows_the_nats_example_these_tests_run() -> None:
    example = EXAMPLE.read_text()
    readme = (REPO_ROOT / "README.md").read_text()
    assert example[example.index("authorization {") :] in readme
