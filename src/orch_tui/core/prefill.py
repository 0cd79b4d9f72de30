"""Prefill form data from URL query parameters, as the Backstage Orchestrator web UI does.

The web UI's execute page merges ``?name=alice&tags=a,b&step.field=x`` into the form
data before showing the form.  This module follows the same rules:

* parameters are applied in URL order; a repeated key is applied again (last valid wins);
* ``targetEntity`` and ``instanceId`` are reserved for navigation and skipped;
* the dotted key must name a path through ``properties`` (following local ``$ref`` and the
  branches of ``oneOf`` / ``anyOf`` / ``allOf``);
* the schema at that path, resolved against the data with the raw value in place (so
  ``oneOf`` / ``anyOf`` branches, ``allOf`` and ``if/then/else`` apply), must be a leaf:
  it has ``enum`` or ``const``, or a type among string, number, integer, boolean, null, array;
* values are trimmed and coerced: arrays from comma-separated parts (empty and invalid parts
  dropped, nothing left means the parameter is skipped), enums matched case-insensitively
  returning the enum's own spelling and type, booleans from ``true`` / ``false``, numbers
  with JavaScript's ``Number()`` rules;
* the base data is never mutated, and query values win over it.

Unlike the web UI, which drops a parameter silently, every parameter that was not applied is
reported with the reason, so the console can tell the user.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from orch_tui.core.forms.schema import merge_over
from orch_tui.core.forms.validation import SchemaTools

RESERVED_PARAMS = frozenset({"targetEntity", "instanceId"})
LEAF_TYPES = frozenset({"string", "number", "integer", "boolean", "null", "array"})
_MAX_REF_HOPS = 64

JsonObject = dict[str, Any]


@dataclass(frozen=True)
class PrefillIssue:
    """A query parameter that was not applied, and why."""

    key: str
    value: str
    reason: str

    def __str__(self) -> str:
        """``key=value: reason`` on one line, key and value cut to a readable length."""
        from orch_tui.core.formatting import single_line

        return f"{single_line(self.key, 80)}={single_line(self.value, 80)}: {self.reason}"


@dataclass
class PrefillResult:
    data: JsonObject
    applied: list[str] = field(default_factory=list)
    ignored: list[PrefillIssue] = field(default_factory=list)
    reserved: dict[str, str] = field(default_factory=dict)


class _Invalid(Exception):
    """A value that cannot be coerced; the message is the reason shown to the user."""


def parse_query(query: str | Mapping[str, str] | Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Query parameters in order, decoded as a browser's URLSearchParams would."""
    if isinstance(query, str):
        text = query.split("#", 1)[0]
        head, mark, tail = text.partition("?")
        if mark and "=" not in head and "&" not in head:
            # a URL (or a leading "?"): the parameters follow its "?"; a "?" inside a value stays
            text = tail
        return parse_qsl(text, keep_blank_values=True)
    if isinstance(query, Mapping):
        return [(str(k), str(v)) for k, v in query.items()]
    return [(str(k), str(v)) for k, v in query]


def merge_query_params(
    schema: Mapping[str, Any],
    query: str | Mapping[str, str] | Iterable[tuple[str, str]],
    base: Mapping[str, Any] | None = None,
) -> PrefillResult:
    """Merge query parameters that name leaf fields of ``schema`` into a copy of ``base``."""
    result = PrefillResult(data=copy.deepcopy(dict(base or {})))
    root = dict(schema)
    at_path = _SchemaAtPath(root)
    for key, value in parse_query(query):
        if key in RESERVED_PARAMS:
            result.reserved[key] = value
            continue
        if not key or not path_exists(root, key.split("."), root):
            result.ignored.append(PrefillIssue(key, value, "no such field in the input schema"))
            continue
        proposed = copy.deepcopy(result.data)
        _lodash_set(proposed, key.split("."), value)
        leaf = at_path.leaf(key.split("."), proposed)
        if leaf is None:
            result.ignored.append(PrefillIssue(key, value, "not a single-value field"))
            continue
        try:
            coerced = coerce_for_schema(value, leaf)
        except _Invalid as exc:
            result.ignored.append(PrefillIssue(key, value, str(exc)))
            continue
        _lodash_set(result.data, key.split("."), coerced)
        if key in result.applied:
            result.applied.remove(key)
        result.applied.append(key)
    return result


# -- the path check ------------------------------------------------------------


def _resolve_local_ref(root: Mapping[str, Any], ref: Any) -> Any:
    """Follow a ``#/a/b`` pointer segment by segment; None when it cannot be followed."""
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return None
    current: Any = root
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(current, Mapping):
            if part not in current:
                return None
            current = current[part]
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return None
    return current


def path_exists(node: Any, parts: Sequence[str], root: Mapping[str, Any], _hops: int = 0) -> bool:
    """Whether ``parts`` names a path through ``properties`` of ``node``."""
    if not parts:
        return True
    index = 0
    hops = _hops
    while index < len(parts):
        if not isinstance(node, Mapping):
            return False
        if "$ref" in node:
            hops += 1
            if hops > _MAX_REF_HOPS:
                return False
            node = _resolve_local_ref(root, node["$ref"])
            continue
        if "oneOf" in node or "anyOf" in node:
            return _exists_in_branches(node, parts[index:], root, hops)
        properties = node.get("properties")
        if not isinstance(properties, Mapping) or parts[index] not in properties:
            return False
        node = properties[parts[index]]
        index += 1
    return True


def _exists_in_branches(node: Mapping[str, Any], parts: Sequence[str], root: Mapping[str, Any], hops: int) -> bool:
    branches: list[Any] = [*_as_list(node.get("oneOf")), *_as_list(node.get("anyOf"))]
    for branch in _as_list(node.get("allOf")):
        if isinstance(branch, Mapping) and "$ref" in branch:
            branch = _resolve_local_ref(root, branch["$ref"])
        if branch is not None:
            branches.append(branch)
    return any(path_exists(branch, parts, root, hops + 1) for branch in branches)


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else []


# -- the schema at a path, resolved against data -----------------------------------


class _SchemaAtPath:
    """The schema at a dotted path as it applies to given data (``json-schema-library``'s
    ``getSchema``): ``$ref`` resolved, ``allOf`` merged, ``if/then/else`` applied and the
    ``oneOf``/``anyOf`` branch that matches the data chosen."""

    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root
        self.tools = SchemaTools(dict(root))

    def leaf(self, parts: Sequence[str], data: Any) -> Mapping[str, Any] | None:
        node: Any = self.root
        current: Any = data
        for part in parts:
            node = self.resolve(node, current)
            if node is None:
                return None
            child = _child_schema(node, part)
            if child is None:
                return None
            node = child
            current = current.get(part) if isinstance(current, Mapping) else (
                current[int(part)] if isinstance(current, list) and part.isdigit() and int(part) < len(current) else None
            )
        node = self.resolve(node, current)
        if node is None or not _is_leaf(node):
            return None
        return node

    def resolve(self, node: Any, data: Any, depth: int = 0) -> dict[str, Any] | None:
        if depth > _MAX_REF_HOPS or not isinstance(node, Mapping):
            return None
        if "$ref" in node:
            target = _resolve_local_ref(self.root, node["$ref"])
            if not isinstance(target, Mapping):
                return None
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            return self.resolve({**target, **siblings}, data, depth + 1)
        merged: dict[str, Any] = dict(node)
        for sub in _as_list(merged.pop("allOf", None)):
            part = self.resolve(sub, data, depth + 1)
            if part is not None:
                merged = merge_over(merged, part)
        if "if" in merged:
            condition = merged.pop("if")
            then, otherwise = merged.pop("then", None), merged.pop("else", None)
            chosen = then if self.tools.is_valid(condition, data) else otherwise
            part = self.resolve(chosen, data, depth + 1) if chosen is not None else None
            if part is not None:
                merged = merge_over(merged, part)
        for keyword in ("oneOf", "anyOf"):
            if keyword in merged:
                branch = self._pick_branch(_as_list(merged.pop(keyword)), data, depth)
                if branch is None:
                    return None
                merged = merge_over(merged, branch)
        return merged

    def _pick_branch(self, branches: list[Any], data: Any, depth: int) -> dict[str, Any] | None:
        resolved = [self.resolve(b, data, depth + 1) for b in branches]
        candidates = [b for b in resolved if b is not None]
        valid = [b for b in candidates if self.tools.is_valid(b, data)]
        if valid:
            return valid[0]
        # No branch accepts the data as it stands (the raw string is not coerced yet): take the
        # branch that knows the most of the data's keys.
        if isinstance(data, Mapping) and candidates:
            def known(branch: Mapping[str, Any]) -> int:
                props = branch.get("properties")
                return sum(1 for key in data if isinstance(props, Mapping) and key in props)

            best = max(candidates, key=known)
            if known(best):
                return best
        return None


def _child_schema(node: Mapping[str, Any], part: str) -> Any:
    properties = node.get("properties")
    if isinstance(properties, Mapping) and part in properties:
        return properties[part]
    items = node.get("items")
    if part.isdigit() and isinstance(items, Mapping):
        return items
    if part.isdigit() and isinstance(items, list) and int(part) < len(items):
        return items[int(part)]
    extra = node.get("additionalProperties")
    if isinstance(extra, Mapping):
        return extra
    return None


def _is_leaf(schema: Mapping[str, Any]) -> bool:
    if "enum" in schema or "const" in schema:
        return True
    kind = schema.get("type")
    if isinstance(kind, list):
        return any(k in LEAF_TYPES for k in kind)
    return isinstance(kind, str) and kind in LEAF_TYPES


# -- coercion ------------------------------------------------------------------------

_DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_PREFIXED = re.compile(r"0([xX][0-9a-fA-F]+|[oO][0-7]+|[bB][01]+)")


def js_number(text: str) -> float:
    """JavaScript's ``Number(text)``: NaN (``math.nan``) when it is not a number."""
    s = text.strip()
    if s == "":
        return 0.0
    if _DECIMAL.fullmatch(s):
        return float(s)
    match = _PREFIXED.fullmatch(s)
    if match:
        base = {"x": 16, "o": 8, "b": 2}[match.group(1)[0].lower()]
        return float(int(match.group(1)[1:], base))
    if s in ("Infinity", "+Infinity"):
        return math.inf
    if s == "-Infinity":
        return -math.inf
    return math.nan


def _number_value(value: float) -> int | float:
    return int(value) if value.is_integer() else value


def coerce_scalar(text: str, schema: Mapping[str, Any] | None) -> Any:
    if schema is None:
        return text
    options = schema.get("enum")
    if isinstance(options, list) and options:
        if any(isinstance(o, str) and o == text for o in options):
            return text
        for option in options:
            if isinstance(option, bool):
                if text.lower() == ("true" if option else "false"):
                    return option
            elif isinstance(option, (int, float)):
                number = js_number(text)
                if not math.isnan(number) and number == option:
                    return option
            elif isinstance(option, str) and option.lower() == text.lower():
                return option
        shown = ", ".join(str(o) for o in options[:10]) + (", …" if len(options) > 10 else "")
        raise _Invalid(f"{text!r} is not one of: {shown}")
    kind = schema.get("type")
    if kind == "boolean":
        lowered = text.lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        raise _Invalid(f"{text!r} is not true or false")
    if kind in ("integer", "number"):
        number = js_number(text)
        if math.isnan(number):
            raise _Invalid(f"{text!r} is not a number")
        if math.isinf(number):
            raise _Invalid(f"{text!r} is not a finite number")
        if kind == "integer" and not number.is_integer():
            raise _Invalid(f"{text!r} is not an integer")
        return _number_value(number)
    return text


def coerce_for_schema(value: str, schema: Mapping[str, Any] | None) -> Any:
    """Coerce a raw parameter for a leaf schema; raises ``_Invalid`` with the reason."""
    if schema is None:
        return value
    text = value.strip()
    if schema.get("type") == "array":
        items = schema.get("items")
        item_schema = items if isinstance(items, Mapping) else None
        coerced = []
        for part in (p.strip() for p in text.split(",")):
            if not part:
                continue
            try:
                coerced.append(coerce_scalar(part, item_schema))
            except _Invalid:
                continue
        if not coerced:
            raise _Invalid("no valid items in the comma-separated list")
        return coerced
    return coerce_scalar(text, schema)


# -- lodash ``set`` ------------------------------------------------------------------


def _is_index(part: str) -> bool:
    return part.isdigit() and (part == "0" or not part.startswith("0"))


def _lodash_set(target: Any, parts: Sequence[str], value: Any) -> None:
    """Set ``value`` at ``parts``, creating objects (or arrays before an index) on the way."""
    current = target
    for position, part in enumerate(parts):
        last = position == len(parts) - 1
        nxt = None if last else parts[position + 1]
        if isinstance(current, list) and _is_index(part):
            index = int(part)
            while len(current) <= index:
                current.append(None)
            if last:
                current[index] = value
                return
            if not isinstance(current[index], (dict, list)):
                current[index] = [] if nxt is not None and _is_index(nxt) else {}
            current = current[index]
            continue
        if not isinstance(current, dict):
            return
        if last:
            current[part] = value
            return
        if not isinstance(current.get(part), (dict, list)):
            current[part] = [] if nxt is not None and _is_index(nxt) else {}
        current = current[part]
