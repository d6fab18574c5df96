"""Who is told what by e-mail, and the signed links mail carries. No sending here: the
mails are data, queued in the transaction that produced them (handlers/mail sends them).
"""

from workflow.notifications.compose import (
    DECISION_MAIL,
    REMINDER_MAIL,
    LinkMaker,
    Mail,
    decision_mails,
    reminder_mails,
)
from workflow.notifications.links import (
    FORM_STEPS,
    FormToken,
    LinkExpired,
    LinkInvalid,
    form_link,
    form_token,
    read_form_token,
)

__all__ = [
    "DECISION_MAIL",
    "FORM_STEPS",
    "REMINDER_MAIL",
    "FormToken",
    "LinkExpired",
    "LinkInvalid",
    "LinkMaker",
    "Mail",
    "decision_mails",
    "form_link",
    "form_token",
    "read_form_token",
    "reminder_mails",
]
