"""Reading and writing form data by path, and JSON-aware value helpers."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable
from typing import Any, TypeGuard

from orch_tui.core.forms.fields import MISSING, Path


def get_in(data: Any, path: Iterable[Any]) -> Any:
    """The value at ``path`` (keys and list indices), or MISSING."""
    node = data
    for key in path:
        if isinstance(node, dict):
            if key not in node:
                return MISSING
            node = node[key]
        elif isinstance(node, list) and isinstance(key, int) and not isinstance(key, bool):
            if not -len(node) <= key < len(node):
                return MISSING
            node = node[key]
        else:
            return MISSING
    return node


def _fits(container: Any, key: Any) -> bool:
    return isinstance(container, list) if _is_index(key) else isinstance(container, dict)


def set_in(data: Any, path: Path, value: Any) -> None:
    """Store ``value`` at ``path`` inside ``data``, creating missing containers on the way.

    A list index may address an existing entry or the position just past the end (append).
    An intermediate value of the wrong shape (a string where the path needs an object, an
    object where it needs a list) is replaced.
    """
    if not path:
        raise ValueError("cannot set the root through set_in")
    node = data
    for depth, key in enumerate(path[:-1]):
        following = path[depth + 1]
        empty: dict[str, Any] | list[Any] = [] if _is_index(following) else {}
        if isinstance(node, dict):
            child = node.get(key, MISSING)
            if not _fits(child, following):
                child = empty
                node[key] = child
            node = child
        elif isinstance(node, list) and _is_index(key):
            if key == len(node):
                node.append(empty)
            elif not 0 <= key < len(node):
                raise IndexError(f"list index {key} out of range at {format_path(path[:depth])}")
            elif not _fits(node[key], following):
                node[key] = empty
            node = node[key]
        else:
            raise TypeError(f"cannot descend into {type(node).__name__} at {format_path(path[:depth])}")
    last = path[-1]
    if isinstance(node, dict):
        node[last] = value
    elif isinstance(node, list) and _is_index(last):
        if last == len(node):
            node.append(value)
        elif 0 <= last < len(node):
            node[last] = value
        else:
            raise IndexError(f"list index {last} out of range at {format_path(path[:-1])}")
    else:
        raise TypeError(f"cannot set {format_path(path)}: parent is {type(node).__name__}")


def delete_in(data: Any, path: Path) -> bool:
    """Remove the value at ``path``; True when something was removed."""
    if not path:
        return False
    parent = get_in(data, path[:-1])
    last = path[-1]
    if isinstance(parent, dict) and last in parent:
        del parent[last]
        return True
    if isinstance(parent, list) and _is_index(last) and 0 <= last < len(parent):
        del parent[last]
        return True
    return False


def _is_index(key: Any) -> TypeGuard[int]:
    return isinstance(key, int) and not isinstance(key, bool)


def format_path(path: Iterable[Any]) -> str:
    """``("a", 0, "b")`` → ``"a.0.b"``."""
    return ".".join(str(part) for part in path)


def split_dot_path(text: str) -> Path:
    """``"a.0.b"`` → ``("a", 0, "b")`` (all-digit segments become list indices)."""
    return tuple(int(part) if part.isdigit() else part for part in text.split(".") if part != "")


def json_equal(left: Any, right: Any) -> bool:
    """Equality as JSON sees it: ``True`` is not ``1``, ``1`` is ``1.0``."""
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if isinstance(left, int | float) and isinstance(right, int | float):
        return left == right
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(json_equal(left[k], right[k]) for k in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(json_equal(a, b) for a, b in zip(left, right, strict=True))
    return type(left) is type(right) and left == right


def is_empty(value: Any) -> bool:
    """Missing, null, an empty string, an empty list or an empty object."""
    if value is MISSING or value is None:
        return True
    if isinstance(value, str | list | dict):
        return len(value) == 0
    return False


def strip_empty_strings(value: Any) -> Any:
    """A copy of ``value`` without empty-string object members (the web UI drops them)."""
    if isinstance(value, dict):
        return {k: strip_empty_strings(v) for k, v in value.items() if not (isinstance(v, str) and v == "")}
    if isinstance(value, list):
        return [strip_empty_strings(v) for v in value]
    return value


def deep_copy(value: Any) -> Any:
    """A deep copy of JSON-like data (containers copied, scalars shared)."""
    if isinstance(value, dict):
        return {k: deep_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [deep_copy(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None or value is MISSING:
        return value
    return copy.deepcopy(value)


def number_text(value: Any) -> str:
    """A number as people write it: ``10``, ``0.5``, ``12`` (not ``12.0``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return str(value)


def value_text(value: Any) -> str:
    """A JSON value as short text (strings unquoted)."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number_text(value)
    if value is None:
        return "null"
    return json.dumps(value, ensure_ascii=False, sort_keys=False)
