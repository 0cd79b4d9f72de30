"""The runs list: a DataTable of ``Text`` cells, keyed by run id, updated by diff.

Columns that do not fit are dropped, least important first, instead of squeezing all of them:
at 80 columns the list keeps status, id, started, workflow, entity and run by.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual import events
from textual.binding import Binding

from orch_tui.core.entity import compact_ref
from orch_tui.core.formatting import duration, relative_time, single_line
from orch_tui.core.models import ProcessInstance, RunStatus
from orch_tui.core.status import STATUS_LOOKS, status_look
from orch_tui.ui.widgets.keyed_table import KeyCell, KeyedTable

SHORT_ID = 8


@dataclass(frozen=True)
class RunColumn:
    key: str
    label: str
    width: int
    """Fixed width; for flexible columns, the minimum."""
    flexible: bool = False
    preferred: int = 0
    """Flexible columns: the width they grow to before the rest of the room is shared out."""


ID = RunColumn("id", "ID", SHORT_ID)
WORKFLOW = RunColumn("workflow", "Workflow", 14, flexible=True, preferred=26)
VERSION = RunColumn("version", "Version", 7)
ENTITY = RunColumn("entity", "Entity", 14, flexible=True, preferred=30)
STATUS = RunColumn("status", "Status", 11)
STARTED = RunColumn("started", "Started", 8)
DURATION = RunColumn("duration", "Duration", 8)
RUN_BY = RunColumn("run_by", "Run by", 10, flexible=True, preferred=16)

DISPLAY_ORDER = (ID, WORKFLOW, VERSION, ENTITY, STATUS, STARTED, DURATION, RUN_BY)
"""Left to right, for whichever columns fit."""

PRIORITY = (STATUS, ID, STARTED, WORKFLOW, ENTITY, RUN_BY, DURATION, VERSION)
"""Taken in this order while they fit."""

CELL_PADDING = 1
FULL_ID = 36


@dataclass(frozen=True)
class RunLayout:
    columns: tuple[RunColumn, ...]
    widths: tuple[int, ...]

    def width_of(self, column: RunColumn) -> int:
        return self.widths[self.columns.index(column)]


def plan_layout(available: int, *, scoped: bool = False, full_ids: bool = False) -> RunLayout:
    """Choose the columns that fit in ``available`` cells and share what is left among the flexible ones.

    ``scoped``: the list shows one workflow's runs, so the workflow column is left out.  The
    layout depends on the width only, never on the data, so a refresh never rebuilds the table.
    """
    gap = 2 * CELL_PADDING
    wanted = [column for column in PRIORITY if not (scoped and column is WORKFLOW)]
    widths: dict[str, int] = {}
    room = available
    for column in wanted:
        width = FULL_ID if column is ID and full_ids else column.width
        if width + gap <= room or not widths:
            widths[column.key] = width
            room -= width + gap
    flexible = [column for column in PRIORITY if column.flexible and column.key in widths]
    # Grow flexible columns in turn to their preferred width, then spread the rest.
    for column in flexible:
        grow = max(0, min(room, column.preferred - widths[column.key]))
        widths[column.key] += grow
        room -= grow
    if flexible and room > 0:
        share, extra = divmod(room, len(flexible))
        for index, column in enumerate(flexible):
            widths[column.key] += share + (1 if index < extra else 0)
    columns = tuple(column for column in DISPLAY_ORDER if column.key in widths)
    return RunLayout(columns, tuple(widths[column.key] for column in columns))


def short_id(run_id: str) -> str:
    return run_id[:SHORT_ID]


def run_duration(run: ProcessInstance, now: datetime) -> str:
    """Start to end; for a run still going (or waiting), so far; "—" for one that stopped without an end."""
    if run.end is None and run.status in (RunStatus.ERROR, RunStatus.ABORTED, RunStatus.COMPLETED):
        return "—"
    return duration(run.elapsed_seconds(now))


def matches(run: ProcessInstance, needle: str) -> bool:
    """Case-insensitive substring match over what the list shows (and the full references)."""
    if not needle:
        return True
    folded = needle.casefold()
    look = status_look(run.status)
    fields = (
        run.id,
        run.processName,
        run.processId,
        run.version,
        run.targetEntity,
        run.initiatorEntity,
        look.word,
        run.status.value,
        run.start.isoformat() if run.start else None,
    )
    return any(folded in (value or "").casefold() for value in fields)


class RunTable(KeyedTable[ProcessInstance]):
    """Runs, one row per run id; refreshed in place, never cleared to refresh."""

    KEY_COLUMN = ID.key
    MUTED_CLASS = "run-table--muted"

    COMPONENT_CLASSES = {
        *(look.style_class for look in STATUS_LOOKS.values()),
        "run-table--muted",
    }

    BINDINGS = [Binding("enter", "select_cursor", "Open", show=True, id="runs.open")]

    def __init__(self, *, scoped: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.scoped = scoped
        self.full_ids = False
        self._layout: RunLayout | None = None

    # -- public ------------------------------------------------------------

    @property
    def column_keys(self) -> list[str]:
        return [str(key.value) for key in self.columns]

    def show(self, runs: Sequence[ProcessInstance], now: datetime) -> None:
        """Show exactly these runs, in this order, changing only what differs."""
        self._now = now
        layout = self._plan()
        if layout != self._layout:
            self._layout = layout
            self._items = {run.key: run for run in runs}
            self._rebuild()
            return
        with self.app.batch_update():
            self._apply({run.key: run for run in runs})

    def set_full_ids(self, full: bool) -> None:
        self.full_ids = full
        if self._now is not None:
            self.show(list(self._items.values()), self._now)

    # -- layout ------------------------------------------------------------

    def _plan(self) -> RunLayout:
        return plan_layout(self._available_width(), scoped=self.scoped, full_ids=self.full_ids)

    def on_resize(self, event: events.Resize) -> None:
        if self._now is None:
            return
        layout = self._plan()
        if layout != self._layout:
            self._layout = layout
            self._rebuild()

    def _rebuild(self) -> None:
        """Recreate the columns for a new layout (a resize, not a refresh)."""
        assert self._layout is not None
        self._set_columns(
            (column.label, width, column.key)
            for column, width in zip(self._layout.columns, self._layout.widths, strict=True)
        )

    # -- rows --------------------------------------------------------------

    def _render_cells(self, run: ProcessInstance) -> dict[str, Text]:
        assert self._layout is not None and self._now is not None
        return {column.key: self._cell(column, run, self._now) for column in self._layout.columns}

    def _cell(self, column: RunColumn, run: ProcessInstance, now: datetime) -> Text:
        if column is ID:
            return KeyCell(run.id if self.full_ids else short_id(run.id), run.key)
        if column is WORKFLOW:
            return self._plain(single_line(run.workflow_label) or "—")
        if column is VERSION:
            return self._plain(single_line(run.version, 40) or "—", muted=True)
        if column is ENTITY:
            entity = single_line(compact_ref(run.targetEntity, drop_kind="component"))
            return self._plain(entity or "—", muted=not entity)
        if column is STATUS:
            return self._look(status_look(run.status))
        if column is STARTED:
            return self._plain(relative_time(run.start, now, never="—"))
        if column is DURATION:
            return self._plain(run_duration(run, now), right=True)
        if column is RUN_BY:
            return self._plain(single_line(compact_ref(run.initiatorEntity, drop_kind="user")) or "—")
        raise ValueError(column.key)
