"""Schemathesis against the service's own OpenAPI document: no endpoint answers a 5xx, and
every answer is one the document names, in its media type and its schema.

The service runs as `cpd serve` runs it (uvicorn, embedded NATS, a fresh data directory);
Schemathesis generates valid and invalid requests for every operation in the document.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from handlers.http import create_app
from handlers.service import Service
from handlers.settings import Settings
from tests.live_server import serving

# The document comes from the app itself (building it starts nothing); the test below
# checks the running service serves the same one at /openapi.json.
OPENAPI = create_app(Service(Settings())).openapi()
schema = schemathesis.openapi.from_dict(OPENAPI)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir = tmp_path_factory.mktemp("fuzz") / "data"
    with serving(Settings(data_dir=data_dir, wait_timeout=1)) as url:
        yield url


def test_the_fuzzed_document_is_the_one_the_service_serves(base_url: str) -> None:
    assert httpx.get(f"{base_url}/openapi.json", timeout=30).json() == OPENAPI


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_answer_is_documented_and_none_is_a_server_error(
    base_url: str, case: schemathesis.Case
) -> None:
    case.call_and_validate(base_url=base_url, checks=CHECKS)
