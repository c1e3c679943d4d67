"""Business rules, one package per domain (core, customers, jobs, photos, sync, auth).

Nothing here imports reflex, fastapi or the office presenters (tests/unit/test_layering.py).
Services take the session first, keyword arguments after, and flush; they never commit.
"""
