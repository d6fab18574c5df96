"""The `data` of `budget.set`: a school's CPD budget for one financial year.

Posted by the school's head teacher or CPD lead, an executive lead, or a finance system;
`subject` is the school id. The latest one for a school and year is its budget.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from schemas.inbound import EventData, Identifier

BUDGET_SET = "budget.set"

_YEAR = re.compile(r"^(\d{4})-(\d{2})$")
Amount = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]


def year_starting(label: str) -> int:
    """The calendar year `2026-27` starts in (2026), or ValueError saying what is wanted.
    A year that ends in the calendar year it starts (from January) is `2026-26`."""
    found = _YEAR.match(label)
    if found is None or int(found[2]) not in {int(found[1]) % 100, (int(found[1]) + 1) % 100}:
        raise ValueError(
            f"'{label}' is not a financial year: write it as the two years it spans, e.g. 2026-27"
        )
    return int(found[1])


def _financial_year(label: str) -> str:
    year_starting(label)
    return label


FinancialYearLabel = Annotated[
    str,
    Field(examples=["2026-27"], description="the two calendar years it spans"),
    AfterValidator(_financial_year),
]
CategoryName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")]


class BudgetSet(EventData):
    school_id: Identifier
    financial_year: FinancialYearLabel
    amount_gbp: Amount
    categories: dict[CategoryName, Amount] | None = Field(
        None, description='how the budget is meant to divide, e.g. {"courses": "8000.00"}'
    )

    @model_validator(mode="after")
    def categories_within_the_whole(self) -> BudgetSet:
        parts = sum((self.categories or {}).values(), Decimal(0))
        if parts > self.amount_gbp:
            raise ValueError(
                f"the categories add up to {parts}, more than amount_gbp {self.amount_gbp}"
            )
        return self


BUDGET_DATA: dict[str, type[EventData]] = {BUDGET_SET: BudgetSet}
