"""The workflow list: a DataTable of ``Text`` cells, keyed by workflow id, updated by diff."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from rich.console import JustifyMethod
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.widgets import DataTable

from orch_tui.core.formatting import ratio, relative_time, single_line
from orch_tui.core.models import WorkflowOverview
from orch_tui.core.status import (
    AVAILABLE,
    NEVER_RUN,
    STATUS_LOOKS,
    UNAVAILABLE,
    StatusLook,
    availability_look,
    status_look,
)


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    label: str
    width: int
    """Fixed width; for the name and description columns, the minimum."""


NAME = ColumnSpec("name", "Name", 16)
AVAILABILITY = ColumnSpec("availability", "Availability", 13)
LAST_RUN = ColumnSpec("last_run", "Last run", 8)
LAST_STATUS = ColumnSpec("last_status", "Last status", 11)
VERSION = ColumnSpec("version", "Version", 8)
RUNS = ColumnSpec("runs", "Runs/mo", 7)
SUCCESS = ColumnSpec("success", "Success", 7)
DESCRIPTION = ColumnSpec("description", "Description", 12)

DISPLAY_ORDER = (NAME, AVAILABILITY, LAST_RUN, LAST_STATUS, VERSION, RUNS, SUCCESS, DESCRIPTION)
"""Left to right, for whichever columns fit."""

CORE_COLUMNS = (LAST_STATUS, AVAILABILITY, LAST_RUN, SUCCESS)
"""Kept before the name gets its full width, most important first."""

EXTRA_COLUMNS = (RUNS, VERSION)
"""Shown only once the name fits."""

NAME_PREFERRED_MAX = 40
CELL_PADDING = 1


@dataclass(frozen=True)
class TableLayout:
    columns: tuple[ColumnSpec, ...]
    name_width: int
    description_width: int


def plan_layout(available: int, longest_name: int) -> TableLayout:
    """Choose which columns fit in ``available`` cells and how wide the flexible ones are."""
    gap = 2 * CELL_PADDING
    room = available - NAME.width - gap
    chosen = {NAME.key}

    def take(specs: tuple[ColumnSpec, ...]) -> None:
        nonlocal room
        for spec in specs:
            if spec.width + gap <= room:
                chosen.add(spec.key)
                room -= spec.width + gap

    take(CORE_COLUMNS)
    wanted = max(NAME.width, min(longest_name, NAME_PREFERRED_MAX))
    grow = max(0, min(room, wanted - NAME.width))
    name_width = NAME.width + grow
    room -= grow
    take(EXTRA_COLUMNS)
    description_width = 0
    if room >= DESCRIPTION.width + gap:
        description_width = room - gap
        chosen.add(DESCRIPTION.key)
    else:
        name_width += max(0, room)
    columns = tuple(spec for spec in DISPLAY_ORDER if spec.key in chosen)
    return TableLayout(columns, name_width, description_width)


class NameCell(Text):
    """The name cell; remembers its row so the table can be ordered by key."""

    def __init__(self, text: str, workflow_id: str) -> None:
        super().__init__(text, no_wrap=True, overflow="ellipsis", end="")
        self.workflow_id = workflow_id


def last_status_look(workflow: WorkflowOverview) -> StatusLook:
    """The last run's status, or "Never run" when it never ran."""
    if workflow.last_triggered is None:
        return NEVER_RUN
    return status_look(workflow.lastRunStatus)


def _same(a: Text, b: Text) -> bool:
    return a.plain == b.plain and a.style == b.style and a.spans == b.spans


class WorkflowTable(DataTable[Text]):
    """Workflows, one row per ``workflowId``; never cleared to refresh."""

    COMPONENT_CLASSES = {
        *(look.style_class for look in STATUS_LOOKS.values()),
        NEVER_RUN.style_class,
        AVAILABLE.style_class,
        UNAVAILABLE.style_class,
        "workflow-table--muted",
    }

    BINDINGS = [Binding("enter", "select_cursor", "Open", show=True)]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", cursor_foreground_priority="renderable")
        self._workflows: dict[str, WorkflowOverview] = {}
        self._cells: dict[str, dict[str, Text]] = {}
        self._now: datetime | None = None
        self._layout: TableLayout | None = None
        self._longest_name = NAME.width

    # -- public ------------------------------------------------------------

    @property
    def current_key(self) -> str | None:
        """The workflow id under the cursor."""
        if not self.row_count:
            return None
        row_key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return row_key.value

    @property
    def keys_in_order(self) -> list[str]:
        return [str(row.key.value) for row in self.ordered_rows]

    def show(self, workflows: Sequence[WorkflowOverview], now: datetime, *, longest_name: int) -> None:
        """Show exactly these workflows, in this order, changing only what differs."""
        self._now = now
        self._longest_name = max(NAME.width, longest_name)
        layout = self._plan()
        if layout is not None and layout != self._layout:
            self._layout = layout
            self._workflows = {wf.key: wf for wf in workflows}
            self._rebuild()
            return
        with self.app.batch_update():
            self._apply({wf.key: wf for wf in workflows})

    def move_to(self, key: str | None) -> None:
        if key is not None and key in self._cells:
            self.move_cursor(row=self.get_row_index(key), animate=False)

    # -- layout ------------------------------------------------------------

    def _available_width(self) -> int:
        width = self.scrollable_content_region.width
        return width if width > 0 else self.app.size.width - 3

    def _plan(self) -> TableLayout | None:
        if self._now is None:
            return None
        return plan_layout(self._available_width(), self._longest_name)

    def on_resize(self, event: events.Resize) -> None:
        layout = self._plan()
        if layout is not None and layout != self._layout:
            self._layout = layout
            self._rebuild()

    def _rebuild(self) -> None:
        """Recreate the columns for a new layout (a resize, not a refresh)."""
        assert self._layout is not None
        cursor = self.current_key
        with self.app.batch_update():
            self.clear(columns=True)
            self._cells.clear()
            for spec in self._layout.columns:
                width = spec.width
                if spec is NAME:
                    width = self._layout.name_width
                elif spec is DESCRIPTION:
                    width = self._layout.description_width
                self.add_column(Text(spec.label, no_wrap=True, overflow="ellipsis"), width=width, key=spec.key)
            workflows, self._workflows = self._workflows, {}
            self._apply(workflows)
            self.move_to(cursor)

    # -- rows --------------------------------------------------------------

    def _apply(self, workflows: dict[str, WorkflowOverview]) -> None:
        cursor = self.current_key
        for key in [key for key in self._cells if key not in workflows]:
            self.remove_row(key)
            del self._cells[key]
        for key, workflow in workflows.items():
            cells = self._render_cells(workflow)
            old = self._cells.get(key)
            if old is None:
                self.add_row(*cells.values(), key=key)
            else:
                for column, value in cells.items():
                    if not _same(old[column], value):
                        self.update_cell(key, column, value)
            self._cells[key] = cells
        self._workflows = workflows
        wanted = list(workflows)
        if self.keys_in_order != wanted:
            rank = {key: index for index, key in enumerate(wanted)}
            self.sort(NAME.key, key=lambda cell: rank[cell.workflow_id])
        self.move_to(cursor)

    def _render_cells(self, workflow: WorkflowOverview) -> dict[str, Text]:
        assert self._layout is not None and self._now is not None
        cells: dict[str, Text] = {}
        for spec in self._layout.columns:
            cells[spec.key] = self._cell(spec, workflow, self._now)
        return cells

    def _cell(self, spec: ColumnSpec, workflow: WorkflowOverview, now: datetime) -> Text:
        if spec is NAME:
            return NameCell(single_line(workflow.display_name), workflow.key)
        if spec is AVAILABILITY:
            return self._look(availability_look(workflow.available))
        if spec is LAST_RUN:
            return self._plain(relative_time(workflow.last_triggered, now, never="—"))
        if spec is LAST_STATUS:
            return self._look(last_status_look(workflow))
        if spec is VERSION:
            return self._plain(single_line(workflow.version, 40) or "—")
        stats = workflow.workflowRunStats
        if spec is RUNS:
            runs = stats.runsLastMonth if stats else None
            return self._plain("—" if runs is None else str(runs), right=True)
        if spec is SUCCESS:
            return self._plain(ratio(stats.successRatio if stats else None), right=True)
        if spec is DESCRIPTION:
            return self._plain(single_line(workflow.description), muted=True)
        raise ValueError(spec.key)

    def _look(self, look: StatusLook) -> Text:
        style = self.get_component_rich_style(look.style_class, partial=True)
        return Text(look.label(), style=style, no_wrap=True, overflow="ellipsis", end="")

    def _plain(self, text: str, *, right: bool = False, muted: bool = False) -> Text:
        style: Style | str = ""
        if muted:
            style = self.get_component_rich_style("workflow-table--muted", partial=True)
        justify: JustifyMethod | None = "right" if right else None
        return Text(text, style=style, no_wrap=True, overflow="ellipsis", end="", justify=justify)
