"""The whole service behind a real uvicorn server on a loopback port, as `cpd serve` runs it."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from handlers.composition import build_app
from handlers.settings import Settings


@contextmanager
def serving(settings: Settings) -> Iterator[str]:
    """Its base URL. The socket listens before the server starts, so early requests just
    wait in the backlog; leaving stops the server, which stops the service."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    host, port = listener.getsockname()
    config = uvicorn.Config(build_app(settings), lifespan="on", log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        listener.close()
