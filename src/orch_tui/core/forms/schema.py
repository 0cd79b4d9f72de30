"""Schema plumbing: ``$ref`` resolution, merging, conditionals and small schema queries.

:class:`SchemaResolver` turns one schema node into the schema that applies for the current
data (:class:`Resolved`): ``$ref`` chains followed (sibling keys merged over the target),
``allOf`` merged, ``if``/``then``/``else`` and ``dependencies`` applied, nullable forms
(``type: [X, "null"]``, ``anyOf: [X, {type: null}]``) reduced to X.  Properties are never
expanded here, so recursive schemas resolve one level at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from referencing import Registry
from referencing.exceptions import NoSuchResource, Unresolvable, Unretrievable
from referencing.jsonschema import DRAFT7

from orch_tui.core.forms.data import json_equal, strip_empty_strings
from orch_tui.core.forms.fields import MISSING, Path, SchemaError

BASE_URI = "urn:orch-tui:input-schema"
JSON_TYPES = frozenset({"object", "array", "string", "integer", "number", "boolean", "null"})
MAX_REF_CHAIN = 64

_LOWER_BOUNDS = frozenset({"minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"})
_UPPER_BOUNDS = frozenset({"maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"})
_DATA_DEPENDENT = ("allOf", "if", "dependencies", "anyOf", "oneOf", "type", "nullable")
_PLAIN_IF_KEYS = frozenset({"properties", "required", "type", "title", "description", "$comment"})

#: ``(subschema, instance) -> bool`` – jsonschema validity, supplied by the validation module.
Matcher = Callable[[Any, Any], bool]


@dataclass(slots=True)
class Resolved:
    """The effective schema of one node for the current data."""

    schema: dict[str, Any]
    #: JSON pointer of the node the schema came from (the last ``$ref`` target).
    pointer: str
    #: Every ``$ref`` target expanded to produce it (for recursion detection).
    refs: frozenset[str]
    #: Data paths, relative to the node, whose values decided if/then/else or dependencies.
    watch: tuple[Path, ...]
    #: The node also accepts ``null``.
    nullable: bool
    #: The result depends on the data.
    dynamic: bool


def escape_token(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def child_pointer(pointer: str, *tokens: str | int) -> str:
    for token in tokens:
        text = str(token)
        if "~" in text or "/" in text:
            text = escape_token(text)
        pointer = f"{pointer}/{text}"
    return pointer


def mapping_of(schema: dict[str, Any], key: str) -> dict[str, Any]:
    """``schema[key]`` when it is an object, else an empty one."""
    value = schema.get(key)
    return value if isinstance(value, dict) else {}


def list_of(schema: dict[str, Any], key: str) -> list[Any]:
    """``schema[key]`` when it is a list, else an empty one."""
    value = schema.get(key)
    return value if isinstance(value, list) else []


def type_of(schema: dict[str, Any]) -> str | None:
    """The schema's non-null type (first one when several are allowed)."""
    declared = schema.get("type")
    if isinstance(declared, str):
        return declared
    if isinstance(declared, list):
        others = [t for t in declared if t != "null"]
        if others:
            return str(others[0])
        if declared:
            return "null"
    return None


def infer_type(schema: dict[str, Any]) -> str | None:
    """``type`` or, when absent, what the keywords imply."""
    declared = type_of(schema)
    if declared is not None:
        return declared
    if "properties" in schema or "additionalProperties" in schema or "required" in schema:
        return "object"
    if "items" in schema:
        return "array"
    return None


def is_null_schema(schema: Any) -> bool:
    if not isinstance(schema, dict):
        return False
    declared = schema.get("type")
    if declared == "null" or declared == ["null"]:
        return True
    if "const" in schema and schema["const"] is None:
        return True
    return schema.get("enum") == [None]


def ui_settings(schema: dict[str, Any]) -> dict[str, Any]:
    """The ``ui:*`` keys of a schema without their prefix (``ui:options`` entries included)."""
    settings: dict[str, Any] = {}
    options = schema.get("ui:options")
    if isinstance(options, dict):
        settings.update(options)
    for key, value in schema.items():
        if key.startswith("ui:") and key != "ui:options":
            settings[key[3:]] = value
    return settings


def ordered_keys(keys: list[str], order: Any) -> list[str]:
    """``keys`` arranged by a ``ui:order`` list: listed keys first, the rest in schema order.

    A ``"*"`` entry marks where the unlisted keys go; unknown names are ignored.
    """
    if not isinstance(order, list) or not order:
        return keys
    known = set(keys)
    names = [name for name in order if isinstance(name, str)]
    if "*" in names:
        star = names.index("*")
        before = _unique(name for name in names[:star] if name in known)
        after = [name for name in _unique(name for name in names[star + 1 :] if name in known) if name not in before]
        listed = set(before) | set(after)
        return before + [key for key in keys if key not in listed] + after
    listed_keys = _unique(name for name in names if name in known)
    chosen = set(listed_keys)
    return listed_keys + [key for key in keys if key not in chosen]


def _unique(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def merge_over(base: dict[str, Any], over: dict[str, Any], *, over_first: bool = False) -> dict[str, Any]:
    """``over`` merged onto ``base``.

    Properties are unioned (a property present in both gets both schemas), ``required``
    unioned, bounds take the stricter value, ``enum`` and ``type`` intersect; for every
    other keyword ``over`` wins.  ``over_first`` lists ``over``'s properties first.
    """
    if not base:
        return dict(over)
    if not over:
        return dict(base)
    out = dict(base)
    for key, value in over.items():
        if key not in out:
            out[key] = value
            continue
        current = out[key]
        if key == "properties" and isinstance(current, dict) and isinstance(value, dict):
            out[key] = _merge_properties(current, value, over_first)
        elif key == "required" and isinstance(current, list) and isinstance(value, list):
            out[key] = current + [name for name in value if name not in current]
        elif key in _LOWER_BOUNDS and _number(current) and _number(value):
            out[key] = max(current, value)
        elif key in _UPPER_BOUNDS and _number(current) and _number(value):
            out[key] = min(current, value)
        elif key == "enum" and isinstance(current, list) and isinstance(value, list):
            both = [item for item in current if item in value]
            out[key] = both if both else value
        elif key == "type" and isinstance(current, str | list) and isinstance(value, str | list):
            left = [current] if isinstance(current, str) else current
            right = [value] if isinstance(value, str) else value
            both_types = [t for t in left if t in right or (t == "integer" and "number" in right)]
            both_types += [t for t in right if t == "integer" and "number" in left and t not in both_types]
            if not both_types:
                out[key] = value
            else:
                out[key] = both_types[0] if len(both_types) == 1 else both_types
        elif key in ("dependencies", "$defs", "definitions") and isinstance(current, dict) and isinstance(value, dict):
            out[key] = {**current, **value}
        elif key == "allOf" and isinstance(current, list) and isinstance(value, list):
            out[key] = current + value
        elif key == "uniqueItems":
            out[key] = bool(current) or bool(value)
        else:
            out[key] = value
    return out


def _merge_properties(base: dict[str, Any], over: dict[str, Any], over_first: bool) -> dict[str, Any]:
    order = (
        list(over) + [k for k in base if k not in over]
        if over_first
        else list(base) + [k for k in over if k not in base]
    )
    merged: dict[str, Any] = {}
    for name in order:
        if name in base and name in over:
            left, right = base[name], over[name]
            if isinstance(left, dict) and isinstance(right, dict):
                if "$ref" in left or "$ref" in right or "allOf" in left or "allOf" in right:
                    merged[name] = {"allOf": [left, right]}
                else:
                    merged[name] = merge_over(left, right)
            else:
                merged[name] = right
        else:
            merged[name] = over[name] if name in over else base[name]
    return merged


def if_watch_paths(condition: Any) -> list[Path]:
    """Data paths (relative to the node) an ``if`` schema reads."""
    if isinstance(condition, dict) and set(condition) <= _PLAIN_IF_KEYS:
        names: list[str] = []
        properties = condition.get("properties")
        if isinstance(properties, dict):
            names.extend(properties)
        required = condition.get("required")
        if isinstance(required, list):
            names.extend(name for name in required if isinstance(name, str))
        return [(name,) for name in _unique(names)]
    return [()]


def _walk_ids(node: Any, into: set[int]) -> None:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            into.add(id(current))
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)


_FAST_KEYS = frozenset({"properties", "required", "type", "const", "enum", "title", "description", "$comment"})
_TYPE_CHECKS: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "null": lambda v: v is None,
}


def quick_match(schema: Any, instance: Any) -> bool | None:
    """Validity of ``instance`` for the plain schemas ``if`` conditions are usually made of
    (``properties``/``required``/``type``/``const``/``enum``); None when it takes a real validator."""
    if isinstance(schema, bool):
        return schema
    if not isinstance(schema, dict) or not set(schema) <= _FAST_KEYS:
        return None
    declared = schema.get("type")
    if declared is not None:
        names = [declared] if isinstance(declared, str) else declared
        if not isinstance(names, list) or any(name not in _TYPE_CHECKS for name in names):
            return None
        if not any(_TYPE_CHECKS[name](instance) for name in names):
            return False
    if "const" in schema and not json_equal(instance, schema["const"]):
        return False
    if "enum" in schema:
        options = schema["enum"]
        if not isinstance(options, list) or not any(json_equal(instance, option) for option in options):
            return False
    if not isinstance(instance, dict):
        return True
    required = schema.get("required")
    if required is not None:
        if not isinstance(required, list):
            return None
        if any(name not in instance for name in required):
            return False
    properties = schema.get("properties")
    if properties is not None:
        if not isinstance(properties, dict):
            return None
        for name, sub in properties.items():
            if name in instance:
                verdict = quick_match(sub, instance[name])
                if verdict is not True:
                    return verdict
    return True


class SchemaResolver:
    """Resolves schema nodes of one root schema (see the module docstring)."""

    def __init__(self, root: dict[str, Any], matcher: Matcher) -> None:
        self.root = root
        self._matcher = matcher
        resource = DRAFT7.create_resource(root)
        root_id = root.get("$id") if isinstance(root.get("$id"), str) else None
        uris = [BASE_URI] + ([root_id] if root_id and root_id != BASE_URI else [])
        registry: Registry[Any] = Registry().with_resources((uri, resource) for uri in uris)
        self._resolver = registry.resolver(base_uri=root_id or BASE_URI)
        self._owned: set[int] = set()
        _walk_ids(root, self._owned)
        self._deref_cache: dict[int, tuple[dict[str, Any], str, tuple[str, ...]]] = {}
        self._static_cache: dict[int, Resolved] = {}

    # -- $ref ------------------------------------------------------------------------------

    def lookup(self, ref: Any, at: str) -> tuple[Any, str]:
        """The target of ``ref`` (found at pointer ``at``) and the target's pointer."""
        if not isinstance(ref, str):
            raise SchemaError(f"$ref at {at} must be a string, not {type(ref).__name__}", pointer=at)
        try:
            resolved = self._resolver.lookup(ref)
        except (Unresolvable, NoSuchResource, Unretrievable, KeyError, ValueError, TypeError) as exc:
            # (TypeError: the registry trips over a malformed keyword while it looks for ids.)
            if ref.startswith("#"):
                raise SchemaError(
                    f"Unresolvable $ref {ref!r} at {at}: the schema has nothing at that location", pointer=at
                ) from exc
            raise SchemaError(
                f"Non-local $ref {ref!r} at {at}: only references inside the schema (#/…) are supported",
                pointer=at,
            ) from exc
        target = ref[ref.index("#") :] if "#" in ref else "#"
        return resolved.contents, target or "#"

    def deref(self, schema: Any, pointer: str) -> tuple[dict[str, Any], str, tuple[str, ...]]:
        """Follow a ``$ref`` chain; siblings of each ``$ref`` are merged over its target."""
        key = id(schema)
        cacheable = key in self._owned
        if cacheable:
            cached = self._deref_cache.get(key)
            if cached is not None:
                return cached
        node = self._as_schema(schema, pointer)
        layers: list[dict[str, Any]] = []
        chain: list[str] = []
        current_pointer = pointer
        while "$ref" in node:
            target, target_pointer = self.lookup(node["$ref"], current_pointer)
            if target is node or target_pointer in chain or len(chain) >= MAX_REF_CHAIN:
                route = " → ".join([pointer, *chain, target_pointer])
                raise SchemaError(
                    f"Circular $ref {node['$ref']!r} at {current_pointer} ({route})", pointer=current_pointer
                )
            chain.append(target_pointer)
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            if siblings:
                layers.append(siblings)
            node = self._as_schema(target, target_pointer)
            current_pointer = target_pointer
        for layer in reversed(layers):
            node = merge_over(node, layer)
        result = (node, current_pointer, tuple(chain))
        if cacheable:
            self._deref_cache[key] = result
        return result

    @staticmethod
    def _as_schema(schema: Any, pointer: str) -> dict[str, Any]:
        if isinstance(schema, dict):
            return schema
        if schema is True:
            return {}
        if schema is False:
            return {"not": {}}
        raise SchemaError(f"The schema at {pointer} must be an object, not {type(schema).__name__}", pointer=pointer)

    # -- effective schema ------------------------------------------------------------------

    def resolve(self, schema: Any, pointer: str, data: Any = MISSING, _active: tuple[str, ...] = ()) -> Resolved:
        """The effective schema of ``schema`` for ``data`` (see the module docstring)."""
        static = self._static_cache.get(id(schema)) if id(schema) in self._owned else None
        if static is not None:
            return static
        node, node_pointer, chain = self.deref(schema, pointer)
        if not any(key in node for key in _DATA_DEPENDENT):
            result = Resolved(node, node_pointer, frozenset(chain), (), False, False)
        else:
            if node_pointer in _active:
                raise SchemaError(f"Circular $ref/allOf at {node_pointer}", pointer=node_pointer)
            result = self._resolve_composite(node, node_pointer, chain, data, _active + (node_pointer,))
        if not result.dynamic and id(schema) in self._owned:
            self._static_cache[id(schema)] = result
        return result

    def _resolve_composite(
        self, node: dict[str, Any], pointer: str, chain: tuple[str, ...], data: Any, active: tuple[str, ...]
    ) -> Resolved:
        refs = set(chain)
        watch: list[Path] = []
        dynamic = False
        nullable = False

        merged: dict[str, Any] = node
        all_of = node.get("allOf")
        if all_of is not None:
            if not isinstance(all_of, list):
                raise SchemaError(f"allOf at {pointer} must be a list", pointer=pointer)
            combined: dict[str, Any] = {}
            for index, part in enumerate(all_of):
                sub = self.resolve(part, child_pointer(pointer, "allOf", index), data, active)
                combined = merge_over(combined, sub.schema)
                refs |= sub.refs
                watch.extend(sub.watch)
                dynamic = dynamic or sub.dynamic
            own = {k: v for k, v in node.items() if k != "allOf"}
            merged = merge_over(combined, own, over_first=True)

        if "if" in node:
            dynamic = True
            watch.extend(if_watch_paths(node["if"]))
            instance = strip_empty_strings(data) if data is not MISSING else {}
            verdict = quick_match(node["if"], instance)
            if verdict is None:
                verdict = self._matcher(node["if"], instance)
            branch = "then" if verdict else "else"
            if branch in node:
                sub = self.resolve(node[branch], child_pointer(pointer, branch), data, active)
                merged = merge_over(merged, sub.schema)
                refs |= sub.refs
                watch.extend(sub.watch)
        if any(key in merged for key in ("if", "then", "else")):
            merged = {k: v for k, v in merged.items() if k not in ("if", "then", "else")}

        dependencies = node.get("dependencies")
        if dependencies is not None:
            if not isinstance(dependencies, dict):
                raise SchemaError(f"dependencies at {pointer} must be an object", pointer=pointer)
            dynamic = True
            for name, dependency in dependencies.items():
                watch.append((name,))
                if not (isinstance(data, dict) and name in data and data[name] != ""):
                    continue
                dep_pointer = child_pointer(pointer, "dependencies", name)
                if isinstance(dependency, list):
                    required = list(merged.get("required") or [])
                    merged = {**merged, "required": required + [n for n in dependency if n not in required]}
                    continue
                for part, part_pointer in self._dependency_parts(name, dependency, dep_pointer, data[name]):
                    sub = self.resolve(part, part_pointer, data, active)
                    merged = merge_over(merged, sub.schema)
                    refs |= sub.refs
                    watch.extend(sub.watch)
        if "dependencies" in merged:
            merged = {k: v for k, v in merged.items() if k != "dependencies"}

        declared = merged.get("type")
        if isinstance(declared, list) and "null" in declared:
            nullable = True
            others = [t for t in declared if t != "null"]
            merged = {**merged, "type": others[0] if len(others) == 1 else (others or "null")}
        if merged.get("nullable") is True:
            nullable = True
        for keyword in ("anyOf", "oneOf"):
            branches = merged.get(keyword)
            if branches is None:
                continue
            if not isinstance(branches, list):
                raise SchemaError(f"{keyword} at {pointer} must be a list", pointer=pointer)
            keep: list[tuple[int, Any]] = []
            for index, branch in enumerate(branches):
                target, _, _ = self.deref(branch, child_pointer(pointer, keyword, index))
                if is_null_schema(target):
                    nullable = True
                else:
                    keep.append((index, branch))
            if len(keep) == 1:
                index, branch = keep[0]
                sub = self.resolve(branch, child_pointer(pointer, keyword, index), data, active)
                rest = {k: v for k, v in merged.items() if k != keyword}
                merged = merge_over(sub.schema, rest)
                refs |= sub.refs
                watch.extend(sub.watch)
                dynamic = dynamic or sub.dynamic
                nullable = nullable or sub.nullable
        return Resolved(merged, pointer, frozenset(refs), tuple(watch), nullable, dynamic)

    def _dependency_parts(self, name: str, dependency: Any, pointer: str, value: Any) -> list[tuple[Any, str]]:
        """A schema dependency, with a ``oneOf`` inside reduced to the branch that accepts ``value``.

        That is how the web UI's form library applies ``dependencies`` + ``oneOf``: the branch
        whose schema for the dependency's own property matches the current value is merged in.
        """
        node, node_pointer, _ = self.deref(dependency, pointer)
        branches = node.get("oneOf")
        if not isinstance(branches, list) or not branches:
            return [(dependency, pointer)]
        parts: list[tuple[Any, str]] = [({k: v for k, v in node.items() if k != "oneOf"}, node_pointer)]
        for index, branch in enumerate(branches):
            branch_pointer = child_pointer(node_pointer, "oneOf", index)
            target, _, _ = self.deref(branch, branch_pointer)
            properties = target.get("properties")
            own = properties.get(name) if isinstance(properties, dict) else None
            if own is not None and self._matcher(own, value):
                parts.append((branch, branch_pointer))
                break
        return parts
