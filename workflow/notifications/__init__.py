"""Who is told what by e-mail, and which form each link opens. No sending here: the mails
are data, queued in the transaction that produced them (handlers/mail renders and sends
them; handlers/forms signs the links and serves the forms).
"""

from workflow.notifications.compose import (
    DECISION_MAIL,
    REMINDER_MAIL,
    LinkMaker,
    Mail,
    decision_mails,
    reminder_mails,
)
from workflow.notifications.plan import FORM_STEPS
from workflow.notifications.renewals import RENEWAL_DUE, renewal_mails

__all__ = [
    "DECISION_MAIL",
    "FORM_STEPS",
    "REMINDER_MAIL",
    "RENEWAL_DUE",
    "LinkMaker",
    "Mail",
    "decision_mails",
    "reminder_mails",
    "renewal_mails",
]
