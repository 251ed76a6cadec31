"""How every list the API answers is paged: ``{items, page, size, total}``, and the small
shapes several answers share (a party by code and name).

>>> paginate(list("abcde"), page=2, size=2)
(['c', 'd'], 5)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from pydantic import ConfigDict, Field

from graph.queries.errors import QuestionError

T = TypeVar("T")


def _no_defaults(schema: dict[str, Any]) -> None:
    for prop in schema.get("properties", {}).values():
        prop.pop("default", None)


#: For an answer's dataclass whose fields have defaults (filled in after construction): every
#: field is always sent, so its schema says required and shows no default.
ALWAYS_SENT = ConfigDict(json_schema_serialization_defaults_required=True, json_schema_extra=_no_defaults)


@dataclass
class Page(Generic[T]):
    """One page of a ranked list with the length of the whole: every paginated answer of the
    API has this shape (``{items, page, size, total}``), so a client pages them all alike."""

    items: list[T]
    page: Annotated[int, Field(examples=[1])]
    size: Annotated[int, Field(examples=[20])]
    total: Annotated[int, Field(examples=[1])]


@dataclass
class Ref:
    """A party by code and name, where an answer points at a gemeente, provincie or region
    without saying more about it."""

    id: Annotated[str, Field(examples=["GM0392"])]
    naam: Annotated[str | None, Field(examples=["Haarlem"])]


def paginate(ranked: list[T], page: int, size: int) -> tuple[list[T], int]:
    """One page of a ranked list, and the length of the whole list."""
    if page < 1 or not 1 <= size <= 200:
        raise QuestionError("page" if page < 1 else "size", "page begint bij 1; size is 1 tot en met 200")
    return ranked[(page - 1) * size : page * size], len(ranked)


def text_of(value: object) -> str | None:
    """A property as text, None for none or empty."""
    return str(value) if value not in (None, "") else None
