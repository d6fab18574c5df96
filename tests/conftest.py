"""Shared fixtures: real brokers where the machine has them, skipped (or failed in CI) if not."""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NoReturn

import pytest

from handlers.service import Service
from handlers.settings import Settings
from tests.lifecycle import load_directory
from tests.reports_term import build_term_database, copy_term_database

RABBITMQ_URL = os.environ.get("CPD_TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/")
MACHINE_NATS_URL = os.environ.get("CPD_TEST_NATS_URL", "nats://127.0.0.1:4222")


def require_broker(name: str, host: str, port: int) -> None:
    """Skip with a reason when a machine broker is absent; fail instead under CI's flag."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return
    except OSError as error:
        broker_absent(f"{name} is not reachable on {host}:{port} ({error})")


def broker_absent(message: str) -> NoReturn:
    """What a test needing the machine's broker (or its tools) does without it."""
    if os.environ.get("CPD_REQUIRE_BROKERS") == "1":
        pytest.fail(f"CPD_REQUIRE_BROKERS=1 but {message}")
    pytest.skip(message)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A real SQLite file, never `:memory:`."""
    return tmp_path / "cpd.sqlite3"


@pytest.fixture
async def embedded_service(tmp_path: Path) -> AsyncIterator[Service]:
    """The whole service on its embedded NATS, as `cpd serve` runs it (no HTTP server), with
    the lifecycle's people in its staff directory."""
    service = Service(Settings(data_dir=tmp_path / "data", max_deliver=3, wait_timeout=10))
    await service.start()
    try:
        await load_directory(service.store)
        yield service
    finally:
        await service.stop()


@pytest.fixture(scope="session")
def term_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The scripted term of the reports' tests (tests/reports_term.py), played once."""
    built = tmp_path_factory.mktemp("term")
    with ThreadPoolExecutor(1) as thread:  # its own event loop, whatever the test's is
        return thread.submit(asyncio.run, build_term_database(built)).result()


@pytest.fixture
def term_data_dir(term_built: Path, tmp_path: Path) -> Path:
    """A data directory of its own holding a copy of the scripted term."""
    return copy_term_database(term_built, tmp_path / "data")
