"""KeyedTable renders its cells itself: the segments must be exactly DataTable's."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from conftest import FROZEN_NOW
from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widgets import DataTable

from orch_tui.core.backend import Backend
from orch_tui.resources import stylesheets
from orch_tui.ui.widgets.keyed_table import KeyCell, KeyedTable, one_line
from orch_tui.ui.widgets.run_table import RunTable

SAMPLES = [
    "payments-api",
    "component:default/a-rather-long-entity-name-that-overflows",
    "日本語のワークフロー名",
    "🚀 rocket 🚀",
    "e\u0301clair",  # a combining accent
    "zero\u200bwidth",
    "trailing spaces    ",
    "    leading spaces",
    "x",
    "—",
    "1h 02m",
    "",
    "two\nlines",
    "a\ttab",
]


def texts() -> list[Text]:
    muted = Style(color="grey50")
    made: list[Text] = []
    for plain in SAMPLES:
        for style in ("", muted, Style(bold=True, color="red")):
            for justify in (None, "left", "right", "center"):
                for overflow in ("ellipsis", "crop", "fold"):
                    made.append(Text(plain, style=style, justify=justify, overflow=overflow, no_wrap=True, end=""))
    made.append(Text.assemble(("spans", "bold"), " and plain", no_wrap=True, end=""))
    made.append(Text("wraps when it may", end=""))
    made.append(Text("ends with a newline", no_wrap=True))
    return made


def test_one_line_is_what_rich_renders() -> None:
    console = Console(width=120, color_system="truecolor", force_terminal=True, legacy_windows=False)
    pad = console.get_style("none")
    for text in texts():
        for width in (1, 2, 3, 5, 8, 11, 30):
            options = console.options.update_dimensions(width, 1).update(no_wrap=True)
            expected = console.render_lines(text, options, style=pad, pad=True)[0]
            line = one_line(text, width, pad)
            if line is not None:
                assert line == expected, (text, width)


class Cells(KeyedTable[tuple[str, ...]]):
    """Arbitrary texts, one row each, in three columns of fixed widths."""

    KEY_COLUMN = "key"
    MUTED_CLASS = "cells--muted"
    COMPONENT_CLASSES = {"cells--muted"}
    DEFAULT_CSS = "Cells > .cells--muted { color: $text-muted; }"

    def _render_cells(self, item: tuple[str, ...]) -> dict[str, Text]:
        key, first, second = item
        return {
            "key": KeyCell(key, key),
            "first": self._plain(first, muted=len(first) % 2 == 0),
            "second": self._plain(second, right=True),
        }


class CellsApp(App[None]):
    CSS_PATH = [str(path) for path in stylesheets()]

    def __init__(self, table: KeyedTable[Any]) -> None:
        super().__init__()
        self.table = table

    def compose(self) -> ComposeResult:
        yield self.table


def painted(table: KeyedTable[Any], which: Callable[..., Any]) -> list[list[Any]]:
    """Every line of the table with its cells rendered by ``which``, its caches dropped first."""
    table._clear_caches()
    table._update_count += 1
    original = KeyedTable._render_cell
    KeyedTable._render_cell = which  # type: ignore[method-assign]
    try:
        return [list(strip) for strip in table.render_lines(Region(0, 0, *table.size))]
    finally:
        KeyedTable._render_cell = original  # type: ignore[method-assign]


async def assert_same_as_datatable(app: CellsApp, pilot: Any) -> None:
    table = app.table
    for row in (0, 2):
        table.move_cursor(row=row)
        await pilot.pause()
        assert painted(table, KeyedTable._render_cell) == painted(table, DataTable._render_cell)
    table.blur()
    await pilot.pause()
    assert painted(table, KeyedTable._render_cell) == painted(table, DataTable._render_cell)


async def test_cells_render_as_datatable_renders_them() -> None:
    table = Cells()
    app = CellsApp(table)
    async with app.run_test(size=(80, 30)) as pilot:
        table.focus()
        table._set_columns([("Key", 6, "key"), ("First", 9, "first"), ("Second", 7, "second")])
        rows = [(f"k{index:02d}", sample, sample[::-1]) for index, sample in enumerate(SAMPLES)]
        table._apply({row[0]: row for row in rows})
        await pilot.pause()
        await assert_same_as_datatable(app, pilot)


@pytest.mark.parametrize("full_ids", [False, True])
async def test_run_table_renders_as_datatable(make_demo_backend: Callable[..., Backend], full_ids: bool) -> None:
    page = await make_demo_backend().list_runs(None)
    table = RunTable()
    app = CellsApp(table)
    async with app.run_test(size=(120, 30)) as pilot:
        table.focus()
        await pilot.pause()
        table.full_ids = full_ids
        table.show(list(page.items)[:20], FROZEN_NOW + timedelta(minutes=5))
        await pilot.pause()
        assert table.row_count
        await assert_same_as_datatable(app, pilot)
