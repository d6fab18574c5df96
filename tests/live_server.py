"""The whole service behind a real uvicorn server on a loopback port, as `cpd serve` runs it."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
import uvicorn

from handlers.composition import build_service
from handlers.http import create_app
from handlers.service import Service
from handlers.settings import Settings
from workflow.clock import Clock

T = TypeVar("T")


@dataclass(frozen=True)
class Running:
    url: str
    service: Service
    loop: asyncio.AbstractEventLoop  # the server's: the service's store and sender live on it

    def run(self, work: Coroutine[Any, Any, T], within: float = 30.0) -> T:
        """Await `work` on the server's loop, from the test's thread, and return its result."""
        return asyncio.run_coroutine_threadsafe(work, self.loop).result(within)


@contextmanager
def serving(settings: Settings) -> Iterator[str]:
    """Its base URL. The socket listens before the server starts, so early requests just
    wait in the backlog; leaving stops the server, which stops the service."""
    with running(lambda _url: settings) as live:
        yield live.url


@contextmanager
def running(
    settings_for: Callable[[str], Settings], clock: Clock | None = None
) -> Iterator[Running]:
    """The service started and answering. `settings_for(url)` gives its settings knowing
    its own address (for links in mail: CPD_PUBLIC_URL); `clock` a fake one to move."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    host, port = listener.getsockname()
    url = f"http://{host}:{port}"
    service = build_service(settings_for(url), clock)
    config = uvicorn.Config(create_app(service), lifespan="on", log_level="warning")
    server = uvicorn.Server(config)
    loops: list[asyncio.AbstractEventLoop] = []

    async def serve() -> None:
        loops.append(asyncio.get_running_loop())
        await server.serve(sockets=[listener])

    def run() -> None:
        with asyncio.Runner(loop_factory=config.get_loop_factory()) as runner:
            runner.run(serve())

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        # uvicorn accepts only once the service has started: the first answer says it has.
        httpx.get(f"{url}/health", timeout=30)
        yield Running(url, service, loops[0])
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        listener.close()
