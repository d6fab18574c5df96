"""School CPD budgets per financial year: the rules (rules.py), the ledger written in each
step's transaction (ledger.py), `budget.set` (family.py) and the budget view (view.py).

Kept empty of imports: the engine's guards import rules.py while the store is loading.
"""
