"""KHS CRM: an offline-first CRM for construction and remodeling crews."""

__version__ = "0.1.0"
