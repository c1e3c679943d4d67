"""/api routes for activity."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["activity"])
