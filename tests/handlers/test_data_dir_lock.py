"""One service per data directory, however the first one was started."""

from __future__ import annotations

from pathlib import Path

import pytest

from handlers.data_dir_lock import DataDirectoryInUse, DataDirectoryLock
from handlers.service import Service
from handlers.settings import Settings


async def test_a_second_service_in_the_same_process_is_refused_before_it_touches_anything(
    embedded_service: Service,
) -> None:
    settings = embedded_service.settings
    second = Service(Settings(data_dir=settings.data_dir, port=8123))
    with pytest.raises(DataDirectoryInUse, match=r"pid \d+, HTTP port 8000"):
        await second.start()
    assert second.embedded is None
    assert (await embedded_service.health())["status"] == "ok"


def test_the_lock_is_free_again_once_released(tmp_path: Path) -> None:
    first, second = DataDirectoryLock(tmp_path), DataDirectoryLock(tmp_path)
    first.acquire(port=8000)
    with pytest.raises(DataDirectoryInUse):
        second.acquire(port=8001)
    first.release()
    second.acquire(port=8001)
    assert second.held and not first.held
    second.release()
