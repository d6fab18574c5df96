"""The service reads which policy set a school follows from the staff directory."""

from __future__ import annotations

import asyncio
from pathlib import Path

from handlers.service import Service
from handlers.settings import Settings
from tests.lifecycle import encode, lifecycle, load_directory
from tests.workflow.directory_builders import school

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "policies"


async def test_a_school_upserted_with_a_policy_set_has_its_requests_governed_by_it(
    tmp_path: Path,
) -> None:
    service = Service(Settings(data_dir=tmp_path / "data", policy_dir=EXAMPLES))
    await service.start()
    try:
        await load_directory(service.store)
        walmley = school("S-WALMLEY", name="Walmley Infant School", policy_id="walmley-infant")
        outcome = await service.store.apply(walmley)
        assert outcome.status.status == "applied", outcome.status.reason
        submitted, head_approved = lifecycle("WALMLEY-1")[:2]
        for step in (submitted, head_approved):
            await service.broker.publish_inbound(encode(step), step["id"])
        for _ in range(500):
            found = await service.store.get_request("WALMLEY-1")
            if found is not None and found.state == "executive_approved":
                break
            await asyncio.sleep(0.02)
        assert found is not None and found.policy_id == "walmley-infant"
        history = await service.store.history("WALMLEY-1")
        passed = history[-1]
        assert (passed.actor, passed.to_state) == ("policy", "executive_approved")
        assert passed.reason is not None and "approval.executive" in passed.reason
    finally:
        await service.stop()
