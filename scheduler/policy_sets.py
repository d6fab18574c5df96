"""Policy sets meet the follow-up policy: the one place that knows both.

workflow.policy may not import scheduler/, so a set's `[follow_ups]` is a pydantic copy of
FollowUpPolicy's fields; these functions turn one into the other, and build the library the
service starts with.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from pathlib import Path

from scheduler.policy import FollowUpPolicy, load_policy
from workflow.policy import FollowUps, PolicyLibrary, PolicySet, default_policy_set, load_policy_dir

log = logging.getLogger(__name__)


def follow_up_policy_of(policy_set: PolicySet) -> FollowUpPolicy:
    return FollowUpPolicy(**policy_set.follow_ups.model_dump())


def follow_ups_from(policy: FollowUpPolicy) -> FollowUps:
    return FollowUps.model_validate(asdict(policy))


def load_policy_library(
    policy_dir: Path | None, follow_up_policy_file: Path | None = None
) -> PolicyLibrary:
    """Every policy set in `policy_dir` (CPD_POLICY_DIR) beside the shipped default, whose
    follow-up numbers come from `follow_up_policy_file` (CPD_FOLLOW_UP_POLICY) as before.

    Raises PolicySetsInvalid (one line per problem, as `cpd policy check` prints them) or
    scheduler.policy.PolicyError for the follow-up file. A set's own [follow_ups] start from
    today's defaults, not from CPD_FOLLOW_UP_POLICY, so each file alone says how it behaves.
    """
    default = default_policy_set(follow_ups_from(load_policy(follow_up_policy_file)))
    if policy_dir is None:
        return PolicyLibrary(default=default)
    loaded = load_policy_dir(policy_dir)
    for note in loaded.notes:
        log.warning("policy sets: %s", note)
    return PolicyLibrary(loaded.sets, default=default)
