"""Every policy-set version the service has loaded, and which one governs a request.

A request records the id and version it was submitted under and is governed by that
version to the end. So a version, once loaded, is never replaced: loading a file again
whose id and version are already known keeps the content loaded first (and says so), and a
file removed from the directory keeps its versions here for the requests pinned to them.
The service also keeps every version in its store (workflow/store/policy_versions.py) and
hands them back at start with `remember`, so an edit and a restart change nothing for the
requests already submitted.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from workflow.errors import DomainError
from workflow.policy.defaults import DEFAULT_POLICY_ID, default_policy_set
from workflow.policy.policy_set import PolicySet
from workflow.policy.problems import PolicyProblem

Key = tuple[str, int]


class UnknownPolicySet(DomainError):
    code = "unknown_policy_set"


class NoPolicySetInForce(DomainError):
    code = "policy_set_not_in_force"


class PolicyLibrary:
    def __init__(self, sets: Iterable[PolicySet] = (), default: PolicySet | None = None) -> None:
        self.default = default or default_policy_set()
        self._versions: dict[Key, PolicySet] = {_key(self.default): self.default}
        self._offered: set[Key] = {_key(self.default)}
        self.load(sets)

    def load(self, sets: Iterable[PolicySet]) -> list[PolicyProblem]:
        """Take the directory as it is now. New versions are added; a known id and version
        keeps the content loaded first. Only versions in `sets` (and the default) are
        offered to new requests; every version ever loaded still answers `version()`."""
        notices, offered = [], {_key(self.default)}
        for policy_set in sets:
            key = _key(policy_set)
            earlier = self._versions.setdefault(key, policy_set)
            if not earlier.same_rules_as(policy_set):
                changed = (
                    f"{policy_set.name} has changed since it was loaded; the rules loaded"
                    " first stay in force for it, so give changed rules a new version number"
                )
                notices.append(PolicyProblem(str(policy_set.source), "version", changed))
            offered.add(key)
        self._offered = offered
        return notices

    def remember(self, sets: Iterable[PolicySet]) -> list[PolicyProblem]:
        """Versions loaded by an earlier run: they were first, so their rules stand, even
        where a file now gives other rules under the same id and version. They govern the
        requests pinned to them; only what `load` found in the directory is offered anew."""
        notices = []
        for policy_set in sets:
            key = _key(policy_set)
            now_read = self._versions.get(key)
            if now_read is not None and not now_read.same_rules_as(policy_set):
                changed = (
                    f"{policy_set.name} differs from the rules first loaded for it; those"
                    " stay in force, so give changed rules a new version number"
                )
                notices.append(PolicyProblem(str(now_read.source), "version", changed))
            self._versions[key] = policy_set
        return notices

    def version(self, policy_id: str, version: int) -> PolicySet:
        """The exact version a request was submitted under."""
        try:
            return self._versions[(policy_id, version)]
        except KeyError:
            raise UnknownPolicySet(f"policy set {policy_id} v{version} is not loaded") from None

    def current(self, policy_id: str | None, on_date: date) -> PolicySet:
        """The version a new request gets: the highest whose effective_from has come.
        A school that names no policy set (None) gets the shipped default."""
        policy_id = policy_id or DEFAULT_POLICY_ID
        offered = [s for k, s in self._versions.items() if k in self._offered and k[0] == policy_id]
        if not offered:
            raise UnknownPolicySet(f"no policy set {policy_id} in the policy directory")
        in_force = [s for s in offered if s.effective_from <= on_date]
        if not in_force:
            first = min(s.effective_from for s in offered)
            raise NoPolicySetInForce(
                f"policy set {policy_id} has no version in force on {on_date}"
                f" (the first takes effect on {first})"
            )
        return max(in_force, key=lambda s: s.version)

    def versions(self, policy_id: str) -> list[PolicySet]:
        return sorted((s for k, s in self._versions.items() if k[0] == policy_id), key=_key)

    def __iter__(self) -> Iterator[PolicySet]:
        return iter(sorted(self._versions.values(), key=_key))

    def __len__(self) -> int:
        return len(self._versions)


def _key(policy_set: PolicySet) -> Key:
    return (policy_set.id, policy_set.version)
