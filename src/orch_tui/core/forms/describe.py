"""Read-only views of a form: the review table and a JSON description of its inputs."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from orch_tui.core.formatting import clean_text
from orch_tui.core.forms.data import format_path, json_equal, number_text
from orch_tui.core.forms.fields import MISSING, Field, Path, ReviewRow

if TYPE_CHECKING:
    from orch_tui.core.forms.model import FormModel

EMPTY = "—"
MASK = "******"


def _row(depth: int, title: str, value: str, path: Path) -> ReviewRow:
    """A review row with its text cleaned of terminal control characters."""
    return ReviewRow(depth, clean_text(title), clean_text(value), path)


def display_value(field: Field, value: Any) -> str:
    """A value as the review shows it."""
    if value is MISSING or value is None or (isinstance(value, str) and value == ""):
        return EMPTY
    if field.widget == "password":
        return MASK
    for option in field.options:
        if json_equal(option.value, value):
            return option.label
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float):
        return number_text(value)
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _is_scalar_choice(field: Field) -> bool:
    return field.kind == "choice" and len(field.children) == 1 and field.children[0].path == field.path


def _content(field: Field) -> list[Field]:
    """The fields shown inside a step (or the whole single-step form)."""
    if field.kind in ("object", "choice") and not _is_scalar_choice(field):
        return field.children
    return [field]


def review_rows(model: FormModel) -> list[ReviewRow]:
    """Nested rows: objects and list items are headings (value ``""``) over their contents.

    Hidden and virtual fields are left out, passwords masked, booleans shown as Yes/No,
    enum values by their labels and missing values as "—".  A oneOf/anyOf heading shows the
    chosen option as its value.
    """
    rows: list[ReviewRow] = []
    if model.multi_step:
        for step in model.visible_steps():
            rows.append(_row(0, step.title, "", step.field.path))
            for child in _content(step.field):
                _rows(model, child, 1, rows)
    else:
        for child in _content(model.root):
            _rows(model, child, 0, rows)
    return rows


def _rows(model: FormModel, field: Field, depth: int, rows: list[ReviewRow]) -> None:
    if field.hidden or field.virtual or field.kind == "display":
        return
    value = model.get(field.path)
    if _is_scalar_choice(field):
        rows.append(_row(depth, field.title, display_value(field.children[0], value), field.path))
        return
    if field.collapsed:
        rows.append(_row(depth, field.title, display_value(field, value), field.path))
        return
    if field.kind == "choice":
        selected = field.selected_branch if field.selected_branch is not None else 0
        label = field.options[selected].label if selected < len(field.options) else ""
        rows.append(_row(depth, field.title, label, field.path))
        for child in field.children:
            _rows(model, child, depth + 1, rows)
        return
    if field.kind == "object":
        rows.append(_row(depth, field.title, "", field.path))
        for child in field.children:
            _rows(model, child, depth + 1, rows)
        return
    if field.kind == "key_value":
        rows.append(_row(depth, field.title, "" if field.items else EMPTY, field.path))
        for entry in field.items:
            _rows(model, entry, depth + 1, rows)
        return
    if field.kind == "array" and not field.is_leaf:
        rows.append(_row(depth, field.title, "" if field.items else EMPTY, field.path))
        for position, entry in enumerate(field.items):
            rows.append(_row(depth + 1, f"Item {position + 1}", "", entry.path))
            if entry.kind in ("object", "choice") and not _is_scalar_choice(entry) and not entry.collapsed:
                for child in entry.children:
                    _rows(model, child, depth + 2, rows)
            else:
                _rows(model, entry, depth + 2, rows)
        return
    if field.kind == "array":
        entries = value if isinstance(value, list) else []
        texts = [display_value(entry, get) for entry, get in zip(field.items, entries, strict=False)]
        rows.append(_row(depth, field.title, ", ".join(texts) if texts else EMPTY, field.path))
        return
    if field.kind == "multi_enum":
        entries = value if isinstance(value, list) else []
        texts = [display_value(field, entry) for entry in entries]
        rows.append(_row(depth, field.title, ", ".join(texts) if texts else EMPTY, field.path))
        return
    rows.append(_row(depth, field.title, display_value(field, value), field.path))


def describe_model(model: FormModel) -> dict[str, Any]:
    """``{"multi_step", "steps": [{"key", "title", "fields": [...]}]}``.

    Fields are the input leaves in display order (groups are looked into, not listed);
    a list of objects contributes the leaves of its current entries, or itself when empty.
    Virtual (AuthRequester) and display-only (pydantic-forms label, markdown, ...) fields are
    left out.
    """
    steps: list[dict[str, Any]] = []
    for step in model.steps():
        fields: list[dict[str, Any]] = []
        for field in _content(step.field):
            _leaves(field, fields)
        steps.append({"key": step.key, "title": step.title, "fields": fields})
    return {"multi_step": model.multi_step, "steps": steps}


def _leaves(field: Field, out: list[dict[str, Any]]) -> None:
    if field.virtual or field.kind == "display":
        return
    if field.collapsed and field.kind == "object":
        return
    if field.kind in ("object", "choice") and not field.collapsed:
        for child in field.children:
            _leaves(child, out)
        return
    if field.kind == "array" and not field.is_leaf and field.items:
        for entry in field.items:
            _leaves(entry, out)
        return
    out.append(
        {
            "path": format_path(field.path),
            "title": field.title,
            "type": field.kind,
            "widget": field.widget,
            "required": field.required,
            "default": None if field.default is MISSING else field.default,
        }
    )
