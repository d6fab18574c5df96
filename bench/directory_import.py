"""How long `cpd directory import` takes for a large file against a running `cpd serve`.

Starts `cpd serve` (embedded NATS) on a free port in a fresh data directory, writes a
generated file (`--rows`, default 5,000, with a bad row about every 97th), runs the import
as a separate process, then runs it again with the same --run-id (a resumed run: nothing
may be applied twice). Run: `python bench/directory_import.py [--rows N]`.
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.handlers.directory_csv import write_directory  # noqa: E402

CPD = [sys.executable, "-m", "handlers.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(data_dir: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CPD_")}
    env["CPD_LOG_LEVEL"] = "WARNING"
    process = subprocess.Popen(
        [*CPD, "serve", "--port", str(port), "--data-dir", str(data_dir)],
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"cpd serve did not become healthy; see {log}")


def run_import(path: Path, port: int, *extra: str) -> tuple[float, int, str]:
    started = time.monotonic()
    done = subprocess.run(
        [*CPD, "directory", "import", str(path), "--url", f"http://127.0.0.1:{port}", *extra],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return time.monotonic() - started, done.returncode, done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cpd-bench-directory-"))
    bad = write_directory(work / "directory.csv", args.rows)
    port = free_port()
    server = serve(work / "data", port, work / "serve.log")
    try:
        seconds, code, out = run_import(work / "directory.csv", port)
        run_id = out.splitlines()[0].rsplit("(run ", 1)[1].rstrip(")")
        again, code_again, out_again = run_import(work / "directory.csv", port, "--run-id", run_id)
        versions = httpx.get(f"http://127.0.0.1:{port}/staff/G-00000").json()["valid_from"]
    finally:
        server.terminate()
        server.wait(timeout=30)
    cpus = os.cpu_count()
    print(f"machine: {platform.machine()}, {cpus} CPUs, Python {platform.python_version()}")
    print(
        f"{args.rows} rows ({len(bad)} bad): {seconds:.2f} s, {args.rows / seconds:.0f} rows/s,"
        f" exit {code}"
    )
    print(f"same run again (--run-id {run_id}): {again:.2f} s, exit {code_again}")
    print(out.splitlines()[0])
    print(out_again.splitlines()[0])
    print(f"G-00000 valid from {versions} (unchanged by the resumed run)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
