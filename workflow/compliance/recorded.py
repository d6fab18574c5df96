"""`qualification.recorded`: statutory training gained elsewhere, or before the service.

`subject` is the staff id. Posted by the person, a head teacher or CPD lead of their school,
or a trust system (an HR or training system) whose key allows it. Without `valid_until`, it
lasts the `valid_months` of the kind in the school's policy set.
"""

from __future__ import annotations

from datetime import date

from schemas.compliance import QUALIFICATION_RECORDED
from workflow.compliance import qualifications, rules
from workflow.compliance.requests import completion_hooks
from workflow.compliance.validity import valid_until
from workflow.directory import staff_as_of
from workflow.directory.rules import UnknownStaff, check_subject
from workflow.store.families import Family, FamilyEvent


def record(e: FamilyEvent) -> None:
    data, actor = e.data, e.event.actor
    check_subject(e.event.subject, data["staff_id"], "staff_id")
    person = staff_as_of(e.db, data["staff_id"], e.now)
    if person is None:
        raise UnknownStaff(f"no member of staff '{data['staff_id']}' in the directory")
    rules.check_actor(
        e.db,
        actor,
        e.now,
        school_id=person.school_id,
        doing=f"record {person.staff_id}'s {data['kind']} training",
        rule="who_may.record_qualification",
        people={person.staff_id},
    )
    policy = rules.school_policy(e.db, e.governance, person.school_id, e.now)
    training = rules.statutory(policy, data["kind"])
    achieved = date.fromisoformat(data["achieved_on"])
    rules.not_in_future(policy, e.now, achieved, "achieved_on")
    given = data.get("valid_until")
    until = date.fromisoformat(given) if given else valid_until(achieved, training.valid_months)
    source = f"{e.event.source}/{e.event.id}"
    qualifications.save(
        e.db,
        qualifications.Qualification(
            qualifications.qualification_id(qualifications.RECORDED, source),
            person.staff_id,
            data["kind"],
            achieved,
            until,
            qualifications.RECORDED,
            source,
            actor,
            data.get("awarding_body"),
            data.get("certificate"),
        ),
        e.now,
    )


QUALIFICATIONS = Family(
    "qualifications", frozenset({QUALIFICATION_RECORDED}), record, completion_hooks
)
