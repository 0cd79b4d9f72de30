"""Default values the way the web UI's form library (RJSF) computes them.

* A node's ``default`` applies; an object default is merged with the defaults of its
  properties (the deeper default wins), and a parent's object default reaches its properties.
* Objects collect their properties' defaults; an empty object is only kept when required.
* Arrays default to their ``default`` or ``[]``, extended to ``minItems`` with the item default
  (or an empty item) — multi-select lists excepted.
* ``oneOf``/``anyOf`` use the branch that matches the data (or the first).
* Recursive ``$ref``\\ s stop the descent.
* Data that is present always wins (:func:`merge_defaults`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from orch_tui.core.forms.choices import Branch, branches_of, choice_keyword, const_options
from orch_tui.core.forms.data import deep_copy
from orch_tui.core.forms.fields import MISSING, Path
from orch_tui.core.forms.schema import SchemaResolver, child_pointer, infer_type, list_of, mapping_of, merge_over

MAX_DEPTH = 48

#: ``(path, branches, value) -> index`` – which branch of a choice applies.
Chooser = Callable[[Path, list[Branch], Any], int]


def empty_value(schema: dict[str, Any]) -> Any:
    """The value of a blank new entry for ``schema``."""
    kind = infer_type(schema)
    if kind == "object":
        return {}
    if kind == "array":
        return []
    if kind == "string" or (kind is None and "enum" not in schema and "const" not in schema):
        return ""
    return None


def merge_defaults(defaults: Any, data: Any) -> Any:
    """``defaults`` with ``data`` laid over it; present data is never replaced."""
    if data is MISSING:
        return defaults
    if defaults is MISSING:
        return data
    if isinstance(defaults, dict) and isinstance(data, dict):
        merged = dict(defaults)
        for key, value in data.items():
            merged[key] = merge_defaults(defaults.get(key, MISSING), value)
        return merged
    if isinstance(defaults, list) and isinstance(data, list):
        return [merge_defaults(defaults[i], value) if i < len(defaults) else value for i, value in enumerate(data)]
    return data


def _deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = deep_copy(base)
    for key, value in over.items():
        if isinstance(merged.get(key), dict) and isinstance(value, dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = deep_copy(value)
    return merged


def _combine(parent: Any, schema: dict[str, Any]) -> Any:
    own = schema.get("default", MISSING)
    if isinstance(parent, dict) and isinstance(own, dict):
        return _deep_merge(parent, own)
    if own is not MISSING:
        return deep_copy(own)
    return parent


class DefaultsComputer:
    """Computes defaults for any node of one schema."""

    def __init__(self, resolver: SchemaResolver, choose: Chooser, *, null_default_wins: bool = False) -> None:
        self._resolver = resolver
        self._choose = choose
        #: pydantic-forms: an absent ``Optional`` field whose default is ``null`` stays ``null``
        #: (no empty object, no list filled up to ``minItems``).
        self._null_default_wins = null_default_wins

    def compute(
        self,
        raw: Any,
        pointer: str,
        path: Path,
        value: Any,
        parent_default: Any = MISSING,
        ancestors: frozenset[str] = frozenset(),
        depth: int = 0,
    ) -> Any:
        """The default for the node ``raw`` at ``path`` holding ``value`` (MISSING when none)."""
        if depth > MAX_DEPTH:
            return parent_default
        resolved = self._resolver.resolve(raw, pointer, value)
        if not resolved.refs.isdisjoint(ancestors):
            return parent_default
        ancestors = ancestors | resolved.refs
        schema = resolved.schema
        node_pointer = resolved.pointer
        default = _combine(parent_default, schema)
        if self._null_default_wins and default is None and value is MISSING:
            return None

        keyword = choice_keyword(schema)
        if keyword is not None and const_options(self._resolver, schema, node_pointer, keyword) is None:
            entries, _ = branches_of(self._resolver, schema, node_pointer, keyword, value)
            if entries:
                position = self._choose(path, entries, value)
                _, branch, _ = entries[min(position, len(entries) - 1)]
                default = _combine(default, branch.schema)
                schema = merge_over(branch.schema, {k: v for k, v in schema.items() if k != keyword})
                node_pointer = branch.pointer
                ancestors = ancestors | branch.refs

        kind = infer_type(schema)
        if kind == "object":
            return self._object(schema, node_pointer, path, value, default, ancestors, depth)
        if kind == "array":
            return self._array(schema, node_pointer, path, value, default, ancestors, depth)
        return default

    def _object(
        self,
        schema: dict[str, Any],
        pointer: str,
        path: Path,
        value: Any,
        default: Any,
        ancestors: frozenset[str],
        depth: int,
    ) -> Any:
        properties = mapping_of(schema, "properties")
        required = list_of(schema, "required")
        extra = schema.get("additionalProperties", True)
        data = value if isinstance(value, dict) else {}
        parent = default if isinstance(default, dict) else {}
        result: dict[str, Any] = {}
        for name, sub in properties.items():
            if sub is False:
                continue
            computed = self.compute(
                sub,
                child_pointer(pointer, "properties", name),
                path + (name,),
                data.get(name, MISSING),
                parent.get(name, MISSING),
                ancestors,
                depth + 1,
            )
            if computed is MISSING:
                continue
            if isinstance(computed, dict) and not computed and name not in required:
                continue
            result[name] = computed
        if extra is not False:
            extra_pointer = child_pointer(pointer, "additionalProperties")
            for name in list(parent) + [k for k in data if k not in parent]:
                if name in properties:
                    continue
                if isinstance(extra, dict):
                    computed = self.compute(
                        extra,
                        extra_pointer,
                        path + (name,),
                        data.get(name, MISSING),
                        parent.get(name, MISSING),
                        ancestors,
                        depth + 1,
                    )
                else:
                    computed = deep_copy(parent.get(name, MISSING))
                if computed is not MISSING:
                    result[name] = computed
        return result

    def _array(
        self,
        schema: dict[str, Any],
        pointer: str,
        path: Path,
        value: Any,
        default: Any,
        ancestors: frozenset[str],
        depth: int,
    ) -> Any:
        result: list[Any] | None = None
        if isinstance(default, list):
            result = []
            for index, entry in enumerate(default):
                item_raw, item_pointer = item_location(schema, pointer, index)
                computed = self.compute(item_raw, item_pointer, path + (index,), MISSING, entry, ancestors, depth + 1)
                result.append(entry if computed is MISSING else computed)
        if isinstance(value, list):
            base = result or []
            result = []
            for index, entry in enumerate(value):
                item_raw, item_pointer = item_location(schema, pointer, index)
                computed = self.compute(
                    item_raw,
                    item_pointer,
                    path + (index,),
                    entry,
                    base[index] if index < len(base) else MISSING,
                    ancestors,
                    depth + 1,
                )
                result.append(entry if computed is MISSING else computed)
        current = result if result is not None else []
        minimum = schema.get("minItems")
        if (
            not isinstance(minimum, int)
            or isinstance(minimum, bool)
            or minimum <= len(current)
            or self._is_multi_select(schema, child_pointer(pointer, "items"))
        ):
            return current
        filled = list(current)
        for index in range(len(current), minimum):
            item_raw, item_pointer = item_location(schema, pointer, index)
            filler = self.compute(item_raw, item_pointer, path + (index,), MISSING, MISSING, ancestors, depth + 1)
            if filler is MISSING:
                item_resolved = self._resolver.resolve(item_raw, item_pointer)
                filler = empty_value(item_resolved.schema)
            filled.append(filler)
        return filled

    def _is_multi_select(self, schema: dict[str, Any], items_pointer: str) -> bool:
        items = schema.get("items")
        if not isinstance(items, dict):
            return False
        resolved = self._resolver.resolve(items, items_pointer)
        if "enum" in resolved.schema:
            return True
        keyword = choice_keyword(resolved.schema)
        return (
            keyword is not None
            and const_options(self._resolver, resolved.schema, resolved.pointer, keyword) is not None
        )


def item_location(schema: dict[str, Any], pointer: str, index: int) -> tuple[Any, str]:
    """The schema of entry ``index`` of an array and its pointer (tuple ``items`` and
    ``additionalItems`` included)."""
    items = schema.get("items", {})
    if isinstance(items, list):
        if index < len(items):
            return items[index], child_pointer(pointer, "items", index)
        extra = schema.get("additionalItems", {})
        return (extra if isinstance(extra, dict) else {}), child_pointer(pointer, "additionalItems")
    if items is True or items is None:
        return {}, child_pointer(pointer, "items")
    return items, child_pointer(pointer, "items")
