"""The `data` of the head teacher's decisions on a repayment claim (`subject` = the claim
id, as `cpd.repayment.due` gave it)."""

from __future__ import annotations

from schemas.inbound import EventData, FreeText, Text

REPAYMENT_CONFIRMED = "repayment.confirmed"
REPAYMENT_WAIVED = "repayment.waived"


class RepaymentConfirmed(EventData):
    """The school will recover the amount claimed (from the final salary payment)."""

    comment: FreeText | None = None


class RepaymentWaived(EventData):
    """The school will not recover it."""

    reason: Text


REPAYMENT_DATA: dict[str, type[EventData]] = {
    REPAYMENT_CONFIRMED: RepaymentConfirmed,
    REPAYMENT_WAIVED: RepaymentWaived,
}
