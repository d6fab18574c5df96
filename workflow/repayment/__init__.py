"""Repayment of training costs by staff who resign (policy 003's clause).

rule.py is the pure rule (imported by workflow.policy, so this package imports nothing
at its top); terms.py reads what a request agreed; resignation.py makes the claims of a
`staff.left`; decisions.py is the event family by which the head teacher confirms or
waives one; claims.py is the table.
"""
