"""The reports governors and trustees ask for: pure figures from what the store holds.

`document` is the shape every report takes; each report's module computes its figures
from the rows its reader fetched.
"""

from workflow.reports.document import SUPPRESSED, Cell, Chart, Column, Report, Section, Table

__all__ = ["SUPPRESSED", "Cell", "Chart", "Column", "Report", "Section", "Table"]
