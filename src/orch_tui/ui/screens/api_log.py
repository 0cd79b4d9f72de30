"""The API log: every request this console made (method, path, status, latency), newest first.

Built from the adapters' :class:`~orch_tui.core.http.RequestRecord` listeners, which carry no
headers and no bodies, so no token ever reaches it. The app keeps the last
:data:`API_LOG_SIZE` requests.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable, Input

from orch_tui.core.formatting import single_line
from orch_tui.ui.screens.base import OrchScreen
from orch_tui.ui.widgets.footer import OrchFooter
from orch_tui.ui.widgets.header import AppHeader

if TYPE_CHECKING:
    from orch_tui.core.http import RequestRecord

API_LOG_SIZE = 500


@dataclass(frozen=True)
class ApiLogEntry:
    at: datetime
    record: RequestRecord


class ApiLog:
    """A bounded record of the requests made, oldest dropped first."""

    def __init__(self, size: int = API_LOG_SIZE) -> None:
        self.entries: deque[ApiLogEntry] = deque(maxlen=size)

    def add(self, at: datetime, record: RequestRecord) -> ApiLogEntry:
        entry = ApiLogEntry(at, record)
        self.entries.append(entry)
        return entry


def entry_matches(entry: ApiLogEntry, needle: str) -> bool:
    """Case-insensitive substring match over method, path, status and error."""
    if not needle:
        return True
    record = entry.record
    fields = (record.method, record.path, str(record.status or ""), record.error or "")
    folded = needle.casefold()
    return any(folded in value.casefold() for value in fields)


def entry_cells(entry: ApiLogEntry) -> tuple[Text, ...]:
    """Time, method, path, outcome (glyph and status, or the transport error) and latency, as
    plain text: a path or an error is never parsed as markup."""
    record = entry.record
    if record.status is None:
        outcome = "✖ " + single_line(record.error or "no answer", 40)
    else:
        outcome = ("✔ " if record.status < 400 else "✖ ") + str(record.status)
    return (
        Text(entry.at.astimezone().strftime("%H:%M:%S")),
        Text(record.method.upper()),
        Text(single_line(record.path, 200)),
        Text(outcome),
        Text(f"{record.elapsed_ms:.0f} ms", justify="right"),
    )


class ApiLogScreen(OrchScreen[None]):
    """The requests made so far, newest first, growing as requests are made."""

    SCOPE_KEYS = False
    BINDINGS = [
        Binding("escape", "close", "Close", id="api-log.close"),
        Binding("at", "close", "Close", show=False, id="api-log.close-toggle"),
        Binding("escape", "clear_filter", "Clear filter", id="api-log.clear-filter"),
        Binding("slash", "filter", "Filter", id="api-log.filter"),
        Binding("c", "clear", "Clear", id="api-log.clear"),
    ]

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id)
        self._filter = ""

    def compose(self) -> ComposeResult:
        yield AppHeader()
        table: DataTable[Text] = DataTable(id="api-log-table", cursor_type="row", zebra_stripes=True)
        yield table
        yield Input(placeholder="filter: method, path or status", id="api-log-filter", compact=True)
        yield OrchFooter()

    def on_mount(self) -> None:
        table = self.query_one("#api-log-table", DataTable)
        table.add_column("time", width=8)
        table.add_column("method", width=6)
        table.add_column("path")
        table.add_column("status", width=12)
        table.add_column("latency", width=8)
        self.query_one("#api-log-filter", Input).display = False
        self._render_rows()
        self.orch_app.api_request.subscribe(self, self._added)

    def _added(self, _entry: ApiLogEntry) -> None:
        self._render_rows()

    def visible(self) -> list[ApiLogEntry]:
        """The requests the filter lets through, newest first."""
        return [entry for entry in reversed(self.orch_app.api_log.entries) if entry_matches(entry, self._filter)]

    def _render_rows(self) -> None:
        # Newest first: rebuilding is cheap at this size (a few hundred rows) and keeps the order simple.
        table = self.query_one("#api-log-table", DataTable)
        table.clear()
        shown = self.visible()
        table.add_rows(entry_cells(entry) for entry in shown)
        self._update_title(len(shown))

    def _update_title(self, shown: int) -> None:
        count = len(self.orch_app.api_log.entries)
        counted = f"{shown}/{count}" if self._filter else str(count)
        title = Content(f"API log ({counted} request{'' if count == 1 else 's'})")
        if self._filter:
            title += Content(" /") + Content(single_line(self._filter, 30))
        title += Content(f" · last {API_LOG_SIZE} kept, no headers or bodies")
        self.query_one("#api-log-table", DataTable).border_title = title

    def action_clear(self) -> None:
        self.orch_app.api_log.entries.clear()
        self._render_rows()

    def action_filter(self) -> None:
        filter_input = self.query_one("#api-log-filter", Input)
        filter_input.display = True
        filter_input.focus()
        self.refresh_bindings()

    def action_clear_filter(self) -> None:
        filter_input = self.query_one("#api-log-filter", Input)
        filter_input.value = ""
        filter_input.display = False
        self._filter = ""
        self._render_rows()
        self.query_one("#api-log-table", DataTable).focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":
            return bool(self._filter) or self.query_one("#api-log-filter", Input).display
        if action == "close":
            return not (self._filter or self.query_one("#api-log-filter", Input).display)
        return True

    @on(Input.Changed, "#api-log-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._filter = event.value.strip()
        self._render_rows()

    @on(Input.Submitted, "#api-log-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#api-log-table", DataTable).focus()

    def action_close(self) -> None:
        self.dismiss()
