"""Which groups' figures the equality report withholds, so no small group can be picked out.

1. A group with fewer than `THRESHOLD` members in a school (or trust) is withheld: its size
   and every figure. That alone would not do: a total less the other rows would give it
   back. So, repeated until nothing changes:
2. Within a school or trust, the role groups (teaching, support, leadership, governors) and
   the contract groups (full-time, part-time) each add up to about the `All staff` row
   (whose totals the termly report shows too). In each, either nothing is withheld or at
   least two groups are, with `THRESHOLD` or more people between them: else its smallest
   shown group is withheld as well.
3. A trust's row of a group is about the sum of its schools' rows: it is shown only when
   every school's row of that group is; and when it is withheld while every school's row
   is shown, the smallest school's row is withheld too.

What subtraction can still recompute is then a sum over several groups with `THRESHOLD` or
more people between them, never one withheld group.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence

from workflow.reports.staff_groups import Group

THRESHOLD = 5
FAMILIES: tuple[tuple[Group, ...], ...] = (
    (Group.TEACHING, Group.SUPPORT, Group.LEADERSHIP, Group.GOVERNORS),
    (Group.FULL_TIME, Group.PART_TIME),
)

Key = tuple[str, Group]  # (unit: a school id or a trust's key, group)
_Size = Callable[[Collection[Key]], int]


def withheld(
    people: Mapping[Key, Collection[str]],
    units: Sequence[str],
    trusts: Mapping[str, Sequence[str]],
) -> frozenset[Key]:
    """`people`: the members of each (unit, group); `units`: every school and trust shown;
    `trusts`: each trust's key and its schools among `units`."""

    def size(keys: Collection[Key]) -> int:
        return len(set().union(*(people.get(k, ()) for k in keys)))

    hidden = {(u, g) for u in units for g in Group if size([(u, g)]) < THRESHOLD}
    changed = True
    while changed:
        before = len(hidden)
        for unit in units:
            for family in FAMILIES:
                _protect(hidden, [(unit, g) for g in family], size)
        for trust, schools in trusts.items():
            for group in Group:
                whole, parts = (trust, group), [(s, group) for s in schools]
                if any(k in hidden for k in parts):
                    hidden.add(whole)
                elif whole in hidden and parts:
                    hidden.add(_smallest(parts, size))
        changed = len(hidden) != before
    return frozenset(hidden)


def _protect(hidden: set[Key], family: list[Key], size: _Size) -> None:
    """Withhold more of the family while what it withholds could be told apart."""
    while True:
        shown = [k for k in family if k not in hidden]
        withheld_here = [k for k in family if k in hidden]
        if not withheld_here or not shown:
            return
        if len(withheld_here) >= 2 and size(withheld_here) >= THRESHOLD:
            return
        hidden.add(_smallest(shown, size))


def _smallest(keys: list[Key], size: _Size) -> Key:
    return min(keys, key=lambda k: (size([k]), keys.index(k)))
