"""What every domain stands on: access, errors, versions, the activity log, text rules."""
