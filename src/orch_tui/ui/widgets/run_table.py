"""The runs list: a DataTable of ``Text`` cells, keyed by run id, updated by diff.

Columns that do not fit are dropped, least important first, instead of squeezing all of them:
at 80 columns the list keeps status, id, started, workflow, entity and run by.
"""

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

from orch_tui.core.formatting import duration, relative_time, single_line
from orch_tui.core.models import ProcessInstance, RunStatus
from orch_tui.core.status import STATUS_LOOKS, status_look
from orch_tui.ui.widgets.run_filters import compact_ref

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


class IdCell(Text):
    """The id cell; remembers its run so the table can be ordered by key."""

    def __init__(self, text: str, run_id: str) -> None:
        super().__init__(text, no_wrap=True, overflow="ellipsis", end="")
        self.run_id = run_id


def _same(a: Text, b: Text) -> bool:
    return a.plain == b.plain and a.style == b.style and a.spans == b.spans


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


class RunTable(DataTable[Text]):
    """Runs, one row per run id; refreshed in place, never cleared to refresh."""

    COMPONENT_CLASSES = {
        *(look.style_class for look in STATUS_LOOKS.values()),
        "run-table--muted",
    }

    BINDINGS = [Binding("enter", "select_cursor", "Open", show=True)]

    def __init__(self, *, scoped: bool = False, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", cursor_foreground_priority="renderable")
        self.scoped = scoped
        self.full_ids = False
        self._runs: dict[str, ProcessInstance] = {}
        self._cells: dict[str, dict[str, Text]] = {}
        self._now: datetime | None = None
        self._layout: RunLayout | None = None

    # -- public ------------------------------------------------------------

    @property
    def current_key(self) -> str | None:
        """The run id under the cursor."""
        if not self.row_count:
            return None
        row_key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return row_key.value

    @property
    def keys_in_order(self) -> list[str]:
        return [str(row.key.value) for row in self.ordered_rows]

    @property
    def column_keys(self) -> list[str]:
        return [str(key.value) for key in self.columns]

    def show(self, runs: Sequence[ProcessInstance], now: datetime) -> None:
        """Show exactly these runs, in this order, changing only what differs."""
        self._now = now
        layout = self._plan()
        if layout != self._layout:
            self._layout = layout
            self._runs = {run.key: run for run in runs}
            self._rebuild()
            return
        with self.app.batch_update():
            self._apply({run.key: run for run in runs})

    def set_full_ids(self, full: bool) -> None:
        self.full_ids = full
        if self._now is not None:
            self.show(list(self._runs.values()), self._now)

    def move_to(self, key: str | None) -> None:
        if key is not None and key in self._cells:
            self.move_cursor(row=self.get_row_index(key), animate=False)

    # -- layout ------------------------------------------------------------

    def _available_width(self) -> int:
        width = self.scrollable_content_region.width
        return width if width > 0 else self.app.size.width - 3

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
        cursor = self.current_key
        with self.app.batch_update():
            self.clear(columns=True)
            self._cells.clear()
            for column, width in zip(self._layout.columns, self._layout.widths, strict=True):
                self.add_column(Text(column.label, no_wrap=True, overflow="ellipsis"), width=width, key=column.key)
            runs, self._runs = self._runs, {}
            self._apply(runs)
            self.move_to(cursor)

    # -- rows --------------------------------------------------------------

    def _apply(self, runs: dict[str, ProcessInstance]) -> None:
        cursor = self.current_key
        for key in [key for key in self._cells if key not in runs]:
            self.remove_row(key)
            del self._cells[key]
        for key, run in runs.items():
            cells = self._render_cells(run)
            old = self._cells.get(key)
            if old is None:
                self.add_row(*cells.values(), key=key)
            else:
                for column, value in cells.items():
                    if not _same(old[column], value):
                        self.update_cell(key, column, value)
            self._cells[key] = cells
        self._runs = runs
        wanted = list(runs)
        if self.keys_in_order != wanted:
            rank = {key: index for index, key in enumerate(wanted)}
            self.sort(ID.key, key=lambda cell: rank[cell.run_id])
        self.move_to(cursor)

    def _render_cells(self, run: ProcessInstance) -> dict[str, Text]:
        assert self._layout is not None and self._now is not None
        return {column.key: self._cell(column, run, self._now) for column in self._layout.columns}

    def _cell(self, column: RunColumn, run: ProcessInstance, now: datetime) -> Text:
        if column is ID:
            return IdCell(run.id if self.full_ids else short_id(run.id), run.key)
        if column is WORKFLOW:
            return self._plain(single_line(run.workflow_label) or "—")
        if column is VERSION:
            return self._plain(single_line(run.version, 40) or "—", muted=True)
        if column is ENTITY:
            entity = single_line(compact_ref(run.targetEntity, drop_kind="component"))
            return self._plain(entity or "—", muted=not entity)
        if column is STATUS:
            look = status_look(run.status)
            style = self.get_component_rich_style(look.style_class, partial=True)
            return Text(look.label(), style=style, no_wrap=True, overflow="ellipsis", end="")
        if column is STARTED:
            return self._plain(relative_time(run.start, now, never="—"))
        if column is DURATION:
            return self._plain(run_duration(run, now), right=True)
        if column is RUN_BY:
            return self._plain(single_line(compact_ref(run.initiatorEntity, drop_kind="user")) or "—")
        raise ValueError(column.key)

    def _plain(self, text: str, *, right: bool = False, muted: bool = False) -> Text:
        style: Style | str = ""
        if muted:
            style = self.get_component_rich_style("run-table--muted", partial=True)
        justify: JustifyMethod | None = "right" if right else None
        return Text(text, style=style, no_wrap=True, overflow="ellipsis", end="", justify=justify)
