"""What each figure means and how it is counted, in the words printed under each section
of the termly report and the trust summary (and repeated in the README), so a CPD lead can
explain any number to governors."""

from __future__ import annotations

REQUESTS = (
    "A request belongs to the period in which its activity starts (its start date),"
    " whenever it was submitted; each is counted once, in the state it is in now.",
)
DECISIONS = (
    "Approved: reached executive approval (in a head-led school, when the head teacher's"
    " approval completed it). Rejected: by the head teacher or the executive lead.",
    "Days to decision are school days of the school calendar (weekdays outside holidays;"
    " INSET days count) from the day it was submitted to the day of the deciding step:"
    " a request submitted on Friday and approved on Monday took 1. The median is the"
    " middle value (the mean of the two middle ones for an even count).",
)
MONEY = (
    "Amounts are the school's share of each request's cost and supply cover, as the budget"
    " ledger holds them: committed from approval until the training takes place (at the"
    " booking's confirmed cost once booked), then spent; released when rejected, withdrawn"
    " or not attended (what a no-show still cost is spent).",
    "The budget is that of each financial year the period touches; the year's committed,"
    " spent and remaining include requests outside the period.",
    "By SIP priority: a request counts in full under each priority it names, so the rows may"
    " add up to more than the total. Rejected and withdrawn requests are not counted.",
)
COVER = (
    "Supply cover asked for with each request (days and cost, whoever pays): for training"
    " that took place, and for approved training still to come. A no-show's cover is not"
    " counted.",
)
FOLLOW_THROUGH = (
    "Of the training that took place (completed, evaluated or disseminated): evaluations"
    " returned by the participant and outstanding; dissemination done, waived by the head"
    " teacher or CPD lead, outstanding (required and not yet done) or not required.",
    "Impact reviews: of evaluated training, those reviewed and those still due. Averages are"
    " of ratings from 1 to 5, to 2 decimal places; none when nothing was rated.",
)
STATUTORY = (
    "Each person of the school whose roles require the training under the school's policy"
    " set, by where they stood on the period's last day (or today, if sooner): valid,"
    " expiring within 90 days, expired or missing.",
)
AGREED = (
    "CPD agreed in appraisal in the period's academic year (its appraisal cycle) with"
    " people of the school, and whether the school had provided it by the period's end"
    " (a request naming it completed, or a session naming it held). Policy 002: no one is"
    " held to account for CPD the school did not provide.",
)
HOURS = (
    "In-house sessions held in the period, by kind: hours is each session's length,"
    " person-hours its length times its attendees. Requests' hours are those given for"
    " training that took place. INSET days are those of the school calendar.",
)
STAFF = (
    "Staff: everyone whose own school it was on some day of the period (leavers during it"
    " included; governors and trustees not), from the staff directory. Spent per member of"
    " staff is the period's spending divided by them, to the penny.",
)
