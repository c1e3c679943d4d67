"""The crew time clock: entries, timesheets, overtime and labor cost (docs/time.md)."""
