"""`cpd directory import` against a real `cpd serve`: rows accepted, refused rows named by
line, exit codes, and a resumed run that applies nothing twice."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from handlers.cli import main
from tests.handlers.directory_csv import write_directory

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "directory.csv"
HEADER = "staff_id,name,email,school_id,roles,line_manager_id,is_ect,contract,started_on"


@pytest.fixture(scope="module")
def service_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`cpd serve` on its embedded NATS, in its own process, as a trust runs it."""
    work = tmp_path_factory.mktemp("serve")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("CPD_")}
    log = (work / "serve.log").open("wb")  # a file: a full pipe would stall the service
    process = subprocess.Popen(
        [sys.executable, "-m", "handlers.cli", "serve", "--port", str(port)],
        env={**env, "CPD_DATA_DIR": str(work / "data"), "CPD_LOG_LEVEL": "WARNING"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _until_healthy(url, process)
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=30)
        if process.poll() is None:
            process.kill()
        log.close()


def _until_healthy(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return
        time.sleep(0.05)  # polling a starting process: nothing to await
    raise AssertionError("cpd serve did not become healthy")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    code = main(["directory", "import", *args])
    return code, capsys.readouterr().out.splitlines()


def test_a_5000_row_file_names_every_refused_row_and_a_resumed_run_applies_nothing_twice(
    service_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "staff.csv"
    bad = write_directory(path, 5000)

    code, lines = run(capsys, str(path), "--url", service_url)

    assert code == 1
    assert f"5000 rows, {5000 - len(bad)} accepted, {len(bad)} refused" in lines[0]
    refused = {int(line.split()[1].rstrip(":")): line for line in lines[1:]}
    assert set(refused) == set(bad)
    for line_number, word in bad.items():
        assert word in refused[line_number]
    assert httpx.get(f"{service_url}/staff/G-04999").status_code == 200
    first = httpx.get(f"{service_url}/staff/G-00000").json()

    run_id = lines[0].rsplit("(run ", 1)[1].rstrip(")")
    again, lines_again = run(capsys, str(path), "--url", service_url, "--run-id", run_id)

    assert (again, lines_again) == (code, lines)
    assert httpx.get(f"{service_url}/staff/G-00000").json() == first


def test_the_sample_directory_imports_cleanly_and_a_later_run_applies_again(
    service_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines = run(capsys, str(EXAMPLE), "--url", service_url)
    first = httpx.get(f"{service_url}/staff/T-043").json()

    later, _ = run(capsys, str(EXAMPLE), "--url", service_url)
    second = httpx.get(f"{service_url}/staff/T-043").json()

    assert (code, later) == (0, 0)
    assert "14 rows, 14 accepted, 0 refused" in lines[0]
    assert (first["is_ect"], first["contract"]) == (True, "full_time")
    assert second["valid_from"] > first["valid_from"]


def test_the_last_row_about_a_person_is_the_one_that_stands(
    service_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        f"P-{n},Name {n},p{n}@x.example,S-1,teacher,,false,full_time,2020-09-01" for n in range(50)
    ]
    last = "P-7,Renamed Seven,p7@x.example,S-1,teacher;cpd_lead,,false,part_time,2020-09-01"
    path = tmp_path / "twice.csv"
    path.write_text("\n".join([HEADER, *rows, last]) + "\n")

    code, _ = run(capsys, str(path), "--url", service_url)

    assert code == 0
    member = httpx.get(f"{service_url}/staff/P-7").json()
    assert (member["name"], member["roles"]) == ("Renamed Seven", ["cpd_lead", "teacher"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read"),
        ("id,name\nP-1,Ann\n", "line 1 must be the header"),
        (b"\xff\xfe\x00bad", "cannot read"),
    ],
)
def test_a_file_that_cannot_be_read_exits_2_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | bytes | None, message: str
) -> None:
    path = tmp_path / "staff.csv"
    if isinstance(content, str):
        path.write_text(content)
    elif content is not None:
        path.write_bytes(content)

    code = main(["directory", "import", str(path), "--url", "http://127.0.0.1:9"])

    assert code == 2
    assert message in capsys.readouterr().err
