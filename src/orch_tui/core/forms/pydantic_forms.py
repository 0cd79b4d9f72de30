"""pydantic-forms pages (orchestrator-core's forms) for the form model.

orchestrator-core sends each form page as the JSON Schema pydantic-forms emits for one pydantic
model.  That schema is plain draft 2020-12 JSON Schema plus a few conventions of its own, which
:func:`normalize_page` turns into what the form model already understands:

* display-only fields (``format``: ``label``, ``divider``, ``hidden``, ``markdown``, ``callout``,
  ``summary``) are recognised by their ``format`` *before* any ``$ref`` is followed (markdown,
  callout and summary carry a ``$ref`` to an empty object next to ``type: string``), and become
  nodes without a type or a value, marked with :data:`DISPLAY_KEY`: the builder makes them
  ``kind == "display"`` fields, never part of the payload, the review or ``describe()``;
* ``options`` (a value → label map next to ``enum``) becomes ``enumNames``;
* ``format: long`` becomes a textarea, ``format: accept`` (``ACCEPTED``/``INCOMPLETE``) a radio
  choice with its checklist in the description, ``format: timestamp`` a number with help text;
* ``uniforms.disabled`` / ``extraProperties.disabled`` make a field read-only;
* a ``$ref`` or ``anyOf`` property without a title gets pydantic's title for its name
  (``port_count`` → ``Port Count``) instead of the title of the shared definition;
* translations (``forms.fields.<name>`` and ``<name>_info``) replace titles and descriptions.

``$ref`` with sibling keys and ``anyOf [X, null]`` (nullable) are handled by the resolver for
every schema.  Server-side validation errors (``validation_errors[].loc``) map to fields with
:func:`server_errors`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from orch_tui.core.forms.data import deep_copy, number_text
from orch_tui.core.forms.fields import FieldError, Path

DIALECT = "pydantic-forms"
DISPLAY_KEY = "x-orch-tui-display"
DISPLAY_FORMATS = frozenset({"label", "divider", "hidden", "markdown", "callout", "summary"})
ACCEPT_LABELS = {"ACCEPTED": "Accepted", "INCOMPLETE": "Not yet accepted"}
TIMESTAMP_HELP = "Unix time in seconds (e.g. 1700000000 is 2023-11-14 22:13:20 UTC)"
ROOT_ERROR = "__root__"
TYPE_TITLES = {"string": "Text", "integer": "Whole number", "number": "Number", "boolean": "Yes/no"}

_SUBSCHEMA_MAPS = ("properties", "$defs", "definitions", "patternProperties", "dependentSchemas")
_SUBSCHEMA_VALUES = ("items", "additionalProperties", "not", "if", "then", "else", "contains")
_SUBSCHEMA_LISTS = ("anyOf", "oneOf", "allOf", "prefixItems")


def pydantic_title(name: str) -> str:
    """pydantic's default title for a field name: ``port_count`` → ``Port Count``."""
    return name.title().replace("_", " ")


def extras_of(node: Mapping[str, Any]) -> dict[str, Any]:
    """``uniforms`` (deprecated) and ``extraProperties`` together; the latter wins."""
    merged: dict[str, Any] = {}
    for key in ("uniforms", "extraProperties"):
        value = node.get(key)
        if isinstance(value, Mapping):
            merged.update(value)
    return merged


def normalize_page(
    schema: Mapping[str, Any],
    *,
    labels: Mapping[str, Any] | None = None,
    title: str | None = None,
) -> dict[str, Any]:
    """A copy of a pydantic-forms page schema in the form model's terms (see the module docstring).

    ``labels`` are the translations' ``forms.fields`` map (field name → label, and
    ``<name>_info`` → help text); ``title`` replaces the page title.
    """
    page = deep_copy(dict(schema))
    _walk(page)
    if labels:
        properties = page.get("properties")
        if isinstance(properties, dict):
            for name, node in properties.items():
                if not isinstance(node, dict):
                    continue
                label = labels.get(name)
                if isinstance(label, str) and label.strip():
                    node["title"] = label
                info = labels.get(f"{name}_info")
                if isinstance(info, str) and info.strip() and not node.get("description"):
                    node["description"] = info
    if title:
        page["title"] = title
    return page


def _walk(node: Any) -> None:
    if not isinstance(node, dict):
        return
    _decorate(node)
    for key in _SUBSCHEMA_MAPS:
        children = node.get(key)
        if not isinstance(children, dict):
            continue
        for name, child in list(children.items()):
            if key == "properties" and isinstance(child, dict):
                if child.get("format") in DISPLAY_FORMATS:
                    children[name] = display_node(name, child)
                    continue
                if "title" not in child and ("$ref" in child or "anyOf" in child or "oneOf" in child):
                    child["title"] = pydantic_title(name)
            _walk(child)
    for key in _SUBSCHEMA_VALUES:
        _walk(node.get(key))
    for key in _SUBSCHEMA_LISTS:
        branches = node.get(key)
        if isinstance(branches, list):
            for branch in branches:
                _walk(branch)


def _decorate(node: dict[str, Any]) -> None:
    branches = node.get("anyOf")
    if isinstance(branches, list):
        typed = [b for b in branches if isinstance(b, dict) and b.get("type") != "null"]
        if len(typed) > 1:
            for branch in typed:
                if "title" not in branch and isinstance(branch.get("type"), str):
                    branch["title"] = TYPE_TITLES.get(branch["type"], branch["type"])
    enum = node.get("enum")
    options = node.get("options")
    fmt = node.get("format")
    if isinstance(enum, list) and "enumNames" not in node:
        if isinstance(options, Mapping):
            node["enumNames"] = [str(options.get(_key(value), _text(value))) for value in enum]
        elif fmt == "accept":
            node["enumNames"] = [ACCEPT_LABELS.get(str(value), _text(value)) for value in enum]
    if fmt == "long" and "ui:widget" not in node:
        node["ui:widget"] = "textarea"
    if fmt in ("accept", "radio") and "ui:widget" not in node:
        node["ui:widget"] = "radio"
    if fmt == "accept":
        items = _checklist(node.get("data"))
        if items:
            text = "Check before accepting: " + "; ".join(items)
            description = node.get("description")
            node["description"] = f"{description}\n{text}" if isinstance(description, str) and description else text
    if fmt == "timestamp" and "ui:help" not in node:
        node["ui:help"] = TIMESTAMP_HELP
    if extras_of(node).get("disabled") is True:
        node["readOnly"] = True


def _key(value: Any) -> Any:
    return value if isinstance(value, str) else _text(value)


def _text(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number_text(value)
    return str(value)


def _checklist(data: Any) -> list[str]:
    """The items of an ``Accept`` checklist (``[[name, kind, options?], ...]``) as text."""
    items: list[str] = []
    if not isinstance(data, list):
        return items
    for entry in data:
        if isinstance(entry, list | tuple) and entry and isinstance(entry[0], str):
            kind = entry[1] if len(entry) > 1 and isinstance(entry[1], str) else ""
            if kind in ("label", "info", "margin"):
                continue
            items.append(pydantic_title(entry[0]) if "_" in entry[0] else entry[0])
    return items


def display_node(name: str, node: Mapping[str, Any]) -> dict[str, Any]:
    """The node of a display-only field: title, format and what it shows; no type, no value."""
    fmt = str(node.get("format"))
    default = node.get("default")
    extras = extras_of(node)
    content: Any = None
    text: str | None = None
    if fmt == "label":
        text = default if isinstance(default, str) and default.strip() else None
        content = text
    elif fmt == "hidden":
        content = default
    elif fmt == "markdown":
        content = default if isinstance(default, Mapping) else {"content": default}
        body = content.get("content")
        text = body if isinstance(body, str) else None
    elif fmt == "callout":
        content = dict(default) if isinstance(default, Mapping) else {"message": default}
        parts = [content.get("header"), content.get("message")]
        text = ": ".join(str(part) for part in parts if isinstance(part, str) and part) or None
    elif fmt == "summary":
        data = extras.get("data")
        content = dict(data) if isinstance(data, Mapping) else None
        text = summary_text(content) if content else None
    shown: dict[str, Any] = {
        "title": node.get("title") if isinstance(node.get("title"), str) else pydantic_title(name),
        "readOnly": True,
        "format": fmt,
        DISPLAY_KEY: {"format": fmt, "text": text, "content": deep_copy(content)},
    }
    if isinstance(node.get("description"), str):
        shown["description"] = node["description"]
    return shown


def summary_text(data: Mapping[str, Any]) -> str:
    """A migration summary (``headers``, ``labels``, ``columns``) as lines of text."""
    headers = [str(h) for h in data.get("headers") or []]
    labels = [str(label) for label in data.get("labels") or []]
    columns = [list(column) for column in data.get("columns") or [] if isinstance(column, list)]
    lines: list[str] = []
    if headers:
        lines.append(" | ".join(([""] if labels else []) + headers))
    rows = max([len(labels)] + [len(column) for column in columns])
    for row in range(rows):
        label = labels[row] if row < len(labels) else ""
        cells = [str(column[row]) if row < len(column) else "" for column in columns]
        lines.append(" | ".join(([label] if labels else []) + cells))
    return "\n".join(lines)


def server_errors(validation_errors: Iterable[Any], properties: Iterable[str] | None = None) -> list[FieldError]:
    """``validation_errors`` of a 400 ``FormValidationError`` as field errors of the page.

    ``loc`` is relative to the page; ``["__root__"]`` (a model validator) or a location naming
    no field of the page (``properties``, when given) is a page-level error at path ``()``, with
    the location kept in the message.  Messages are the server's own words.
    """
    known = set(properties) if properties is not None else None
    found: list[FieldError] = []
    for error in validation_errors:
        if not isinstance(error, Mapping):
            continue
        message = str(error.get("msg") or error.get("message") or error.get("type") or "Invalid value")
        loc = error.get("loc")
        path: Path = tuple(part for part in loc if isinstance(part, str | int)) if isinstance(loc, list) else ()
        if path and path[0] == ROOT_ERROR:
            path = ()
        elif path and known is not None and path[0] not in known:
            message = f"{'.'.join(str(p) for p in path)}: {message}"
            path = ()
        found.append(FieldError(path, message, ""))
    return found
