"""Business rules. Nothing here imports reflex or fastapi."""
