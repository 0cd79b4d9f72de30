"""``oneOf`` / ``anyOf``: branches, their labels, and which one matches the data."""

from __future__ import annotations

from typing import Any

from orch_tui.core.formatting import clean_text
from orch_tui.core.forms.data import strip_empty_strings, value_text
from orch_tui.core.forms.fields import MISSING, Option
from orch_tui.core.forms.schema import Resolved, SchemaResolver, child_pointer, is_null_schema, mapping_of
from orch_tui.core.forms.validation import SchemaTools

#: ``(index in the schema's list, resolved branch, raw branch)``
Branch = tuple[int, Resolved, Any]


def choice_keyword(schema: dict[str, Any]) -> str | None:
    for keyword in ("oneOf", "anyOf"):
        branches = schema.get(keyword)
        if isinstance(branches, list) and branches:
            return keyword
    return None


def const_options(resolver: SchemaResolver, schema: dict[str, Any], pointer: str, keyword: str) -> list[Option] | None:
    """Options when every branch is ``{const, title?}`` (an enum with labels), else None.

    A ``null`` const is left out (the field is nullable instead).
    """
    options: list[Option] = []
    for index, branch in enumerate(schema[keyword]):
        target, _, _ = resolver.deref(branch, child_pointer(pointer, keyword, index))
        if "const" not in target:
            return None
        value = target["const"]
        if value is None:
            continue
        title = target.get("title")
        options.append(Option(value, clean_text(str(title)) if title else clean_text(value_text(value))))
    return options


def branches_of(
    resolver: SchemaResolver, schema: dict[str, Any], pointer: str, keyword: str, value: Any
) -> tuple[list[Branch], bool]:
    """The non-null branches of a choice, resolved for ``value``; and whether null was one."""
    entries: list[Branch] = []
    nullable = False
    for index, raw in enumerate(schema[keyword]):
        resolved = resolver.resolve(raw, child_pointer(pointer, keyword, index), value)
        if is_null_schema(resolved.schema):
            nullable = True
            continue
        entries.append((index, resolved, raw))
    return entries, nullable


def _const_of(schema: Any) -> Any:
    if not isinstance(schema, dict):
        return MISSING
    if "const" in schema:
        return schema["const"]
    enum = schema.get("enum")
    if isinstance(enum, list) and len(enum) == 1:
        return enum[0]
    return MISSING


def discriminators(entries: list[Branch]) -> list[str]:
    """Properties that carry a constant in at least one object branch."""
    names: list[str] = []
    for _, resolved, _ in entries:
        properties = resolved.schema.get("properties")
        if not isinstance(properties, dict):
            continue
        for name, sub in properties.items():
            if _const_of(sub) is not MISSING and name not in names:
                names.append(name)
    return names


def branch_labels(entries: list[Branch]) -> list[str]:
    """Branch title, else the constant of a discriminating property, else "Option N"."""
    shared = [
        name
        for name in discriminators(entries)
        if all(_const_of((r.schema.get("properties") or {}).get(name)) is not MISSING for _, r, _ in entries)
    ]
    labels: list[str] = []
    for position, (_, resolved, _) in enumerate(entries):
        schema = resolved.schema
        title = schema.get("title")
        if isinstance(title, str) and title:
            labels.append(title)
            continue
        properties = mapping_of(schema, "properties")
        candidates = shared + [name for name in properties if name not in shared]
        label = None
        for name in candidates:
            constant = _const_of(properties.get(name))
            if constant is not MISSING and constant is not None:
                label = value_text(constant)
                break
        if label is None and "const" in schema:
            label = value_text(schema["const"])
        labels.append(label or f"Option {position + 1}")
    return labels


def auto_select(tools: SchemaTools, entries: list[Branch], value: Any) -> int:
    """The branch the data belongs to.

    The first branch the (non-empty) data validates against; else the branch with the most
    properties whose values its schema accepts; else the first branch.
    """
    if len(entries) <= 1 or value is MISSING or value is None or value == {} or value == "":
        return 0
    instance = strip_empty_strings(value)
    for position, (_, _, raw) in enumerate(entries):
        if tools.is_valid(raw, instance):
            return position
    if isinstance(instance, dict):
        scores = []
        for _, resolved, _ in entries:
            properties = resolved.schema.get("properties")
            if not isinstance(properties, dict):
                scores.append(0)
                continue
            scores.append(
                sum(
                    1
                    for name, item in instance.items()
                    if name in properties and tools.is_valid(properties[name], item)
                )
            )
        best = max(scores)
        if best > 0:
            return scores.index(best)
    return 0
