"""The staff directory, from the HR system: who people and schools are, as of any moment.

`apply` applies the directory's events inside the store's transaction; `queries` answers
who someone was, which roles they held for which school, who held a role for a school and
which delegations were in force; `leavers` withdraws a leaver's open requests.
"""

from workflow.directory.apply import (
    DIRECTORY_EVENT_TYPES,
    DirectorySettings,
    apply_directory_event,
    is_directory_event,
)
from workflow.directory.queries import (
    acting_member,
    active_delegations,
    direct_reports,
    holders,
    members_of,
    person_by_email,
    policy_id_of_school,
    roles_at,
    roles_for_school,
    school_as_of,
    schools_acted_for,
    staff_as_of,
)
from workflow.directory.records import (
    SCHOOL_ROLES,
    SCHOOL_ZONE,
    TRUST_ROLES,
    Delegation,
    School,
    StaffMember,
)
from workflow.directory.rules import DirectoryRefusal

__all__ = [
    "DIRECTORY_EVENT_TYPES",
    "SCHOOL_ROLES",
    "SCHOOL_ZONE",
    "TRUST_ROLES",
    "Delegation",
    "DirectoryRefusal",
    "DirectorySettings",
    "School",
    "StaffMember",
    "acting_member",
    "active_delegations",
    "apply_directory_event",
    "direct_reports",
    "holders",
    "is_directory_event",
    "members_of",
    "person_by_email",
    "policy_id_of_school",
    "roles_at",
    "roles_for_school",
    "school_as_of",
    "schools_acted_for",
    "staff_as_of",
]
