"""The store on a real file, with a fake clock at the builders' start time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.workflow.builders import START, open_store
from workflow.clock import FakeClock
from workflow.store import Store


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
async def store(db_path: Path, clock: FakeClock) -> AsyncIterator[Store]:
    async with open_store(db_path, clock) as store:
        yield store
