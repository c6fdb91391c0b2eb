"""The one router of the residents API (/api/v1/...), shared by api.py and files_api.py."""

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1", tags=["residents"])
