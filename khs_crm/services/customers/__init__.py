"""Customers: records, their rules, search, CSV import and export."""
