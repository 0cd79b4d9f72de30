"""Pilot tests of the runs list on the demo backend: paging, server filters, sort, find, live refresh."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from unittest.mock import patch

import pytest
from conftest import FROZEN_NOW
from textual.widgets import Input, Select
from ui_helpers import FaultyBackend, screen_text, palette_search, settle, wait_until

from orch_tui.core.backend import Backend, RunPage
from orch_tui.core.connect import demo_backend
from orch_tui.core.errors import Unreachable
from orch_tui.core.filters import SearchRequest
from orch_tui.demo import ManualClock
from orch_tui.ui.app import OrchApp
from orch_tui.ui.screens.base import OrchScreen
from orch_tui.ui.screens.help import HelpScreen
from orch_tui.ui.screens.run_detail import RunDetailScreen
from orch_tui.ui.screens.runs import RunListScreen
from orch_tui.ui.screens.workflow_detail import WorkflowDetailScreen
from orch_tui.core.entity import compact_ref, expand_ref
from orch_tui.ui.widgets.run_filters import RunFilterDialog, RunFilters, Window
from orch_tui.ui.widgets.run_table import RunTable, plan_layout

SIZE = (80, 24)
WORDS = {"Running", "Pending", "Suspended", "Completed", "Failed", "Aborted", "Unknown"}


class RunsBackend(FaultyBackend):
    """Records every runs query; fails on demand like its base."""

    def __init__(self, inner: Backend) -> None:
        super().__init__(inner)
        self.requests: list[tuple[dict[str, Any], str | None]] = []

    async def list_runs(self, request: SearchRequest | None = None, *, workflow_id: str | None = None) -> RunPage:
        self.calls.append("list_runs")
        self.requests.append(((request or SearchRequest()).to_json(), workflow_id))
        if self.failing or "list_runs" in self.failing_calls:
            raise Unreachable(self.message)
        return await self._inner.list_runs(request, workflow_id=workflow_id)

    @property
    def last_request(self) -> dict[str, Any]:
        return self.requests[-1][0]

    @property
    def run_queries(self) -> int:
        return self.calls.count("list_runs")


@pytest.fixture
def backend(make_demo_backend: Callable[..., Backend]) -> RunsBackend:
    return RunsBackend(make_demo_backend())


@pytest.fixture
def app(backend: RunsBackend, clock: Any) -> OrchApp:
    return OrchApp(backend, clock=clock, refresh_interval=30)


def runs_screen(app: OrchApp) -> RunListScreen:
    screen = app.screen
    assert isinstance(screen, RunListScreen)
    return screen


def table_of(app: OrchApp) -> RunTable:
    return runs_screen(app).query_one(RunTable)


def column(table: RunTable, key: str) -> list[str]:
    return [table.get_cell(row, key).plain for row in table.keys_in_order]


def title_of(table: RunTable) -> str:
    assert table._border_title is not None
    return table._border_title.plain


def status_line(app: OrchApp) -> str:
    screen = runs_screen(app)
    return f"{screen.query_one('#runs-page').render()} | {screen.query_one('#runs-fresh').render()}"


async def open_runs(pilot: Any, workflow_id: str | None = None) -> RunListScreen:
    await settle(pilot)
    pilot.app.open_runs(workflow_id)
    await settle(pilot)
    return runs_screen(pilot.app)


async def apply_filters(pilot: Any, **values: str) -> None:
    """Open the filter dialog, set the given fields, apply."""
    await pilot.press("f")
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, RunFilterDialog)
    for name, value in values.items():
        widget = dialog.query_one(f"#run-filter-{name.replace('_', '-')}")
        if isinstance(widget, Select):
            widget.value = value
        else:
            assert isinstance(widget, Input)
            widget.value = value
        await pilot.pause()
    await pilot.press("ctrl+s")
    await settle(pilot)


def pagination(request: dict[str, Any], **changes: Any) -> dict[str, Any]:
    expected = {"pageSize": 20, "offset": 0, "orderBy": "start", "orderDirection": "DESC"}
    expected.update(changes)
    assert request["paginationInfo"] == expected
    return expected


# -- pure pieces ---------------------------------------------------------------------------


def test_layout_drops_columns_that_do_not_fit() -> None:
    narrow = plan_layout(77)
    assert [c.key for c in narrow.columns] == ["id", "workflow", "entity", "status", "started", "run_by"]
    assert sum(narrow.widths) + 2 * len(narrow.widths) <= 77
    scoped = plan_layout(77, scoped=True)
    assert "workflow" not in [c.key for c in scoped.columns]
    assert "duration" in [c.key for c in scoped.columns]
    wide = plan_layout(117)
    assert [c.key for c in wide.columns] == [
        "id", "workflow", "version", "entity", "status", "started", "duration", "run_by",
    ]
    assert sum(wide.widths) + 2 * len(wide.widths) == 117


def test_entity_references_are_compacted_and_expanded() -> None:
    known = ["component:default/payments-api", "user:default/alice", "system:default/payments"]
    assert compact_ref("user:default/alice", drop_kind="user") == "alice"
    assert compact_ref("component:team-a/api") == "component:team-a/api"
    assert expand_ref("payments-api", known) == "component:default/payments-api"
    assert expand_ref("ALICE", known, default_kind="user") == "user:default/alice"
    assert expand_ref("bob", known, default_kind="user") == "user:default/bob"
    assert expand_ref("Component:Default/x", known) == "component:default/x"


def test_started_windows_are_utc_days() -> None:
    now = FROZEN_NOW  # 2026-11-22 14:00 UTC
    day = timedelta(days=1)
    midnight = now.replace(hour=0)
    assert RunFilters(window=Window.TODAY).started_range(now) == (midnight, now)
    since, until = RunFilters(window=Window.YESTERDAY).started_range(now) or (None, None)
    assert since == midnight - day
    assert until is not None and midnight - timedelta(seconds=1) < until < midnight
    assert RunFilters(window=Window.LAST_7_DAYS).started_range(now) == (now - 7 * day, now)
    assert RunFilters(window=Window.THIS_MONTH).started_range(now) == (midnight.replace(day=1), now)
    assert RunFilters().started_range(now) is None


# -- the list ------------------------------------------------------------------------------


async def test_list_shows_runs_with_glyph_word_and_paging(app: OrchApp, backend: RunsBackend) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_runs(pilot)
        table = table_of(app)
        assert table.row_count == 20
        for text in column(table, "status"):
            glyph, _, word = text.partition(" ")
            assert glyph and word in WORDS, text
        assert table.column_keys == ["id", "workflow", "entity", "status", "started", "run_by"]
        assert all(len(text) == 8 for text in column(table, "id"))
        assert title_of(table) == "All runs (60) · sort: started ↓"
        assert status_line(app).startswith("Page 1/3 · 1–20 of 60 · 20 per page")
        assert "● updated just now" in status_line(app)
        pagination(backend.last_request)
        assert backend.requests[-1][1] is None
        assert "filters" not in backend.last_request
        first_page = table.keys_in_order

        await pilot.press("right_square_bracket")
        await settle(pilot)
        pagination(backend.last_request, offset=20)
        assert status_line(app).startswith("Page 2/3 · 21–40 of 60")
        assert not set(first_page) & set(table.keys_in_order)

        await pilot.press("right_square_bracket", "right_square_bracket")
        await settle(pilot)
        assert status_line(app).startswith("Page 3/3 · 41–60 of 60")
        await pilot.press("left_square_bracket")
        await settle(pilot)
        pagination(backend.last_request, offset=20)

        await pilot.press("z")
        await settle(pilot)
        pagination(backend.last_request, pageSize=50, offset=0)
        assert table.row_count == 50
        assert status_line(app).startswith("Page 1/2 · 1–50 of 60 · 50 per page")


async def test_wide_terminal_shows_every_column_and_full_ids(app: OrchApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await open_runs(pilot)
        table = table_of(app)
        assert table.column_keys == [
            "id", "workflow", "version", "entity", "status", "started", "duration", "run_by",
        ]
        durations = column(table, "duration")
        assert "5.2s" in durations or any(text.endswith("s") for text in durations)
        run_by = column(table, "run_by")
        assert "alice" in run_by and not any(text.startswith("user:") for text in run_by)
        await pilot.press("i")
        await pilot.pause()
        assert all(len(text) == 36 for text in column(table, "id"))
        assert table.keys_in_order == [text for text in column(table, "id")]


async def test_status_filter_is_sent_to_the_server(app: OrchApp, backend: RunsBackend) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_runs(pilot)
        await apply_filters(pilot, status="ERROR")
        assert isinstance(app.screen, RunListScreen)
        assert backend.last_request["filters"] == {"field": "state", "operator": "EQ", "value": "ERROR"}
        pagination(backend.last_request)
        table = table_of(app)
        assert table.row_count == 8
        assert set(column(table, "status")) == {"✖ Failed"}
        assert title_of(table).startswith("All runs (8)")
        assert "Filters: ✖ Failed" in str(runs_screen(app).query_one("#runs-filters").render())

        # Clearing in the dialog removes every filter.
        await pilot.press("f")
        await pilot.pause()
        await pilot.click("#run-filter-clear")
        await settle(pilot)
        assert "filters" not in backend.last_request
        assert table.row_count == 20


async def test_started_window_sends_between(app: OrchApp, backend: RunsBackend) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_runs(pilot)
        await apply_filters(pilot, window="last-7-days")
        assert backend.last_request["filters"] == {
            "field": "start",
            "operator": "BETWEEN",
            "value": ["2026-11-15T14:00:00Z", "2026-11-22T14:00:00Z"],
        }
        table = table_of(app)
        assert 0 < table.row_count < 20
        assert not any(text.endswith(("8d ago", "9d ago")) for text in column(table, "started"))

        await apply_filters(pilot, window="today", status="ACTIVE")
        assert backend.last_request["filters"] == {
            "operator": "AND",
            "filters": [
                {"field": "state", "operator": "EQ", "value": "ACTIVE"},
                {"field": "start", "operator": "BETWEEN", "value": ["2026-11-22T00:00:00Z", "2026-11-22T14:00:00Z"]},
            ],
        }
        assert set(column(table, "status")) == {"● Running"}

        await apply_filters(pilot, status="any", window="yesterday")
        assert backend.last_request["filters"]["value"] == ["2026-11-21T00:00:00Z", "2026-11-21T23:59:59.999000Z"]
        assert table.row_count == 0
        assert "No runs match these filters" in screen_text(pilot)


async def test_custom_range_is_validated_and_sent(app: OrchApp, backend: RunsBackend) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_runs(pilot)
        sent = len(backend.requests)
        await apply_filters(pilot, window="custom", since="2026-11-20", until="2026-11-10")
        dialog = app.screen
        assert isinstance(dialog, RunFilterDialog)
        assert "ends before it starts" in str(dialog.query_one("#run-filter-error").render())
        assert len(backend.requests) == sent
        dialog.query_one("#run-filter-since", Input).value = "2026-11-10"
        dialog.query_one("#run-filter-until", Input).value = "2026-11-14 12:00"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert backend.last_request["filters"] == {
            "field": "start",
            "operator": "BETWEEN",
            "value": ["2026-11-10T00:00:00Z", "2026-11-14T12:00:00Z"],
        }
        table = table_of(app)
        assert table.row_count > 0
        assert "started 2026-11-10 → 2026-11-14 12:00" in str(runs_screen(app).query_one("#runs-filters").render())


async def test_entity_and_run_by_filters_are_nested(app: OrchApp, backend: RunsBackend) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await open_runs(pilot)
        await apply_filters(pilot, entity="payments-api")
        assert backend.last_request["filters"] == {
            "field": "variables",
            "nested": {"field": "targetEntity", "operator": "EQ", "value": "component:default/payments-api"},
        }
        table = table_of(app)
        assert table.row_count == 6
        assert set(column(table, "entity")) == {"payments-api"}

        await apply_filters(pilot, entity="", run_by="alice")
        assert backend.last_request["filters"] == {
            "field": "variables",
            "nested": {"field": "initiatorEntity", "operator": "EQ", "value": "user:default/alice"},
        }
        assert set(column(table, "run_by")) == {"alice"}


async def test_entity_typed_in_the_dialog_and_submitted_with_enter(app: OrchApp, backend: RunsBackend) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_runs(pilot)
        await pilot.press("f")
        await pilot.pause()
        app.screen.query_one("#run-filter-entity", Input).focus()
        await pilot.press(*"system:payments", "enter")
        await settle(pilot)
        assert isinstance(app.screen, RunListScreen)
        nested = backend.last_request["filters"]["nested"]
        assert nested == {"field": "targetEntity", "operator": "EQ", "value": "system:default/payments"}
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot)
        assert backend.last_request["filters"]["nested"] == nested


async def test_sort_cycles_fields_and_direction(app: OrchApp, backend: RunsBackend) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_runs(pilot)
        table = table_of(app)
        await pilot.press("s")
        await settle(pilot)
        pagination(backend.last_request, orderBy="processName", orderDirection="ASC")
        assert title_of(table).endswith("sort: workflow ↑")
        names = [name.casefold() for name in column(table, "workflow")]
        assert names == sorted(names)
        await pilot.press("o")
        await settle(pilot)
        pagination(backend.last_request, orderBy="processName", orderDirection="DESC")
        assert title_of(table).endswith("sort: workflow ↓")
        await pilot.press("s")
        await settle(pilot)
        pagination(backend.last_request, orderBy="state", orderDirection="ASC")
        await pilot.press("s")
        await settle(pilot)
        pagination(backend.last_request)


async def test_find_filters_the_loaded_page_with_a_count(app: OrchApp, backend: RunsBackend) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_runs(pilot)
        table = table_of(app)
        sent = len(backend.requests)
        await pilot.press("slash", *"greet")
        await pilot.pause()
        shown = column(table, "workflow")
        assert shown and set(shown) == {"Greeting workflow"}
        assert f"/greet {len(shown)}/20 on page" in title_of(table)
        await pilot.press("enter")
        await pilot.pause()
        assert table.has_focus
        await pilot.press("escape")
        await pilot.pause()
        assert table.row_count == 20
        assert "/" not in title_of(table).split("·")[0]
        assert len(backend.requests) == sent
        # A second Esc goes back.
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, RunListScreen)


async def test_find_with_no_match_says_so_literally(app: OrchApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_runs(pilot)
        await pilot.press("slash", *"[/]zz", "enter")
        await pilot.pause()
        assert table_of(app).row_count == 0
        assert "No run on this page matches [/]zz" in screen_text(pilot)


async def test_enter_opens_the_run(app: OrchApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_runs(pilot)
        table = table_of(app)
        table.move_cursor(row=3)
        key = table.current_key
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RunDetailScreen)
        assert app.screen.run_id == key


async def test_copy_id_copies_the_full_id(app: OrchApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_runs(pilot)
        key = table_of(app).current_key
        await pilot.press("c")
        assert app.clipboard == key


# -- live ----------------------------------------------------------------------------------


@pytest.fixture
def manual_clock() -> ManualClock:
    return ManualClock(FROZEN_NOW)


@pytest.fixture
def live_backend(manual_clock: ManualClock) -> RunsBackend:
    return RunsBackend(demo_backend(clock=manual_clock))


async def test_live_refresh_updates_rows_by_key(live_backend: RunsBackend, manual_clock: ManualClock) -> None:
    app = OrchApp(live_backend, clock=manual_clock, refresh_interval=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_runs(pilot)
        screen = runs_screen(app)
        screen.poller.pause()  # hold polling while the scene is set up
        table = table_of(app)
        table.move_cursor(row=6)
        cursor = table.current_key
        running = table.keys_in_order[0]
        rows_before = dict(table.rows)
        durations_before = table.get_cell(running, "duration").plain
        with patch.object(table, "clear", wraps=table.clear) as clear:
            new_id = await live_backend.execute("greeting", {"language": "French", "name": "Zoé"})
            manual_clock.advance(seconds=20)
            screen.poller.unpause()
            await wait_until(pilot, lambda: new_id in table.keys_in_order)
            await settle(pilot)
        assert clear.call_count == 0
        assert table.keys_in_order[0] == new_id
        assert table.get_cell(new_id, "status").plain == "✔ Completed"
        assert table.current_key == cursor
        assert table.row_count == 20
        for key, row in table.rows.items():
            if key.value in rows_before:
                assert row is rows_before[key]
        assert table.get_cell(running, "duration").plain != durations_before


async def test_pause_stops_polling_and_resume_fetches_at_once(
    live_backend: RunsBackend, manual_clock: ManualClock
) -> None:
    app = OrchApp(live_backend, clock=manual_clock, refresh_interval=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await open_runs(pilot)
        await wait_until(pilot, lambda: live_backend.run_queries >= 3)
        await pilot.press("p")
        await settle(pilot)
        assert "⏸ PAUSED" in status_line(app)
        paused_at = live_backend.run_queries
        await pilot.pause(0.3)
        assert live_backend.run_queries == paused_at
        # A manual refresh still works while paused, once.
        await pilot.press("r")
        await settle(pilot)
        await pilot.pause(0.2)
        assert live_backend.run_queries == paused_at + 1
        await pilot.press("p")
        await settle(pilot)
        assert live_backend.run_queries >= paused_at + 2
        assert "PAUSED" not in status_line(app)


async def test_backend_failure_marks_stale_keeps_rows_and_recovers(app: OrchApp, backend: RunsBackend) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_runs(pilot)
        table = table_of(app)
        keys = table.keys_in_order
        backend.failing = True
        await pilot.press("r")
        await settle(pilot)
        assert table.keys_in_order == keys
        assert table.has_class("-stale")
        line = status_line(app)
        assert "▲ STALE · Backend unreachable: Cannot reach embedded demo: connection refused" in line
        assert line.endswith("retry in 30s")
        assert "STALE" in str(app.screen.query_one("#header-link").render())
        await pilot.press("r")
        await settle(pilot)
        assert app.link.failures == 2
        assert status_line(app).endswith("retry in 30s")
        backend.failing = False
        await pilot.press("r")
        await settle(pilot)
        assert not table.has_class("-stale")
        assert status_line(app).endswith("● updated just now")
        assert not app.link.stale


async def test_retry_recovers_without_a_key(backend: RunsBackend, clock: Any) -> None:
    app = OrchApp(backend, clock=clock, refresh_interval=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await open_runs(pilot)
        backend.failing = True
        await pilot.press("r")
        await settle(pilot)
        assert table_of(app).has_class("-stale")
        backend.failing = False
        await wait_until(pilot, lambda: not app.link.stale)
        await settle(pilot)
        assert not app.link.stale
        assert not table_of(app).has_class("-stale")


async def test_first_load_failure_says_so(backend: RunsBackend, clock: Any) -> None:
    app = OrchApp(backend, clock=clock, refresh_interval=30)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        backend.failing_calls.add("list_runs")
        await open_runs(pilot)
        text = screen_text(pilot)
        assert "Could not load runs" in text
        assert "STALE" in text
        backend.failing_calls.clear()
        await pilot.press("r")
        await settle(pilot)
        assert table_of(app).row_count == 20


async def test_hidden_screen_stops_polling(live_backend: RunsBackend, manual_clock: ManualClock) -> None:
    app = OrchApp(live_backend, clock=manual_clock, refresh_interval=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await open_runs(pilot)
        table = table_of(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RunDetailScreen)
        hidden_from = live_backend.run_queries
        await pilot.pause(0.4)
        assert live_backend.run_queries <= hidden_from + 1
        await pilot.press("escape")
        await wait_until(pilot, lambda: live_backend.run_queries >= hidden_from + 2)
        assert table.row_count == 20


async def test_shown_again_fetches_immediately(app: OrchApp, backend: RunsBackend) -> None:
    # A long interval: any fetch after coming back is the immediate one.
    async with app.run_test(size=SIZE) as pilot:
        await open_runs(pilot)
        await pilot.press("enter")
        await settle(pilot)
        before = backend.run_queries
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, RunListScreen)
        assert backend.run_queries == before + 1


# -- navigation ----------------------------------------------------------------------------


async def test_workflow_list_key_opens_all_runs(app: OrchApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        screen = runs_screen(app)
        assert screen.workflow_id is None
        assert table_of(app).row_count == 20


async def test_workflow_detail_u_opens_its_runs(app: OrchApp, backend: RunsBackend) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_workflow("greeting")
        await settle(pilot)
        assert isinstance(app.screen, WorkflowDetailScreen)
        await pilot.press("u")
        await settle(pilot)
        screen = runs_screen(app)
        assert screen.workflow_id == "greeting"
        assert backend.requests[-1][1] == "greeting"
        table = table_of(app)
        assert "workflow" not in table.column_keys
        assert title_of(table).startswith("Runs · Greeting workflow (")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WorkflowDetailScreen)
        # The last run opens with l.
        await pilot.press("l")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, RunDetailScreen)
        workflow = app.workflows["greeting"]
        assert detail.run_id == workflow.lastRunId


async def test_palette_opens_all_runs(app: OrchApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await palette_search(pilot, "All runs")
        await pilot.press("enter")
        await settle(pilot)
        assert runs_screen(app).workflow_id is None


async def test_palette_jumps_to_a_run_by_the_start_of_its_id(app: OrchApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_runs(pilot)
        wanted = screen.runs[3]
        await palette_search(pilot, f"run {wanted.id[:8]}")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RunDetailScreen) and app.screen.run_id == wanted.id


async def test_help_lists_the_run_screens(app: OrchApp) -> None:
    async with app.run_test(size=(100, 120)) as pilot:
        await open_runs(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(pilot)
        for item in ("Runs", "Run detail", "Next page", "Pause", "Abort", "Retrigger", "Run again", "Open link"):
            assert item in text, item


async def test_the_list_is_not_styled_again_when_first_shown(app: OrchApp) -> None:
    restyled: list[object] = []
    update_node_styles = OrchScreen.update_node_styles

    def counted(screen: OrchScreen[Any], animate: bool = True) -> None:
        restyled.append(screen)
        update_node_styles(screen, animate)

    with patch.object(OrchScreen, "update_node_styles", counted):
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_runs(pilot)
            # Its widgets were styled as they were mounted, just before it was shown.
            assert screen not in restyled
            # A screen that does not say so is styled again as Textual does.
            await pilot.press("question_mark")
            await settle(pilot)
            assert isinstance(app.screen, HelpScreen) and app.screen in restyled
