"""Migration 17: dead letters that were put back through the queue (`cpd dead-letters
replay`). The letter stays, as kept; beside it, when it was replayed, by which client (the
key's name, or the signed-in person; none while access is off), and the corrected message
sent in its place (none: the original was sent as kept)."""

REPLAYS = """
    ALTER TABLE dead_letters ADD COLUMN replayed_at TEXT;
    ALTER TABLE dead_letters ADD COLUMN replayed_by TEXT;
    ALTER TABLE dead_letters ADD COLUMN replayed_body TEXT;
"""
