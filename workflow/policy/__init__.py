"""Policy sets: a trust's or school's CPD rules as data (TOML files), versioned, typed.

Pure apart from `loader`, which reads the files. See README.md, "Policy sets".
"""

from workflow.policy.defaults import DEFAULT_POLICY_ID, default_policy_set
from workflow.policy.evaluation import DEFAULT_QUESTIONS, Evaluation, Question
from workflow.policy.library import NoPolicySetInForce, PolicyLibrary, UnknownPolicySet
from workflow.policy.loader import LoadedPolicies, load_policy_dir, read_policy_file
from workflow.policy.policy_set import PolicySet, Ruling
from workflow.policy.priority import Priority
from workflow.policy.problems import PolicyProblem, PolicySetsInvalid
from workflow.policy.sections import (
    Approval,
    Booking,
    Dissemination,
    FinancialYear,
    FollowUps,
    Money,
    Notifications,
    Repayment,
    StatutoryTraining,
)
from workflow.policy.vocabulary import ALL_ACTIVITY_TYPES, Role, Rule

__all__ = [
    "ALL_ACTIVITY_TYPES",
    "DEFAULT_POLICY_ID",
    "DEFAULT_QUESTIONS",
    "Approval",
    "Booking",
    "Dissemination",
    "Evaluation",
    "FinancialYear",
    "FollowUps",
    "LoadedPolicies",
    "Money",
    "NoPolicySetInForce",
    "Notifications",
    "PolicyLibrary",
    "PolicyProblem",
    "PolicySet",
    "PolicySetsInvalid",
    "Priority",
    "Question",
    "Repayment",
    "Role",
    "Rule",
    "Ruling",
    "StatutoryTraining",
    "UnknownPolicySet",
    "default_policy_set",
    "load_policy_dir",
    "read_policy_file",
]
