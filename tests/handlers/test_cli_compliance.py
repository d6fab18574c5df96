"""`cpd compliance` against the service on a real port: the school's list, and exit codes."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from handlers.cli import main
from handlers.settings import Settings
from tests.handlers.keys import make_key
from tests.lifecycle import TODAY, post_directory
from tests.live_server import serving

DATA = "data"


@pytest.fixture
def url(tmp_path: Path) -> Iterator[str]:
    with serving(Settings(data_dir=tmp_path / DATA)) as url:
        post_directory(url)
        qualification = {
            "specversion": "1.0",
            "id": "training-1",
            "source": "urn:trust:training",
            "type": "qualification.recorded",
            "subject": "T-042",
            "actor": "training-records",
            "data": {
                "staff_id": "T-042",
                "kind": "safeguarding",
                "achieved_on": (TODAY - timedelta(days=300)).isoformat(),
            },
        }
        answer = httpx.post(f"{url}/events?wait=true", json=qualification, timeout=15)
        assert answer.status_code == 200, answer.text
        yield url


def test_it_lists_each_person_kind_and_status_of_the_school(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["compliance", "--school", "S-WALMLEY", "--url", url]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"Statutory training on {TODAY.isoformat()}"
    rows = {line.split()[1]: line.split() for line in lines[2:-1]}
    assert rows["T-042"][-2] == "expiring"  # achieved 300 days ago, valid for 12 months
    assert rows["HEAD-1"][-2:] == ["missing", "-"]
    assert lines[-1] == "0 expired, 1 expiring, 0 valid, 1 missing"


def test_a_key_without_read_reports_is_refused_with_exit_3(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = make_key(tmp_path / DATA, "portal", "read:requests")
    assert main(["compliance", "--url", url, "--key", key]) == 3
    assert "403" in capsys.readouterr().err


def test_a_service_that_cannot_be_reached_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once closed
    assert main(["compliance", "--url", f"http://127.0.0.1:{port}"]) == 2
    assert "cannot reach the service" in capsys.readouterr().err
