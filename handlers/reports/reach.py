"""Who may read which report. A school's termly report needs the whole school within the
caller's reach (its head teacher or CPD lead, the trust's executive lead or trustee); the
trust summary needs the whole trust: an executive lead or trustee, and covers their trust's
schools. A caller not limited to a person's reach (a system's key, admin, access off) reads
every school."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from handlers import http_reach
from handlers.service import Service
from workflow.access import Caller, OutOfReach
from workflow.directory import acting_member, schools_acted_for
from workflow.directory.store import schools_as_of
from workflow.policy.vocabulary import Role

TRUST_WIDE = frozenset({Role.EXECUTIVE_LEAD, Role.TRUSTEE})


async def may_read_termly(service: Service, caller: Caller | None, school_id: str) -> None:
    await http_reach.may_read_school_reports(service, caller, school_id)


async def trust_schools(service: Service, caller: Caller | None) -> list[str]:
    now = service.clock.now()
    if caller is None or not caller.limited_to_reach:
        return sorted(await service.store.on_reader(_every_school, now))
    assert caller.staff_id is not None
    found = await service.store.on_reader(_trust_of, caller.staff_id, now)
    if found is None:
        raise OutOfReach(
            f"the trust summary needs an executive lead or trustee; '{caller.client}'"
            f" (acting as {caller.staff_id}) is neither"
        )
    return found


def _every_school(db: sqlite3.Connection, at: datetime) -> list[str]:
    return list(schools_as_of(db, at))


def _trust_of(db: sqlite3.Connection, staff_id: str, at: datetime) -> list[str] | None:
    member = acting_member(db, staff_id, at)
    roles = (member.roles if member is not None else frozenset()) & TRUST_WIDE
    if not roles:
        return None
    return sorted({s for role in roles for s in schools_acted_for(db, staff_id, at, role)})
