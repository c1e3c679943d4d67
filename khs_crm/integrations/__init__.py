"""Adapters to outside systems: Redis and file storage."""
