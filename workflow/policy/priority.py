"""The `[priority]` section: how much each reason for a request weighs in its priority score.

The policies rate CPD "more highly when it meets identified individual, school or national
development priorities" and "provides value for money"; a trust writes down how much each
reason counts. Every reason's weight is a whole number of points, none negative (a reason
to fund training never counts against it); the cost per participant is the one thing that
lowers a score, by `cost_per_participant` points for each whole `cost_step_gbp`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import Field, StrictInt

from workflow.policy.sections import Pounds, Section

Points = Annotated[StrictInt, Field(ge=0, le=100)]


class Priority(Section):
    sip: Points = 3  # linked to one of the school's SIP priorities
    agreed_in_appraisal: Points = 2  # CPD agreed in the person's appraisal
    statutory_renewal: Points = 3  # statutory training (safeguarding, first aid) due for renewal
    ect: Points = 2  # the requester is an Early Career Teacher
    directed: Points = 1  # directed by the school
    # For each whole `cost_step_gbp` of cost per participant: 0 or fewer points.
    cost_per_participant: Annotated[StrictInt, Field(ge=-100, le=0)] = -1
    cost_step_gbp: Annotated[Pounds, Field(gt=0)] = Decimal(100)
