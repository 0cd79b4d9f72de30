"""A run's data: its inputs as a title → value table, its variables as a JSON tree."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid
from textual.content import Content
from textual.widgets import Label, Tree
from textual.widgets.tree import TreeNode

from orch_tui.core.formatting import clean_text, single_line

log = logging.getLogger(__name__)

MAX_TREE_CHILDREN = 500


@dataclass(frozen=True)
class InputRow:
    depth: int
    title: str
    value: str
    """Empty for a heading (an object, a list item)."""


def input_rows(schema: Mapping[str, Any] | None, data: Mapping[str, Any] | None) -> list[InputRow]:
    """The run's inputs as the run form's review shows them, or a plain walk of the data.

    Inputs the schema does not describe (the later pages of a paged form, whose schema is only
    known while the form is filled in) follow as a plain walk, so that nothing entered is hidden.
    """
    reviewed = _review_rows(schema, data) if schema else None
    if reviewed is None:
        return plain_rows(data or {}, _titles(schema))
    properties = (schema or {}).get("properties")
    known = set(properties) if isinstance(properties, Mapping) else set()
    rest = {key: value for key, value in (data or {}).items() if key not in known}
    return reviewed + plain_rows(rest) if rest else reviewed


def _review_rows(schema: Mapping[str, Any], data: Mapping[str, Any] | None) -> list[InputRow] | None:
    try:
        from orch_tui.core.forms import FormModel
    except ImportError:  # the form model is optional here
        return None
    try:
        model = FormModel(schema, dict(data or {}), apply_defaults=False)
        return [InputRow(row.depth, str(row.title), _text(row.value)) for row in model.review()]
    except Exception:  # a schema the form cannot handle must not hide the inputs
        log.warning("could not build the input review; showing the raw data", exc_info=True)
        return None


def _titles(schema: Mapping[str, Any] | None) -> dict[str, str]:
    properties = (schema or {}).get("properties")
    if not isinstance(properties, Mapping):
        return {}
    return {
        key: str(spec["title"])
        for key, spec in properties.items()
        if isinstance(spec, Mapping) and isinstance(spec.get("title"), str)
    }


def plain_rows(data: Any, titles: Mapping[str, str] | None = None, depth: int = 0) -> list[InputRow]:
    rows: list[InputRow] = []
    if isinstance(data, Mapping):
        items: list[tuple[str, Any]] = [((titles or {}).get(str(k), str(k)), v) for k, v in data.items()]
    elif isinstance(data, list):
        items = [(f"[{index + 1}]", v) for index, v in enumerate(data)]
    else:
        return [InputRow(depth, "value", _text(data))]
    for title, value in items:
        nested = isinstance(value, list) and any(isinstance(item, (Mapping, list)) for item in value)
        if isinstance(value, Mapping) or nested:
            rows.append(InputRow(depth, title, "" if value else "—"))
            rows.extend(plain_rows(value, None, depth + 1))
        else:
            rows.append(InputRow(depth, title, _text(value)))
    return rows


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return ", ".join(_text(item) for item in value) or "—"
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False)
    return ""


class InputTable(Grid):
    """Title → value, nested rows indented; every string shown literally."""

    def __init__(self, rows: list[InputRow], *, id: str | None = None) -> None:
        super().__init__(id=id, classes="input-table")
        self.rows = rows

    def compose(self) -> ComposeResult:
        for row in self.rows:
            heading = not row.value
            yield Label(
                Content("  " * row.depth) + Content(single_line(row.title, 80)),
                classes="input-title -heading" if heading else "input-title",
            )
            yield Label(Content(clean_text(row.value)), classes="input-value")


# -- variables ---------------------------------------------------------------------------


def scalar_text(value: Any) -> Text:
    if isinstance(value, str):
        return Text(json.dumps(single_line(value, 500), ensure_ascii=False), style="green")
    if isinstance(value, bool) or value is None:
        return Text(json.dumps(value), style="italic")
    return Text(str(value), style="cyan")


def _key_label(key: str) -> Text:
    return Text(single_line(key, 120), style="bold")


def fill_tree(node: TreeNode[str], value: Any, *, depth: int = 0, path: str = "") -> None:
    """Add ``value``'s members under ``node``; labels are Text, never markup.  Each node's data is
    its dot path (``project.owners[0]``)."""
    if isinstance(value, Mapping):
        entries: list[tuple[str, Any]] = [(str(key), item) for key, item in value.items()]
    else:
        entries = [(f"[{index}]", item) for index, item in enumerate(value)]
    for key, item in entries[:MAX_TREE_CHILDREN]:
        where = f"{path}.{key}" if path and isinstance(value, Mapping) else f"{path}{key}"
        if isinstance(item, (Mapping, list)):
            size = f" {{{len(item)}}}" if isinstance(item, Mapping) else f" [{len(item)}]"
            label = _key_label(key) + Text(size, style="dim")
            child = node.add(label, data=where, expand=depth < 1)
            fill_tree(child, item, depth=depth + 1, path=where)
        else:
            node.add_leaf(_key_label(key) + Text(": ") + scalar_text(item), data=where)
    if len(entries) > MAX_TREE_CHILDREN:
        node.add_leaf(Text(f"… {len(entries) - MAX_TREE_CHILDREN} more", style="dim"))


class VariablesTree(Tree[str]):
    """``workflowdata`` without its ``result``, as a JSON tree."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Text("workflowdata"), id=id)
        self._shown: Any = object()

    def show(self, data: Mapping[str, Any] | None) -> None:
        variables = {key: value for key, value in (data or {}).items() if key != "result"}
        if variables == self._shown:
            return
        self._shown = variables
        self.clear()
        self.root.set_label(Text("workflowdata") + Text(f" {{{len(variables)}}}", style="dim"))
        fill_tree(self.root, variables)
        self.root.expand()
