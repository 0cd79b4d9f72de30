"""A DataTable of ``Text`` cells keyed by item, refreshed by diff and never cleared to refresh."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Generic, Self, TypeVar

from rich.console import JustifyMethod
from rich.style import Style
from rich.text import Text
from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.widgets import DataTable

from orch_tui.core.status import StatusLook

Item = TypeVar("Item")


class KeyCell(Text):
    """The cell of the key column; remembers its row so the table can be ordered by key."""

    def __init__(self, text: str, row_key: str) -> None:
        super().__init__(text, no_wrap=True, overflow="ellipsis", end="")
        self.row_key = row_key


def same_cell(a: Text, b: Text) -> bool:
    return a.plain == b.plain and a.style == b.style and a.spans == b.spans


class KeyedTable(DataTable[Text], Generic[Item]):
    """Rows keyed by ``item.key``: rows come and go, changed cells are updated in place."""

    KEY_COLUMN = ""
    """The column whose cells are :class:`KeyCell`s."""
    MUTED_CLASS = ""
    _updating_cells = False

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", cursor_foreground_priority="renderable")
        self._items: dict[str, Item] = {}
        self._cells: dict[str, dict[str, Text]] = {}
        self._now: datetime | None = None

    @property
    def current_key(self) -> str | None:
        """The key of the row under the cursor."""
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value

    @property
    def keys_in_order(self) -> list[str]:
        return [str(row.key.value) for row in self.ordered_rows]

    def move_to(self, key: str | None) -> None:
        if key is not None and key in self._cells:
            self.move_cursor(row=self.get_row_index(key), animate=False)

    def _available_width(self) -> int:
        width = self.scrollable_content_region.width
        return width if width > 0 else self.app.size.width - 3

    def _render_cells(self, item: Item) -> dict[str, Text]:
        raise NotImplementedError

    def _set_columns(self, columns: Iterable[tuple[str, str, int]]) -> None:
        """Recreate the columns (label, width, key) and re-add every row: a resize, not a refresh."""
        cursor = self.current_key
        with self.app.batch_update():
            self.clear(columns=True)
            self._cells.clear()
            for label, width, key in columns:
                self.add_column(Text(label, no_wrap=True, overflow="ellipsis"), width=width, key=key)
            items, self._items = self._items, {}
            self._apply(items)
            self.move_to(cursor)

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False) -> Self:
        if self._updating_cells and not regions and not layout and not recompose:
            return self  # a cell update: the cell is repainted on its own (see _update_cells)
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def _update_cells(self, key: str, changed: dict[str, Text]) -> None:
        """Put changed cells in a row and repaint those cells only (DataTable repaints the whole
        table on every cell update, which a terminal receives in full)."""
        self._updating_cells = True
        try:
            for column, value in changed.items():
                self.update_cell(key, column, value)
        finally:
            self._updating_cells = False
        row = self.get_row_index(key)
        for column in changed:
            self.refresh_coordinate(Coordinate(row, self.get_column_index(column)))

    def _apply(self, items: dict[str, Item]) -> None:
        cursor = self.current_key
        for key in [key for key in self._cells if key not in items]:
            self.remove_row(key)
            del self._cells[key]
        for key, item in items.items():
            cells = self._render_cells(item)
            old = self._cells.get(key)
            if old is None:
                self.add_row(*cells.values(), key=key)
            else:
                changed = {column: value for column, value in cells.items() if not same_cell(old[column], value)}
                if changed:
                    self._update_cells(key, changed)
            self._cells[key] = cells
        self._items = items
        wanted = list(items)
        if self.keys_in_order != wanted:
            rank = {key: index for index, key in enumerate(wanted)}
            by_rank: Callable[[KeyCell], int] = lambda cell: rank[cell.row_key]  # noqa: E731
            self.sort(self.KEY_COLUMN, key=by_rank)
        self.move_to(cursor)

    def _look(self, look: StatusLook) -> Text:
        style = self.get_component_rich_style(look.style_class, partial=True)
        return Text(look.label(), style=style, no_wrap=True, overflow="ellipsis", end="")

    def _plain(self, text: str, *, right: bool = False, muted: bool = False) -> Text:
        style: Style | str = ""
        if muted:
            style = self.get_component_rich_style(self.MUTED_CLASS, partial=True)
        justify: JustifyMethod | None = "right" if right else None
        return Text(text, style=style, no_wrap=True, overflow="ellipsis", end="", justify=justify)
