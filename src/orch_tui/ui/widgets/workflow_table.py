"""The workflow list: a DataTable of ``Text`` cells, keyed by workflow id, updated by diff."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.binding import Binding

from orch_tui.core.formatting import ratio, relative_time, single_line
from orch_tui.core.status import (
    AVAILABLE,
    NEVER_RUN,
    STATUS_LOOKS,
    UNAVAILABLE,
    StatusLook,
    availability_look,
    status_look,
)
from orch_tui.ui.widgets.keyed_table import KeyCell, KeyedTable

if TYPE_CHECKING:
    from orch_tui.core.models import WorkflowOverview


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


def run_state(workflow: WorkflowOverview, read_only: bool, denied: str | None = None) -> tuple[bool, str]:
    """Whether the workflow can be run from here, and why not (``denied``: what the permissions say)."""
    if read_only:
        return False, "read-only context"
    if denied:
        return False, denied
    if not workflow.available:
        return False, workflow.unavailable_reason or "workflow is unavailable"
    return True, ""


def last_status_look(workflow: WorkflowOverview) -> StatusLook:
    """The last run's status, or "Never run" when it never ran."""
    if workflow.last_triggered is None:
        return NEVER_RUN
    return status_look(workflow.lastRunStatus)


class WorkflowTable(KeyedTable["WorkflowOverview"]):
    """Workflows, one row per ``workflowId``; never cleared to refresh."""

    KEY_COLUMN = NAME.key
    MUTED_CLASS = "workflow-table--muted"

    COMPONENT_CLASSES = {
        *(look.style_class for look in STATUS_LOOKS.values()),
        NEVER_RUN.style_class,
        AVAILABLE.style_class,
        UNAVAILABLE.style_class,
        "workflow-table--muted",
    }

    BINDINGS = [Binding("enter", "select_cursor", "Open", show=True, id="workflows.open")]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._layout: TableLayout | None = None
        self._longest_name = NAME.width

    # -- public ------------------------------------------------------------

    def show(self, workflows: Sequence[WorkflowOverview], now: datetime, *, longest_name: int) -> None:
        """Show exactly these workflows, in this order, changing only what differs."""
        self._now = now
        self._longest_name = max(NAME.width, longest_name)
        layout = self._plan()
        if layout is not None and layout != self._layout:
            self._layout = layout
            self._items = {wf.key: wf for wf in workflows}
            self._rebuild()
            return
        with self.app.batch_update():
            self._apply({wf.key: wf for wf in workflows})

    # -- layout ------------------------------------------------------------

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
        widths = {NAME.key: self._layout.name_width, DESCRIPTION.key: self._layout.description_width}
        self._set_columns((spec.label, widths.get(spec.key, spec.width), spec.key) for spec in self._layout.columns)

    # -- rows --------------------------------------------------------------

    def _render_cells(self, workflow: WorkflowOverview) -> dict[str, Text]:
        assert self._layout is not None and self._now is not None
        cells: dict[str, Text] = {}
        for spec in self._layout.columns:
            cells[spec.key] = self._cell(spec, workflow, self._now)
        return cells

    def _cell(self, spec: ColumnSpec, workflow: WorkflowOverview, now: datetime) -> Text:
        if spec is NAME:
            return KeyCell(single_line(workflow.display_name), workflow.key)
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
