"""Search requests: logical, field and nested filters plus pagination.

These serialise to the ``SearchRequest`` body of the Backstage Orchestrator
v2 API.  Builders keep call sites short::

    request = SearchRequest(
        filters=all_of(eq("state", "ACTIVE"), nested("variables.targetEntity", "EQ", ref)),
        paginationInfo=page(size=20, order_by="start", direction="DESC"),
    )
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any, Literal, Union

from pydantic import BaseModel, ConfigDict

from orch_tui.core.models import PaginationInfo


class Operator(str, enum.Enum):
    EQ = "EQ"
    GT = "GT"
    GTE = "GTE"
    LT = "LT"
    LTE = "LTE"
    IN = "IN"
    IS_NULL = "IS_NULL"
    LIKE = "LIKE"
    BETWEEN = "BETWEEN"


Scalar = Union[str, int, float, bool]
FilterValue = Union[Scalar, list[Scalar]]


class _Filter(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FieldFilter(_Filter):
    field: str
    operator: Operator
    value: FilterValue


class NestedFilter(_Filter):
    field: str
    nested: Union[FieldFilter, "NestedFilter"]


class LogicalFilter(_Filter):
    operator: Literal["AND", "OR", "NOT"]
    filters: list[Union[LogicalFilter, FieldFilter, NestedFilter]]


Filter = Union[LogicalFilter, FieldFilter, NestedFilter]
NestedFilter.model_rebuild()
LogicalFilter.model_rebuild()


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    filters: Filter | None = None
    paginationInfo: PaginationInfo | None = None

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)


def _value(value: Any) -> FilterValue:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, (list, tuple)):
        return [_value(v) for v in value]  # type: ignore[misc]
    if isinstance(value, enum.Enum):
        return value.value
    return value


def field(name: str, operator: Operator | str, value: Any) -> FieldFilter:
    return FieldFilter(field=name, operator=Operator(operator), value=_value(value))


def eq(name: str, value: Any) -> FieldFilter:
    return field(name, Operator.EQ, value)


def in_(name: str, values: list[Any]) -> FieldFilter:
    return field(name, Operator.IN, list(values))


def between(name: str, start: Any, end: Any) -> FieldFilter:
    return field(name, Operator.BETWEEN, [start, end])


def nested(path: str, operator: Operator | str, value: Any) -> Filter:
    """A filter on a dotted path: ``variables.targetEntity`` becomes a NestedFilter."""
    head, _, rest = path.partition(".")
    if not rest:
        return field(head, operator, value)
    inner = nested(rest, operator, value)
    assert not isinstance(inner, LogicalFilter)
    return NestedFilter(field=head, nested=inner)


def all_of(*filters: Filter | None) -> Filter | None:
    """AND the given filters, ignoring ``None``; one filter is returned as is."""
    present = [f for f in filters if f is not None]
    if not present:
        return None
    if len(present) == 1:
        return present[0]
    return LogicalFilter(operator="AND", filters=present)


def any_of(*filters: Filter) -> Filter:
    if len(filters) == 1:
        return filters[0]
    return LogicalFilter(operator="OR", filters=list(filters))


def not_(inner: Filter) -> Filter:
    return LogicalFilter(operator="NOT", filters=[inner])


def page(
    size: int | None = None,
    offset: int | None = None,
    order_by: str | None = None,
    direction: Literal["ASC", "DESC"] | None = None,
) -> PaginationInfo:
    return PaginationInfo(pageSize=size, offset=offset, orderBy=order_by, orderDirection=direction)
