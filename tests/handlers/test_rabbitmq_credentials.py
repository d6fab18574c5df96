"""RabbitMQ with the users and permissions the README shows, in a virtual host of their own
made on the machine's RabbitMQ with `rabbitmqctl` (and removed afterwards): the service
works with only its permissions, only systems allowed to may post to its queue, and its
password is never shown."""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import shutil
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import quote

import aio_pika
import aiormq.exceptions
import httpx
import pytest

from handlers.brokers.rabbit import INBOUND_QUEUE_NAME, OUTBOUND_EXCHANGE
from handlers.http import create_app
from handlers.service import BrokerUnavailable, Service
from handlers.settings import Settings
from tests.conftest import broker_absent, require_broker
from tests.lifecycle import LIFECYCLE_STATES, encode, lifecycle, load_directory

REPO_ROOT = Path(__file__).resolve().parents[2]
# (configure, write, read) regexes, exactly as the README's rabbitmqctl lines give them.
PERMISSIONS = {
    "cpd-workflow": (r"^cpd\.", r"^(cpd\..*|amq\.default)$", r"^cpd\."),
    "hr-feed": (r"^$", r"^amq\.default$", r"^$"),
    "staff-portal": (r"^staff-portal\.", r"^staff-portal\.", r"^(staff-portal\..*|cpd\.out)$"),
}


class Vhost:
    """A virtual host of this test run, with one user per README role."""

    def __init__(self) -> None:
        run = secrets.token_hex(4)
        self.name = f"cpd-test-{run}"
        self.users = {role: f"cpd-test-{run}-{role}" for role in PERMISSIONS}
        # Characters a URL has to escape: the service must decode them.
        self.passwords = {role: f"{secrets.token_hex(8)}@:/%" for role in PERMISSIONS}

    def url(self, role: str, password: str | None = None) -> str:
        user, password = self.users[role], password or self.passwords[role]
        return f"amqp://{user}:{quote(password, safe='')}@127.0.0.1:5672/{self.name}"


def rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", *args], check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def vhost() -> Iterator[Vhost]:
    require_broker("RabbitMQ", "127.0.0.1", 5672)
    if shutil.which("rabbitmqctl") is None:
        broker_absent("rabbitmqctl is not installed, so no test users can be made")
    made = Vhost()
    rabbitmqctl("add_vhost", made.name)
    try:
        for role, (configure, write, read) in PERMISSIONS.items():
            rabbitmqctl("add_user", made.users[role], made.passwords[role])
            rabbitmqctl(
                "set_permissions", "-p", made.name, made.users[role], configure, write, read
            )
        yield made
    finally:
        rabbitmqctl("delete_vhost", made.name)
        for user in made.users.values():
            subprocess.run(["rabbitmqctl", "delete_user", user], capture_output=True, timeout=60)


@pytest.fixture
async def service(
    vhost: Vhost, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> AsyncIterator[Service]:
    caplog.set_level(logging.DEBUG)
    running = Service(Settings(data_dir=tmp_path / "data", broker_url=vhost.url("cpd-workflow")))
    await running.start()
    try:
        await load_directory(running.store)
        yield running
    finally:
        await running.stop()


def logged(caplog: pytest.LogCaptureFixture) -> str:
    formatter = logging.Formatter()
    records = [*caplog.get_records("setup"), *caplog.get_records("call")]
    return "\n".join(formatter.format(record) for record in records)


@pytest.mark.broker
async def test_the_service_runs_as_a_rabbitmq_user_with_only_the_readme_permissions(
    service: Service, vhost: Vhost, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(service)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://x") as c:
        for step, expected in zip(lifecycle("RMQ-1"), LIFECYCLE_STATES, strict=True):
            answer = await c.post("/events?wait=true", json=step)
            assert answer.json()["request"]["state"] == expected
        health, asyncapi = await c.get("/health"), await c.get("/asyncapi.json")
    assert health.status_code == 200, health.text
    shown, log = health.text + asyncapi.text, logged(caplog)
    password = vhost.passwords["cpd-workflow"]
    for secret in (password, quote(password, safe="")):
        assert secret not in shown
        assert secret not in log
    assert f"at amqp://{vhost.users['cpd-workflow']}:***@127.0.0.1:5672/" in log


@pytest.mark.broker
async def test_a_system_with_write_permission_posts_and_a_listener_hears_the_outcome(
    service: Service, vhost: Vhost
) -> None:
    listener = await aio_pika.connect(vhost.url("staff-portal"))
    poster = await aio_pika.connect(vhost.url("hr-feed"))
    async with listener, poster:
        channel = await listener.channel()
        queue = await channel.declare_queue("staff-portal.cpd-updates", exclusive=True)
        await queue.bind(OUTBOUND_EXCHANGE.name, routing_key="cpd.request.state_changed")
        step = lifecycle("RMQ-HR")[0]
        channel = await poster.channel()
        await channel.default_exchange.publish(
            aio_pika.Message(encode(step)), routing_key=INBOUND_QUEUE_NAME
        )
        async with queue.iterator(timeout=10) as news:
            async for message in news:
                assert json.loads(message.body)["subject"] == "RMQ-HR"
                break
    assert (await service.store.get_request("RMQ-HR")) is not None


@pytest.mark.broker
async def test_a_system_without_write_permission_cannot_post_to_the_queue(
    service: Service, vhost: Vhost
) -> None:
    listener = await aio_pika.connect(vhost.url("staff-portal"))
    async with listener:
        channel = await listener.channel()
        with pytest.raises(aiormq.exceptions.ChannelAccessRefused, match=r"amq\.default"):
            await channel.default_exchange.publish(
                aio_pika.Message(encode(lifecycle("RMQ-FORGED")[0])),
                routing_key=INBOUND_QUEUE_NAME,
            )
    # One allowed post behind it, applied in order: the refused one never reached the queue.
    step = lifecycle("RMQ-AFTER")[0]
    applied = service.waiters.expect(step["source"], step["id"])
    await service.broker.publish_inbound(encode(step), step["id"])
    await asyncio.wait_for(applied, 10)
    assert await service.store.get_request("RMQ-FORGED") is None


@pytest.mark.broker
async def test_a_wrong_rabbitmq_password_stops_the_start_and_is_not_shown(
    vhost: Vhost, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "Wrong-pw-4-cpd"
    service = Service(
        Settings(data_dir=tmp_path / "data", broker_url=vhost.url("cpd-workflow", wrong))
    )
    with pytest.raises(BrokerUnavailable, match="ACCESS_REFUSED") as refused:
        await service.start()
    assert wrong not in str(refused.value)
    assert wrong not in logged(caplog)


def test_the_readme_gives_the_permissions_these_tests_use() -> None:
    readme = (REPO_ROOT / "README.md").read_text()
    for user, (configure, write, read) in PERMISSIONS.items():
        line = f"rabbitmqctl set_permissions -p cpd {user} '{configure}' '{write}' '{read}'"
        assert line in readme
