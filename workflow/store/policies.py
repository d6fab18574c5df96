"""Which policy-set version governs a request: the seam between requests and schools.

A new request gets the version in force of the set its school follows; every later event
is judged by the version the request recorded then. Which set a school follows is the
staff directory's to say (`school.upserted`'s `policy_id`); the store asks through one
injected callable, so the directory can plug in without the store knowing its tables.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime

from workflow.model import CpdRequest, local_today
from workflow.policy import PolicyLibrary, PolicySet

# (the writer's connection, inside the event's transaction; school id; the moment) ->
# the id of the policy set the school follows then, or None for the shipped default.
PolicyIdForSchool = Callable[[sqlite3.Connection, str, datetime], str | None]


def no_school_policy(_db: sqlite3.Connection, _school_id: str, _at: datetime) -> str | None:
    """Until a directory says otherwise, every school follows the shipped default."""
    return None


class Governance:
    """The library of loaded policy sets, and the seam naming each school's set."""

    def __init__(
        self,
        library: PolicyLibrary | None = None,
        policy_id_for_school: PolicyIdForSchool | None = None,
    ) -> None:
        self.library = library or PolicyLibrary()
        self.policy_id_for_school = policy_id_for_school or no_school_policy

    def for_new_request(self, db: sqlite3.Connection, school_id: str, now: datetime) -> PolicySet:
        """The version a request submitted now for `school_id` is governed by; raises a
        DomainError (unknown set, none in force yet) that refuses the submission."""
        policy_id = self.policy_id_for_school(db, school_id, now)
        on_date = local_today(self.library.default, now)
        return self.library.current(policy_id, on_date)

    def for_request(self, request: CpdRequest) -> PolicySet:
        """The exact version `request` was submitted under."""
        return self.library.version(request.policy_id, request.policy_version)
