"""The server half of sync: push (apply exactly once), pull, merges, conflicts."""
