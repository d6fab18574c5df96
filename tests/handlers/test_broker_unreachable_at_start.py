"""A broker that is down when the service starts is a failed start saying which broker,
within a bounded time, so a service manager restarts it; not a start that hangs for ever."""

from __future__ import annotations

from pathlib import Path

import pytest

from handlers import service as service_module
from handlers.service import BrokerUnavailable, Service
from handlers.settings import Settings
from tests.mail_server import free_port


@pytest.mark.parametrize("scheme", ["nats", "amqp"])
async def test_an_unreachable_broker_fails_the_start_naming_it_with_its_password_masked(
    scheme: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service_module, "BROKER_START_SECONDS", 2.0)
    url = f"{scheme}://cpd:s3cret@127.0.0.1:{free_port()}"  # nothing listens there
    service = Service(Settings(data_dir=tmp_path / "data", broker_url=url))

    with pytest.raises(BrokerUnavailable) as refused:
        await service.start()

    assert f"{scheme}://cpd:***@127.0.0.1:" in str(refused.value)
    assert "s3cret" not in str(refused.value)
    assert not service.lock.held  # nothing left half-started: a restart may take over
