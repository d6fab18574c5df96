"""A request keeps the rules it was submitted under, even after its policy file is edited
in place and the service restarts."""

from __future__ import annotations

import shutil
from pathlib import Path

from handlers.service import Service
from handlers.settings import Settings
from schemas import parse_inbound
from tests.lifecycle import SCHOOL, lifecycle, load_directory
from tests.workflow.directory_builders import school

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "policies"


async def _started(data_dir: Path, policy_dir: Path) -> Service:
    service = Service(Settings(data_dir=data_dir, policy_dir=policy_dir))
    await service.start()
    return service


async def _apply(service: Service, body: dict[str, object]) -> None:
    outcome = await service.store.apply(parse_inbound(body))
    assert outcome.status.status == "applied", outcome.status.reason


async def test_an_edited_policy_file_does_not_change_the_rules_of_earlier_requests(
    tmp_path: Path,
) -> None:
    policies, data = tmp_path / "policies", tmp_path / "data"
    policies.mkdir()
    policy_file = policies / "walmley-infant.toml"
    shutil.copy(EXAMPLES / "walmley-infant.toml", policy_file)
    first = await _started(data, policies)
    try:
        await load_directory(first.store)
        await first.store.apply(school(SCHOOL, "TR-OAKS", policy_id="walmley-infant"))
        await _apply(first, lifecycle("PINNED-1")[0])
    finally:
        await first.stop()

    # Edited in place: a new version that sends every request to the executive lead.
    text = policy_file.read_text()
    text = text.replace("version = 1", "version = 2").replace(
        'executive = "never"', 'executive = "always"'
    )
    policy_file.write_text(text)

    second = await _started(data, policies)
    try:
        await _apply(second, lifecycle("PINNED-1")[1])  # the head approves
        pinned = await second.store.get_request("PINNED-1")
        assert pinned is not None
        assert (pinned.policy_version, pinned.state) == (1, "executive_approved")

        fresh = lifecycle("UNDER-V2")
        await _apply(second, fresh[0])
        await _apply(second, fresh[1])
        under_v2 = await second.store.get_request("UNDER-V2")
        assert under_v2 is not None
        assert (under_v2.policy_version, under_v2.state) == (2, "head_approved")
    finally:
        await second.stop()
