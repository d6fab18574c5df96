"""Which equality figures are withheld: small groups, and whatever would give them back."""

from __future__ import annotations

from workflow.reports.staff_groups import Group
from workflow.reports.suppression import withheld

G = Group


def people(prefix: str, count: int) -> frozenset[str]:
    return frozenset(f"{prefix}-{n}" for n in range(count))


def school(name: str, **sizes: int) -> dict[tuple[str, Group], frozenset[str]]:
    """Each group its own people (`teaching=8`), and All staff everyone of them."""
    found = {(name, Group(g)): people(f"{name}-{g}", n) for g, n in sizes.items()}
    everyone = frozenset().union(*found.values())
    return {**found, (name, G.ALL_STAFF): everyone}


def test_a_group_of_four_is_withheld_and_a_group_of_five_is_not() -> None:
    groups = school("A", teaching=5, support=5, leadership=5, governors=5, full_time=20, ect=4)
    hidden = withheld(groups, ["A"], {})
    assert (("A", G.ECT) in hidden, ("A", G.TEACHING) in hidden) == (True, False)


def test_a_group_nobody_is_in_is_withheld_too() -> None:
    groups = school("A", teaching=9, support=6, leadership=5, governors=7, full_time=27)
    assert ("A", G.ECT) in withheld(groups, ["A"], {})


def test_the_other_contract_group_is_withheld_when_part_timers_are_few() -> None:
    groups = school(
        "A", teaching=9, support=6, leadership=5, governors=7, full_time=24, part_time=3
    )
    hidden = withheld(groups, ["A"], {})
    assert {("A", G.FULL_TIME), ("A", G.PART_TIME)} <= hidden
    assert ("A", G.ALL_STAFF) not in hidden


def test_two_small_role_groups_of_five_people_between_them_withhold_no_third() -> None:
    groups = school("A", teaching=8, support=6, leadership=2, governors=3, full_time=19)
    hidden = withheld(groups, ["A"], {})
    roles = {g for (_, g) in hidden} & {G.TEACHING, G.SUPPORT, G.LEADERSHIP, G.GOVERNORS}
    assert roles == {G.LEADERSHIP, G.GOVERNORS}


def test_one_small_role_group_takes_the_smallest_other_with_it_the_first_listed_on_a_tie() -> None:
    groups = school("A", teaching=8, support=6, leadership=2, governors=6, full_time=22)
    hidden = withheld(groups, ["A"], {})
    roles = {g for (_, g) in hidden} & {G.TEACHING, G.SUPPORT, G.LEADERSHIP, G.GOVERNORS}
    assert roles == {G.LEADERSHIP, G.SUPPORT}


def test_two_small_role_groups_of_four_people_between_them_take_a_third() -> None:
    groups = school("A", teaching=8, support=6, leadership=2, governors=2, full_time=18)
    hidden = withheld(groups, ["A"], {})
    roles = {g for (_, g) in hidden} & {G.TEACHING, G.SUPPORT, G.LEADERSHIP, G.GOVERNORS}
    assert roles == {G.LEADERSHIP, G.GOVERNORS, G.SUPPORT}


def test_a_trust_row_is_withheld_when_any_of_its_schools_row_is() -> None:
    groups = {
        **school("A", teaching=9, support=6, leadership=5, governors=7, full_time=20, part_time=7),
        **school("B", teaching=9, support=6, leadership=5, governors=7, full_time=24, part_time=3),
    }
    trust = {("T", g): groups[("A", g)] | groups[("B", g)] for g in Group if ("A", g) in groups}
    hidden = withheld({**groups, **trust}, ["A", "B", "T"], {"T": ["A", "B"]})
    assert {("T", G.PART_TIME), ("T", G.FULL_TIME)} <= hidden
    assert ("T", G.TEACHING) not in hidden and ("T", G.ALL_STAFF) not in hidden


def test_a_trust_of_two_schools_withholds_exactly_what_would_give_a_small_group_back() -> None:
    groups = {
        **school("A", teaching=9, support=6, leadership=5, governors=7, full_time=20, part_time=7),
        **school("B", teaching=9, support=6, leadership=2, governors=7, full_time=20, part_time=4),
    }
    trust = {
        ("T", g): groups.get(("A", g), frozenset()) | groups.get(("B", g), frozenset())
        for g in Group
    }
    hidden = withheld({**groups, **trust}, ["A", "B", "T"], {"T": ["A", "B"]})
    assert hidden == {
        ("A", G.ECT),
        ("B", G.ECT),
        ("B", G.LEADERSHIP),
        ("B", G.SUPPORT),  # the smallest shown role group, with B's 2 leaders
        ("B", G.PART_TIME),
        ("B", G.FULL_TIME),  # else All staff less full-time gives the 4 part-timers
        ("T", G.ECT),
        ("T", G.LEADERSHIP),  # else the trust's less A's gives B's
        ("T", G.SUPPORT),
        ("T", G.PART_TIME),
        ("T", G.FULL_TIME),
    }
