"""Evaluation of ``SearchRequest`` filters, ordering and paging.

The real backend translates a :code:`SearchRequest` into a Data Index GraphQL query. This module
reproduces what a client observes from that translation: the field and operator checks made by
the backend's filter builder (plain errors, answered with 500), the errors the Data Index itself
raises for bad values (GraphQL errors, also 500), and the resulting selection, order and page.
"""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from .errors import graphql_error, plain_error
from .timeutil import parse_iso

T = TypeVar("T")
T_contra = TypeVar("T_contra", contravariant=True)
Predicate = Callable[[T], bool]

STRING = "StringArgument"
ID = "IdArgument"
DATE = "DateArgument"
STATE = "ProcessInstanceStateArgument"
JSON_TYPE = "JSON"

SUPPORTED_OPERATORS = ("EQ", "LIKE", "IN", "IS_NULL", "GT", "GTE", "LT", "LTE", "BETWEEN")
ALLOWED_BY_TYPE: dict[str, tuple[str, ...]] = {
    STRING: ("IN", "LIKE", "IS_NULL", "EQ"),
    ID: ("IN", "IS_NULL", "EQ"),
    DATE: ("IS_NULL", "EQ", "GT", "GTE", "LT", "LTE", "BETWEEN"),
}

STATES = ("ACTIVE", "ERROR", "COMPLETED", "ABORTED", "SUSPENDED", "PENDING")
#: The Data Index stores the state as an ordinal; ordering by state follows it.
STATE_ORDINAL = {"PENDING": 0, "ACTIVE": 1, "COMPLETED": 2, "ABORTED": 3, "SUSPENDED": 4, "ERROR": 5}

INSTANCE_FIELDS: dict[str, str] = {
    "id": ID,
    "processId": STRING,
    "version": STRING,
    "processName": STRING,
    "parentProcessInstanceId": ID,
    "rootProcessInstanceId": ID,
    "rootProcessId": STRING,
    "state": STATE,
    "error": "ProcessInstanceErrorArgument",
    "nodes": "NodeInstanceArrayArgument",
    "milestones": "MilestoneArrayArgument",
    "endpoint": STRING,
    "roles": "StringArrayArgument",
    "start": DATE,
    "end": DATE,
    "addons": "StringArrayArgument",
    "lastUpdate": DATE,
    "businessKey": STRING,
    "createdBy": STRING,
    "updatedBy": STRING,
    "slaDueDate": DATE,
    "cloudEventId": STRING,
    "cloudEventSource": STRING,
    "variables": JSON_TYPE,
}
INSTANCE_ORDER_FIELDS = frozenset(
    {
        "processId",
        "processName",
        "rootProcessId",
        "state",
        "start",
        "end",
        "lastUpdate",
        "businessKey",
        "createdBy",
        "updatedBy",
        "slaDueDate",
        "cloudEventId",
        "cloudEventSource",
    }
)

DEFINITION_FIELDS: dict[str, str] = {
    "id": STRING,
    "name": STRING,
    "version": STRING,
    "type": STRING,
    "endpoint": STRING,
    "serviceUrl": STRING,
    "description": STRING,
    "annotations": "StringArrayArgument",
    "metadata": JSON_TYPE,
}
DEFINITION_ORDER_FIELDS = frozenset({"id", "name", "version", "type", "endpoint", "serviceUrl", "description"})


class Accessor(Protocol[T_contra]):
    """How the query engine reads fields from the items it filters."""

    def extractor(self, field: str) -> Callable[[T_contra], Any]:
        """A function returning ``field`` of an item (dates as epoch ms, missing as ``None``)."""
        ...

    def variables(self, item: T_contra) -> Mapping[str, Any]:
        """The item's JSON ``variables`` (for nested filters)."""
        ...


@dataclass(frozen=True)
class Entity:
    """A Data Index collection: its argument type and which fields filter and order."""

    type_name: str
    collection: str
    fields: Mapping[str, str]
    order_fields: frozenset[str]


PROCESS_INSTANCE = Entity("ProcessInstance", "ProcessInstances", INSTANCE_FIELDS, INSTANCE_ORDER_FIELDS)
PROCESS_DEFINITION = Entity("ProcessDefinition", "ProcessDefinitions", DEFINITION_FIELDS, DEFINITION_ORDER_FIELDS)


@dataclass(frozen=True)
class Pagination:
    """What the backend's ``buildPagination`` extracts from a request body."""

    limit: float | None = None
    offset: float | None = None
    order: str | None = None
    sort_field: str | None = None

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> Pagination:
        info = body.get("paginationInfo")
        if not isinstance(info, Mapping) or not info:
            return cls()
        limit = info.get("pageSize")
        offset = info.get("offset")
        order_by = info.get("orderBy")
        direction = info.get("orderDirection")
        return cls(
            limit=limit if _is_number(limit) else None,
            offset=offset if _is_number(offset) else None,
            order=str(direction).upper() if direction else None,
            sort_field=str(order_by) if order_by else None,
        )

    def info(self) -> dict[str, Any]:
        """The ``paginationInfo`` echoed in responses (undefined members are dropped)."""
        result: dict[str, Any] = {}
        if self.limit is not None:
            result["pageSize"] = _plain_number(self.limit)
        if self.offset is not None:
            result["offset"] = _plain_number(self.offset)
        return result


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _plain_number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _js_string(value: Any) -> str:
    """``String(value)`` as JavaScript would print a JSON scalar."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _to_boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.lower() == "true"
    if _is_number(value):
        return bool(value == 1)
    return False


def like_pattern(pattern: str) -> re.Pattern[str]:
    """A Data Index ``like`` pattern (``*`` matches any run of characters, case-sensitive)."""
    return re.compile(".*".join(re.escape(part) for part in pattern.split("*")), re.DOTALL)


class _Compiler(Generic[T]):
    def __init__(self, entity: Entity, accessor: Accessor[T]) -> None:
        self.entity = entity
        self.accessor = accessor
        self._variable_count = 0

    def _variable(self) -> str:
        self._variable_count += 1
        return f"clauseVariable{self._variable_count}"

    def compile(self, flt: Mapping[str, Any]) -> Predicate[T]:
        if flt.get("nested") is not None:
            return self._nested(flt)
        if flt.get("filters") is not None:
            return self._logical(flt)
        return self._field(flt)

    def _logical(self, flt: Mapping[str, Any]) -> Predicate[T]:
        operator = flt.get("operator")
        if not operator:
            return lambda item: True
        children = [self.compile(child) for child in flt["filters"]]
        if operator == "AND":
            return lambda item: all(child(item) for child in children)
        if operator == "OR":
            if not children:
                return lambda item: True
            return lambda item: any(child(item) for child in children)
        return lambda item: not all(child(item) for child in children)

    def _nested(self, flt: Mapping[str, Any]) -> Predicate[T]:
        field = str(flt.get("field"))
        kind = self.entity.fields.get(field)
        if kind is None:
            raise graphql_error(
                f"Validation error (WrongType@[{self.entity.collection}]) : argument 'where' contains a field "
                f"not in '{self.entity.type_name}Argument': '{field}'"
            )
        if kind != JSON_TYPE:
            raise graphql_error(
                f"Validation error (WrongType@[{self.entity.collection}]) : argument 'where.{field}' "
                f"is not a valid '{kind}'"
            )
        path: list[str] = []
        inner: Mapping[str, Any] = flt["nested"]
        while inner.get("nested") is not None:
            path.append(str(inner.get("field")))
            inner = inner["nested"]
        leaf_field = str(inner.get("field"))
        path.append(leaf_field)
        operator = inner.get("operator")
        if operator not in SUPPORTED_OPERATORS:
            raise _unsupported_operator(operator)
        test = _json_test(operator, inner.get("value"))
        variables = self.accessor.variables

        def predicate(item: T) -> bool:
            current: Any = variables(item)
            for key in path:
                if not isinstance(current, Mapping):
                    current = None
                    break
                current = current.get(key)
            return bool(test(current))

        return predicate

    def _field(self, flt: Mapping[str, Any]) -> Predicate[T]:
        operator = flt.get("operator")
        field = str(flt.get("field"))
        if operator not in SUPPORTED_OPERATORS:
            raise _unsupported_operator(operator)
        kind = self.entity.fields.get(field)
        if kind is None:
            raise plain_error(f'Can\'t find field "{field}" definition')
        is_enum = kind == STATE and self.entity is PROCESS_INSTANCE
        allowed = ALLOWED_BY_TYPE.get(kind, ())
        if not ((is_enum and operator in ("EQ", "IN")) or operator in allowed):
            raise plain_error(
                f'Unsupported operator {operator} for field "{field}" of type "{kind}". '
                f"Allowed operators are: {', '.join(allowed)}"
            )
        get = self.accessor.extractor(field)
        value = flt.get("value")
        if operator == "IS_NULL":
            expected = _to_boolean(value)
            return lambda item: (get(item) is None) == expected
        if operator == "BETWEEN":
            if not isinstance(value, list) or len(value) != 2:
                raise plain_error("Between operator requires an array of two elements")
            low, high = (self._coerce(kind, v) for v in value)
            return lambda item: (v := get(item)) is not None and low <= v <= high
        if operator == "IN":
            options = {self._coerce(kind, v) for v in (value if isinstance(value, list) else [value])}
            return lambda item: get(item) in options
        if isinstance(value, list):
            variable = self._variable()
            raise graphql_error(
                f"Validation error (VariableTypeMismatch@[{self.entity.collection}]) : Variable '{variable}' of type "
                f"'[String!]' used in position expecting type '{_graphql_type(kind)}'"
            )
        target = self._coerce(kind, value)
        if operator == "EQ":
            return lambda item: get(item) == target
        if operator == "LIKE":
            pattern = like_pattern(str(target))
            return lambda item: (v := get(item)) is not None and pattern.fullmatch(v) is not None
        compare = _COMPARATORS[operator]
        return lambda item: (v := get(item)) is not None and compare(v, target)

    def _coerce(self, kind: str, value: Any) -> Any:
        if kind == DATE:
            try:
                if not isinstance(value, str):
                    raise ValueError(value)
                return parse_iso(value)
            except ValueError:
                variable, shown = self._variable(), _js_string(value)
                raise graphql_error(
                    f"Variable '{variable}' has an invalid value: Invalid DateTime value : '{shown}'"
                ) from None
        if kind == STATE:
            text = _js_string(value)
            if text not in STATES:
                raise graphql_error(
                    f"Variable '{self._variable()}' has an invalid value: Invalid input for enum "
                    f"'ProcessInstanceState'. No value found for name '{text}'"
                )
            return text
        return _js_string(value)


def _graphql_type(kind: str) -> str:
    return {DATE: "DateTime", STATE: "ProcessInstanceState"}.get(kind, "String")


def _unsupported_operator(operator: Any) -> Exception:
    return plain_error(f"Unsupported operator {operator}. Supported operators are: {', '.join(SUPPORTED_OPERATORS)}")


_COMPARATORS: dict[str, Callable[[Any, Any], bool]] = {
    "GT": operator.gt,
    "GTE": operator.ge,
    "LT": operator.lt,
    "LTE": operator.le,
}


def _json_equal(stored: Any, text: str) -> bool:
    if stored is None:
        return False
    if isinstance(stored, str):
        return stored == text
    if isinstance(stored, bool):
        return ("true" if stored else "false") == text
    if _is_number(stored):
        try:
            return bool(float(text) == stored)
        except ValueError:
            return False
    return json.dumps(stored, separators=(",", ":")) == text


def _json_order(stored: Any, text: str) -> tuple[Any, Any] | None:
    """Comparable pair for a JSON value and a filter value, or ``None`` if incomparable."""
    if isinstance(stored, str):
        return stored, text
    if _is_number(stored):
        try:
            return stored, float(text)
        except ValueError:
            return None
    return None


def _json_test(operator: str, value: Any) -> Callable[[Any], bool]:
    """A test on a JSON value reached through a nested filter (values are compared as text)."""
    if operator == "IS_NULL":
        expected = _to_boolean(value)
        return lambda stored: (stored is None) == expected
    if operator == "BETWEEN":
        if not isinstance(value, list) or len(value) != 2:
            raise plain_error("Between operator requires an array of two elements")
        low, high = _js_string(value[0]), _js_string(value[1])

        def between(stored: Any) -> bool:
            first, second = _json_order(stored, low), _json_order(stored, high)
            return first is not None and second is not None and first[1] <= first[0] <= second[1]

        return between
    if operator == "IN":
        options = [_js_string(v) for v in (value if isinstance(value, list) else [value])]
        return lambda stored: any(_json_equal(stored, option) for option in options)
    text = _js_string(value)
    if operator == "EQ":
        return lambda stored: _json_equal(stored, text)
    if operator == "LIKE":
        pattern = like_pattern(text)
        return lambda stored: isinstance(stored, str) and pattern.fullmatch(stored) is not None
    compare = _COMPARATORS[operator]

    def ordered(stored: Any) -> bool:
        pair = _json_order(stored, text)
        return pair is not None and bool(compare(pair[0], pair[1]))

    return ordered


def compile_filter(flt: Mapping[str, Any] | None, entity: Entity, accessor: Accessor[T]) -> Predicate[T] | None:
    """Validate ``flt`` like the backend and return a predicate (``None`` when there is no filter)."""
    if not flt:
        return None
    return _Compiler(entity, accessor).compile(flt)


def order_items(
    items: Sequence[T],
    pagination: Pagination,
    entity: Entity,
    accessor: Accessor[T],
    presorted_by: str | None = None,
) -> Sequence[T]:
    """Order like PostgreSQL behind the Data Index (nulls last ascending, first descending)."""
    field = pagination.sort_field
    if field is None:
        return items
    if field not in entity.order_fields:
        raise graphql_error(
            f"Variable 'orderByInfo' has an invalid value: The variables input contains a field name '{field}' "
            f"that is not defined for input object type '{entity.type_name}OrderBy' "
        )
    descending = (pagination.order or "ASC") == "DESC"
    if field == presorted_by:
        return list(reversed(items)) if descending else items
    get = accessor.extractor(field)
    key: Callable[[T], Any] = (lambda item: STATE_ORDINAL.get(get(item), -1)) if field == "state" else get
    present = [item for item in items if get(item) is not None]
    missing = [item for item in items if get(item) is None]
    present.sort(key=key, reverse=descending)
    return missing + present if descending else present + missing


def _check_int(name: str, value: float | None, entity: Entity) -> int | None:
    if value is None:
        return None
    if not float(value).is_integer():
        raise graphql_error(
            f"Variable 'paginationInfo' has an invalid value: Expected a value that can be converted to type "
            f"'Int' but it was a 'Double' (field '{name}')"
        )
    number = int(value)
    if number < 0:
        raise graphql_error(
            f"Exception while fetching data (/{entity.collection}) : {name.upper()} must not be negative"
        )
    return number


def check_paging(pagination: Pagination, entity: Entity) -> tuple[int, int | None]:
    """Validate ``offset`` and ``pageSize`` like the Data Index; returns ``(offset, limit)``."""
    limit = _check_int("limit", pagination.limit, entity)
    offset = _check_int("offset", pagination.offset, entity) or 0
    return offset, limit


def page_items(items: Sequence[T], pagination: Pagination, entity: Entity) -> Sequence[T]:
    """Apply ``offset`` and ``pageSize`` (limit)."""
    offset, limit = check_paging(pagination, entity)
    if limit is None:
        return items[offset:]
    return items[offset : offset + limit]


def select(
    items: Iterable[T],
    flt: Mapping[str, Any] | None,
    entity: Entity,
    accessor: Accessor[T],
) -> list[T]:
    """Items matching ``flt``."""
    predicate = compile_filter(flt, entity, accessor)
    if predicate is None:
        return list(items)
    return [item for item in items if predicate(item)]
