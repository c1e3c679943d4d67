"""Reflex state: thin handlers that check the user and call one service."""
