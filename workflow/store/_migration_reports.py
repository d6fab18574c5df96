"""Migration 19: the indexes the reports read by (bench/reports.py: a trust summary of 20
schools among a million history entries).

- A school's requests whose activity starts in a period, found by range, not by reading
  every request the school ever had (`requests_by_school` is by created_at).
- How each request was decided: its applied steps into `executive_approved` or `rejected`,
  a handful among the dozens of history entries (reminders, refusals) a request gathers;
  the index holds all the report reads, so the chain's entries themselves (`history` is a
  view over `audit`) are not touched.
- What the ledger holds for each request: `budget_ledger_by_request` also carries the kind
  and amount, so summing a request's money reads the index alone.
"""

REPORTS = """
    CREATE INDEX requests_by_school_start ON requests (school_id, start_date);
    CREATE INDEX audit_decisions
        ON audit (request_id, request_seq, outcome, from_state, to_state, at)
        WHERE outcome = 'applied' AND to_state IN ('executive_approved', 'rejected');
    DROP INDEX budget_ledger_by_request;
    CREATE INDEX budget_ledger_by_request ON budget_ledger (request_id, kind, amount_pence)
        WHERE request_id IS NOT NULL;
"""
