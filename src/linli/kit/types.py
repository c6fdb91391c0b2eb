"""Shared field types of the API: row ids, page numbers and PATCH bodies, bounded where the database is.

A number the database cannot hold (an id past INTEGER, an offset past 2^63) used to reach the driver
and fail there with a server error; bounded here, it is refused with 422 and a message saying why.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ValidationInfo, field_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema


def bounded_int(name: str, low: int, high: int) -> type[int]:
    """An int type validated to [low, high]. A class, not Annotated metadata: FastAPI keeps a class in
    every parameter form (`x: Id`, `x: Id = Query(...)`, `x: Id | None`), and drops the metadata in some."""

    class Bounded(int):
        @classmethod
        def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> CoreSchema:
            return core_schema.int_schema(ge=low, le=high)

    Bounded.__name__ = Bounded.__qualname__ = name
    return Bounded


# Row ids are INTEGER columns: 4 bytes on PostgreSQL (SQLite's stop at 2^63 - 1).
MAX_ID = 2**31 - 1
Id = bounded_int("Id", 1, MAX_ID)
# Deep enough for any list (a billion pages); page × size stays far inside a 64-bit offset.
MAX_PAGE = 10**9
PageNumber = bounded_int("PageNumber", 1, MAX_PAGE)


class Patch(BaseModel):
    """A PATCH body: a field left out keeps its value; an explicit null is refused (422), except for the
    fields named in `nullable`, which null clears."""

    nullable: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="after")
    @classmethod
    def _no_null(cls, value: Any, info: ValidationInfo) -> Any:
        # Defaults are not validated: only a null the client sent reaches here.
        if value is None and info.field_name not in cls.nullable:
            from linli.kit.i18n import t

            # A custom error, not ValueError: pydantic would prefix "Value error, " to the message.
            raise PydanticCustomError("null", t("cannot be empty (null); leave it out to keep the current value"))
        return value

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: CoreSchema, handler) -> JsonSchemaValue:
        schema = handler(core_schema)
        target = handler.resolve_ref_schema(schema)
        for name, prop in target.get("properties", {}).items():
            if name in cls.nullable:
                continue
            if "anyOf" not in prop:
                if prop.get("default", 0) is None:
                    del prop["default"]
                continue
            kept = [s for s in prop["anyOf"] if s.get("type") != "null"]
            if len(kept) == 1:
                prop.pop("anyOf")
                prop.update(kept[0])
            else:
                prop["anyOf"] = kept
            if "default" in prop and prop["default"] is None:
                del prop["default"]
        return schema


__all__ = ["MAX_ID", "MAX_PAGE", "Id", "PageNumber", "Patch"]
