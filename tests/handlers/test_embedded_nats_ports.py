"""The embedded NATS server opens one port, on loopback only: nothing of it needs opening
in a firewall, and nothing of it is reachable from another machine (README: ports)."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from handlers.service import Service

LISTEN = "0A"  # the kernel's TCP state code for a listening socket


def _listening(pid: int) -> list[tuple[str, int]]:
    """(address, port) of each TCP socket process `pid` listens on, from /proc."""
    proc = Path(f"/proc/{pid}")
    if not proc.is_dir():
        pytest.skip("no /proc here: the listening sockets cannot be read")
    inodes = set()
    for fd in (proc / "fd").iterdir():
        target = os.readlink(fd)
        if target.startswith("socket:["):
            inodes.add(target.removeprefix("socket:[").removesuffix("]"))
    found = []
    for table, family in (("tcp", socket.AF_INET), ("tcp6", socket.AF_INET6)):
        for line in (proc / "net" / table).read_text().splitlines()[1:]:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == LISTEN and inode in inodes:
                found.append(_address(local, family))
    return found


def _address(local: str, family: socket.AddressFamily) -> tuple[str, int]:
    hex_address, hex_port = local.split(":")
    raw = bytes.fromhex(hex_address)
    # /proc prints the address as 32-bit words in the host's byte order.
    words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
    return socket.inet_ntop(family, words), int(hex_port, 16)


def test_the_embedded_server_listens_on_one_loopback_port_only(
    embedded_service: Service,
) -> None:
    assert embedded_service.embedded is not None and embedded_service.embedded.pid is not None

    listening = _listening(embedded_service.embedded.pid)

    assert listening == [("127.0.0.1", embedded_service.embedded.port)]
