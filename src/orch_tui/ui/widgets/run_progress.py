"""A run's progress: its node timeline, keyed by node instance, updated in place."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from rich.text import Text
from textual import events
from textual.widgets import DataTable

from orch_tui.core.formatting import clean_text, clip_text, duration, single_line
from orch_tui.core.models import NodeInstance, ProcessInstance
from orch_tui.core.progress import (
    NODE_DONE as DONE,
    NODE_FAILED as FAILED,
    NODE_RUNNING as RUNNING,
    NODE_STOPPED as STOPPED,
    failed_node,
    node_state,
    visible_nodes,
)

TYPE_WIDTH = 14
TIME_WIDTH = 8
NAME_MIN = 20
NAME_MAX = 60


def clock_time(moment: datetime | None) -> str:
    return "—" if moment is None else f"{moment:%H:%M:%S}"


class NodeTable(DataTable[Text]):
    """Node, type, entered, exited, duration; the failed node marked with ✖."""

    COMPONENT_CLASSES = {state.style_class for state in (DONE, RUNNING, FAILED, STOPPED)}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", cursor_foreground_priority="renderable", zebra_stripes=False)
        self._cells: dict[str, list[Text]] = {}
        self._name_width = 0
        self._rows: list[tuple[str, list[Text]]] = []

    def _name_width_for(self) -> int:
        width = self.scrollable_content_region.width or self.app.size.width - 3
        fixed = TYPE_WIDTH + 3 * TIME_WIDTH + 5 * 2
        return max(NAME_MIN, min(NAME_MAX, width - fixed))

    def show(self, run: ProcessInstance, now: datetime) -> None:
        error_node = failed_node(run)
        rows: list[tuple[str, list[Text]]] = []
        for node in visible_nodes(run):
            rows.append((node.id, self._cells_for(node, run, error_node, now)))
        self._rows = rows
        width = self._name_width_for()
        if width != self._name_width:
            self._name_width = width
            self._rebuild()
            return
        if [key for key, _ in rows if key in self._cells] != [key for key in self._cells if key in dict(rows)]:
            self._rebuild()  # the backend reordered its nodes: rare, and the table is short
            return
        with self.app.batch_update():
            self._apply(rows)

    def on_resize(self, event: events.Resize) -> None:
        width = self._name_width_for()
        if self._rows and width != self._name_width:
            self._name_width = width
            self._rebuild()

    def _rebuild(self) -> None:
        with self.app.batch_update():
            self.clear(columns=True)
            self._cells.clear()
            for key, label, width in (
                ("node", "Node", self._name_width),
                ("type", "Type", TYPE_WIDTH),
                ("entered", "Entered", TIME_WIDTH),
                ("exited", "Exited", TIME_WIDTH),
                ("duration", "Duration", TIME_WIDTH),
            ):
                self.add_column(Text(label, no_wrap=True), width=width, key=key)
            self._apply(self._rows)

    def _apply(self, rows: list[tuple[str, list[Text]]]) -> None:
        wanted = {key for key, _ in rows}
        for key in [key for key in self._cells if key not in wanted]:
            self.remove_row(key)
            del self._cells[key]
        columns = ("node", "type", "entered", "exited", "duration")
        for key, cells in rows:
            old = self._cells.get(key)
            if old is None:
                self.add_row(*cells, key=key)
            else:
                for column, before, after in zip(columns, old, cells, strict=True):
                    if before.plain != after.plain or before.style != after.style:
                        self.update_cell(key, column, after)
            self._cells[key] = cells

    def _cells_for(
        self, node: NodeInstance, run: ProcessInstance, error_node: NodeInstance | None, now: datetime
    ) -> list[Text]:
        state = node_state(node, run, error_node)
        style = self.get_component_rich_style(state.style_class, partial=True)
        name = Text(f"{state.glyph} ", style=style, no_wrap=True, overflow="ellipsis", end="")
        name.append(single_line(node.name or node.definitionId or node.id))
        if state is FAILED:
            name.stylize(style)
        if node.attempts > 1:
            name.append(f" · {node.attempts} attempts", style="dim")
        end = node.exit
        if end is None and state is RUNNING:
            end = now
        elapsed = None if node.enter is None or end is None else max(0.0, (end - node.enter).total_seconds())

        def cell(text: str, *, right: bool = False) -> Text:
            return Text(text, no_wrap=True, overflow="ellipsis", end="", justify="right" if right else None)

        return [
            name,
            cell(single_line(node.type, 40) or "—"),
            cell(clock_time(node.enter)),
            cell(clock_time(node.exit)),
            cell(duration(elapsed), right=True),
        ]


def node_detail(node: NodeInstance, run: ProcessInstance) -> Text | None:
    """What a step recorded (its error, attempts, state or delta) as plain text; None when the
    backend keeps nothing beyond the row."""
    if node.detail is None:
        return None
    error_node = failed_node(run)
    state = node_state(node, run, error_node)
    text = Text(f"{state.glyph} {state.word} · ", no_wrap=False)
    text.append(single_line(node.name or node.definitionId or node.id), style="bold")
    if node.attempts > 1:
        text.append(f" · {node.attempts} attempts")
    if node.errorMessage:
        text.append("\n" + clip_text(node.errorMessage)[0])
    text.append("\n" + _json(node.detail))
    return text


def _json(value: Any) -> str:
    try:
        return clean_text(json.dumps(value, indent=2, ensure_ascii=False, default=str))
    except (TypeError, ValueError):
        return clean_text(str(value))
