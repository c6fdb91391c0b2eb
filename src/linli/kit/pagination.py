"""Page parameters and the page envelope used by every list endpoint."""

from __future__ import annotations

from typing import Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel

from linli.kit.types import PageNumber

T = TypeVar("T")


class PageParams(BaseModel):
    page: int = 1
    size: int = 50

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size


def page_params(
    page: PageNumber = Query(1, description="1-based page number"),
    size: int = Query(50, ge=1, le=500, description="items per page"),
) -> PageParams:
    return PageParams(page=page, size=size)


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    page: int
    size: int
