"""A DataTable of ``Text`` cells keyed by item, refreshed by diff and never cleared to refresh."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Generic, Self, TypeVar

from rich.cells import cell_len
from rich.console import JustifyMethod
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
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


def one_line(text: Text, width: int, pad_style: Style) -> list[Segment] | None:
    """The segments Rich renders for ``text`` on one line of ``width`` cells, without wrapping
    (``console.render_lines(text, options, style=pad_style, pad=True)[0]``), worked out directly
    for a text of one style and one line; None for any other text.

    It follows ``Text.wrap`` (crop the trailing space, justify, truncate) and ``Text.render`` on
    the same ``Text`` methods.
    """
    style = text.style
    plain = text.plain
    if (
        not plain
        or text.spans
        or text.end
        or text.no_wrap is False
        or text.justify not in (None, "default", "left", "right")
        or text.overflow not in ("ellipsis", "crop")
        or not isinstance(style, Style | str)
        or (isinstance(style, str) and style)
        or (isinstance(style, Style) and style.link)
        or "\n" in plain
        or "\t" in plain
    ):
        return None
    line = text.copy()
    line.rstrip_end(width)
    if text.justify == "left":
        line.truncate(width, overflow=text.overflow, pad=True)
    elif text.justify == "right":
        line.rstrip()
        line.truncate(width, overflow=text.overflow)
        line.pad_left(width - cell_len(line.plain))
    line.truncate(width, overflow=text.overflow)
    plain = line.plain
    length = cell_len(plain)
    if not plain or length > width:
        return None
    segment = Segment(plain, style or None)
    if length < width:
        return [segment, Segment(" " * (width - length), pad_style)]
    return [segment]


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

    def _on_resize(self, event: events.Resize) -> None:
        # DataTable renders every cell again after any Resize: one comes whenever rows come or go
        # (the virtual size changes), and one when the loading cover is lifted.  Here no cell's
        # render depends on the table's size (every column has a fixed width, and lines are cached
        # by width), so DataTable's handler is skipped.
        event.prevent_default()

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> list[list[Segment]]:
        """DataTable's, for a body cell of one line: the same segments, in the same cache, but
        with the text rendered directly (see :func:`one_line`) instead of through Rich's padding
        and style wrappers, each one more rendering pass.  A table's first paint renders every
        cell on screen in one go; this way it takes about half as long."""
        padding = self.cell_padding
        if row_index < self.fixed_rows or column_index < self.fixed_columns or width <= 2 * padding:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        if row_key is None or column_key is None or self.rows[row_key].height != 1:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        cache_key = (
            row_key,
            column_key,
            base_style,
            cursor,
            hover,
            self._show_hover_cursor,
            self._update_count,
            self._pseudo_class_state,
        )
        cached = self._cell_render_cache.get(cache_key)
        if cached is not None:
            return cached
        cells = self._get_row_renderables(row_index).cells
        cell = cells[column_index] if column_index < len(cells) else None
        if not isinstance(cell, Text):
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        component_style, post_style = self._get_styles_to_render_cell(
            False,
            False,
            False,
            hover,
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        pre_style = base_style + Style.from_meta({"row": row_index, "column": column_index}) + component_style
        console = self.app.console
        blank = console.get_style("none")  # the style of Rich's Padding, around and after the text
        line = one_line(cell, width - 2 * padding, blank)
        if line is None:
            options = self.app.console_options.update_dimensions(width - 2 * padding, 1).update(no_wrap=True)
            line = console.render_lines(cell, options, style=blank, pad=True)[0]
        if padding:
            side = Segment(" " * padding, blank)
            line = [side, *line, side]
        lines = [list(Segment.apply_style(line, pre_style, post_style))]
        self._cell_render_cache[cache_key] = lines
        return lines

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
