"""/api routes for materials."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["materials"])
