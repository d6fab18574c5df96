"""One pydantic model per section of a policy-set file.

Every section refuses keys it does not know (`extra="forbid"`): inside a section a misspelt
key (`executive_abve_gbp`) would otherwise be dropped and the rule would silently fall back
to its default, which is exactly how a trust's real rule goes missing. New keys are added
here, deliberately, as issues fix them. (Unknown *sections* are a different matter: see
loader.py.)
"""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationInfo,
    field_validator,
)

from schemas.inbound import ActivityType
from workflow.policy.vocabulary import Role


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# Validation context for rules the service kept itself (workflow/store/policy_versions.py):
# checked when first loaded, and written back with amounts as text, which a file may not use.
FROM_STORE = "from_store"


def _pounds(value: Any, info: ValidationInfo) -> Any:
    # TOML gives 500 (int) or 499.99 (float); str() keeps 499.99 exact as a Decimal.
    if isinstance(value, str) and info.context and info.context.get(FROM_STORE):
        return Decimal(value)
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError("must be an amount in pounds such as 500 or 499.99")
    return value if isinstance(value, Decimal) else Decimal(str(value))


Pounds = Annotated[Decimal, BeforeValidator(_pounds), Field(ge=0, decimal_places=2)]
ActivityTypes = frozenset[ActivityType]


class Approval(Section):
    executive: Literal["always", "never", "above"]
    # Read only when executive = "above"; a file may carry it regardless (the issue's own
    # example sets it beside executive = "never"), so it is not refused then.
    executive_above_gbp: Annotated[Pounds | None, Field(validate_default=True)] = None
    own_request_head_step: Role = Role.CHAIR_OF_GOVERNORS
    own_request_executive_step: Role = Role.TRUSTEE
    governor_request_head_step: Role = Role.CHAIR_OF_GOVERNORS
    # The chair's own request cannot go to the chair: the set names who approves it.
    chair_request_head_step: Role = Role.TRUSTEE

    @field_validator("executive_above_gbp", mode="after")
    @classmethod
    def _given_when_above(cls, value: Decimal | None, info: ValidationInfo) -> Decimal | None:
        if value is None and info.data.get("executive") == "above":
            raise ValueError('is missing (needed when executive = "above")')
        return value

    @field_validator("own_request_head_step", "governor_request_head_step", mode="after")
    @classmethod
    def _not_the_head(cls, role: Role) -> Role:
        # The head step's own approver is the one who cannot act: name someone else.
        if role is Role.HEAD_TEACHER:
            raise ValueError("must name a role other than head_teacher")
        return role

    @field_validator("chair_request_head_step", mode="after")
    @classmethod
    def _not_the_chair(cls, role: Role) -> Role:
        if role in (Role.HEAD_TEACHER, Role.CHAIR_OF_GOVERNORS):
            raise ValueError("must name a role other than head_teacher or chair_of_governors")
        return role

    @field_validator("own_request_executive_step", mode="after")
    @classmethod
    def _not_the_executive(cls, role: Role) -> Role:
        if role is Role.EXECUTIVE_LEAD:
            raise ValueError("must name a role other than executive_lead")
        return role


class Booking(Section):
    required_for: ActivityTypes


class Dissemination(Section):
    required_for: ActivityTypes
    required_above_gbp: Pounds | None = None


def _clock_time(value: str) -> str:
    try:
        time.fromisoformat(value)
    except ValueError:
        raise ValueError("must be a time of day such as 08:00") from None
    return value


ClockTime = Annotated[StrictStr, AfterValidator(_clock_time)]
AtLeastOne = Annotated[StrictInt, Field(ge=1)]  # an interval must move time forward
NoneOrMore = Annotated[StrictInt, Field(ge=0)]


class FollowUps(Section):
    """The numbers of scheduler.policy.FollowUpPolicy, field for field (workflow/ may not
    import scheduler/; a test keeps the two in step). The time zone name is checked by the
    loader, which may read the system's time-zone database."""

    approval_wait_school_days: AtLeastOne = 3
    approval_repeat_school_days: AtLeastOne = 3
    approval_escalate_from_reminder: AtLeastOne = 3
    booking_wait_school_days: AtLeastOne = 3
    booking_repeat_school_days: AtLeastOne = 3
    course_upcoming_days_before: NoneOrMore = 2
    attendance_check_days_after_end: NoneOrMore = 1
    evaluation_first_after_days: NoneOrMore = 1
    evaluation_repeat_days: AtLeastOne = 7
    evaluation_repeats: NoneOrMore = 3
    dissemination_first_after_days: NoneOrMore = 14
    dissemination_repeat_days: AtLeastOne = 14
    dissemination_repeats: NoneOrMore = 1
    impact_review_after_weeks: AtLeastOne = 6
    reminder_time: ClockTime = "08:00"
    school_day_ends: ClockTime = "18:00"
    timezone: StrictStr = "Europe/London"


class Notifications(Section):
    """How reminders reach people by e-mail. Decisions always go at once."""

    # Several reminders for one person on one school day go as one e-mail listing them.
    digest_reminders: StrictBool = True
    # How long the first such reminder waits for others to join it (0: only those that
    # fall due together); never past the end of the school day.
    digest_window_minutes: Annotated[StrictInt, Field(ge=0, le=240)] = 30


class FinancialYear(Section):
    starts: date
    ends: date  # the last day, inclusive

    @property
    def label(self) -> str:
        return f"{self.starts.year}-{self.ends.year % 100:02d}"


class Money(Section):
    # April is the financial year of maintained schools; academies set 9 (September).
    financial_year_starts: Annotated[StrictInt, Field(ge=1, le=12)] = 4

    def year_containing(self, day: date) -> FinancialYear:
        start_year = day.year if day.month >= self.financial_year_starts else day.year - 1
        starts = date(start_year, self.financial_year_starts, 1)
        next_starts = date(start_year + 1, self.financial_year_starts, 1)
        return FinancialYear(starts=starts, ends=date.fromordinal(next_starts.toordinal() - 1))


class Repayment(Section):
    enabled: StrictBool = False
    months: AtLeastOne = 12


class StatutoryTraining(Section):
    valid_months: AtLeastOne
    required_for_roles: frozenset[Role]
