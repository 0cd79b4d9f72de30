"""Pilot tests of the workflow list, the detail screen, help and the palette, on the demo backend."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from unittest.mock import patch

import pytest

from orch_tui.core.backend import Backend
from orch_tui.core.errors import OrchError
from orch_tui.ui.app import OrchApp
from orch_tui.ui.screens.help import HelpScreen
from orch_tui.ui.screens.workflow_detail import WorkflowDetailScreen
from orch_tui.ui.screens.workflows import WorkflowListScreen
from orch_tui.ui.widgets.workflow_table import WorkflowTable
from ui_helpers import FaultyBackend, screen_text, palette_search, settle, wait_until

SIZE = (80, 24)


@pytest.fixture
def backend(make_demo_backend: Callable[..., Backend]) -> FaultyBackend:
    return FaultyBackend(make_demo_backend())


@pytest.fixture
def app(backend: FaultyBackend, clock: Any) -> OrchApp:
    return OrchApp(backend, clock=clock, refresh_interval=30)


def table_of(app: OrchApp) -> WorkflowTable:
    return app.screen.query_one(WorkflowTable)


def column_text(table: WorkflowTable, column: str) -> dict[str, str]:
    return {str(key.value): table.get_cell(key, column).plain for key in table.rows}


def title_of(table: WorkflowTable) -> str:
    assert table._border_title is not None
    return table._border_title.plain


async def open_row(pilot: Any, key: str) -> None:
    table = table_of(pilot.app)
    table.move_cursor(row=table.get_row_index(key))
    await pilot.press("enter")
    await settle(pilot)


async def test_list_shows_workflows_with_glyph_and_word(app: OrchApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, WorkflowListScreen)
        table = table_of(app)
        assert table.row_count >= 6
        availability = column_text(table, "availability")
        status = column_text(table, "last_status")
        assert availability["legacy-sync"] == "▼ Unavailable"
        assert availability["greeting"] == "▲ Available"
        assert status["rotate-secrets"] == "· Never run"
        words = {"Completed", "Failed", "Running", "Pending", "Suspended", "Aborted", "Unknown", "Never run"}
        for text in status.values():
            glyph, _, word = text.partition(" ")
            assert glyph and word in words, text
        assert title_of(table).startswith(f"Workflows ({table.row_count})")
        # Narrow terminal: secondary columns are dropped, not squeezed.
        assert "description" not in {str(key.value) for key in table.columns}
        text = screen_text(pilot)
        assert "● live" in text
        assert "DEMO" in text


async def test_wide_terminal_shows_every_column(app: OrchApp) -> None:
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        columns = [str(key.value) for key in table_of(app).columns]
        assert columns == [
            "name", "availability", "last_run", "last_status", "version", "runs", "success", "description",
        ]


async def test_resize_collapses_columns_and_keeps_cursor(app: OrchApp) -> None:
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        table = table_of(app)
        table.move_cursor(row=table.get_row_index("onboard-team"))
        assert "description" in {str(key.value) for key in table.columns}
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        assert "description" not in {str(key.value) for key in table.columns}
        assert table.current_key == "onboard-team"
        assert table.row_count >= 6


async def test_filter_narrows_and_escape_clears(app: OrchApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = table_of(app)
        total = table.row_count
        await pilot.press("slash", *"GREET")
        await pilot.pause()
        assert [str(key.value) for key in table.rows] == ["greeting"]
        assert title_of(table).startswith(f"Workflows (1/{total}) /GREET")
        # The description is searched too.
        await pilot.press(*["backspace"] * 5, *"cmdb")
        await pilot.pause()
        assert set(column_text(table, "name")) == {"legacy-sync"}
        await pilot.press("escape")
        await pilot.pause()
        assert table.row_count == total
        assert "/" not in title_of(table)
        assert table.has_focus


async def test_filter_with_no_match_shows_empty_state(app: OrchApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"[/]zzz", "enter")
        await pilot.pause()
        assert table_of(app).row_count == 0
        assert "No workflow matches [/]zzz" in screen_text(pilot)


async def test_sort_cycles_and_changes_order(app: OrchApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = table_of(app)
        by_name = table.keys_in_order
        names = [table.get_cell(key, "name").plain.casefold() for key in by_name]
        assert names == sorted(names)
        assert title_of(table).endswith("sort: name")
        await pilot.press("s")
        assert title_of(table).endswith("sort: last run")
        by_last_run = table.keys_in_order
        assert by_last_run != by_name
        assert by_last_run[-1] == "rotate-secrets"  # never ran: last
        await pilot.press("s")
        assert title_of(table).endswith("sort: status")
        await pilot.press("s")
        assert title_of(table).endswith("sort: success")
        await pilot.press("s")
        assert table.keys_in_order == by_name


async def test_enter_opens_detail_with_description_and_stats(app: OrchApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_row(pilot, "greeting")
        screen = app.screen
        assert isinstance(screen, WorkflowDetailScreen)
        assert screen.workflow_id == "greeting"

        def field(key: str) -> str:
            return str(screen.query_one(f"#field-{key}").render())

        workflow = screen.workflow
        assert workflow is not None and workflow.description
        assert field("id") == "greeting"
        assert field("description").startswith(workflow.description.strip()[:20])
        assert field("availability") == "▲ Available"
        assert field("run") == "available"
        assert "UTC" in field("last-run")
        stats = workflow.workflowRunStats
        assert stats is not None and stats.totalCount
        assert field("counts").endswith(f"· {stats.totalCount} total")
        assert field("runs") == str(stats.runsLastMonth)
        assert field("success").endswith("%")
        assert "Greeting workflow" in screen_text(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WorkflowListScreen)
        assert table_of(app).current_key == "greeting"


async def test_definition_and_schema_tabs_show_content(app: OrchApp, backend: FaultyBackend) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_row(pilot, "greeting")
        screen = app.screen
        await pilot.press("2")
        await settle(pilot)
        source = screen.query_one("#definition-source")
        source_text = await backend.get_source("greeting")
        assert source.text.strip() == source_text.strip()  # type: ignore[attr-defined]
        assert source.read_only  # type: ignore[attr-defined]
        await pilot.press("3")
        await settle(pilot)
        schema = screen.query_one("#schema-source")
        assert '"properties"' in schema.text  # type: ignore[attr-defined]


async def test_workflow_without_schema_says_so(app: OrchApp, backend: FaultyBackend) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        without = []
        for key in app.workflows:
            try:
                response = await backend.get_input_schema(key)
            except OrchError:
                continue
            if not response.inputSchema:
                without.append(key)
        if not without:
            pytest.skip("every demo workflow has an input schema")
        await open_row(pilot, without[0])
        await pilot.press("3")
        await settle(pilot)
        assert "no input schema" in str(app.screen.query_one("#schema-none").render())


async def test_tab_errors_show_in_place(app: OrchApp, backend: FaultyBackend) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_row(pilot, "greeting")
        backend.failing_calls.add("get_source")
        await pilot.press("2")
        await settle(pilot)
        text = screen_text(pilot)
        assert "Backend unreachable" in text
        assert "connection refused" in text
        assert app.is_running
        backend.failing_calls.clear()
        await pilot.press("r")
        await settle(pilot)
        assert app.screen.query("#definition-source")


async def test_run_is_unavailable_with_reason(app: OrchApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_row(pilot, "legacy-sync")
        run = str(app.screen.query_one("#field-run").render())
        assert run.startswith("unavailable — ")
        assert "Service Unavailable" in run
        assert str(app.screen.query_one("#field-availability").render()).startswith("▼ Unavailable")


async def test_read_only_disables_run_and_shows_badge(backend: FaultyBackend, clock: Any) -> None:
    app = OrchApp(backend, clock=clock, read_only=True, context_name="prod")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "RO" in str(app.screen.query_one("#header-ro").render())
        await open_row(pilot, "greeting")
        assert str(app.screen.query_one("#field-run").render()) == "unavailable — read-only context"


async def test_refresh_updates_by_key_and_keeps_cursor(app: OrchApp, backend: FaultyBackend) -> None:
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        table = table_of(app)
        table.move_cursor(row=table.get_row_index("notify-team"))
        rows_before = dict(table.rows)

        def reshape(workflows: list[Any]) -> list[Any]:
            kept = [wf for wf in workflows if wf.workflowId != "data-migration"]
            for wf in kept:
                if wf.workflowId == "greeting":
                    wf.description = "Changed description"
            return kept

        backend.reshape = reshape
        with patch.object(table, "clear", wraps=table.clear) as clear, patch.object(
            table, "update_cell", wraps=table.update_cell
        ) as update_cell:
            await pilot.press("r")
            await settle(pilot)
            await pilot.press("r")
            await settle(pilot)
        assert clear.call_count == 0
        assert [call.args[:2] for call in update_cell.call_args_list] == [("greeting", "description")]
        assert table.current_key == "notify-team"
        assert "data-migration" not in {str(key.value) for key in table.rows}
        for key, row in table.rows.items():
            assert row is rows_before[key]
        assert table.get_cell("greeting", "description").plain == "Changed description"


async def test_failure_marks_stale_keeps_data_and_recovers(app: OrchApp, backend: FaultyBackend) -> None:
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        table = table_of(app)
        count = table.row_count
        backend.failing = True
        await pilot.press("r")
        await settle(pilot)
        header = str(app.screen.query_one("#header-link").render())
        # At 80 columns the message is shortened so the countdown stays visible.
        assert header.startswith("▲ STALE · Backend unreachable: ")
        assert header.endswith(" · retry in 30s")
        assert len(header) < 80
        assert app.link.failure is not None
        assert app.link.failure.summary == "Backend unreachable: Cannot reach embedded demo: connection refused"
        assert table.row_count == count
        assert table.has_class("-stale")
        # A second failure waits one interval again: data recovers within one interval.
        await pilot.press("r")
        await settle(pilot)
        assert app.link.failures == 2
        assert str(app.screen.query_one("#header-link").render()).endswith("retry in 30s")
        backend.failing = False
        await pilot.press("r")
        await settle(pilot)
        assert str(app.screen.query_one("#header-link").render()) == "● live · updated just now"
        assert not table.has_class("-stale")
        assert app.link.failures == 0


async def test_retry_timer_recovers_without_a_key(backend: FaultyBackend, clock: Any) -> None:
    app = OrchApp(backend, clock=clock, refresh_interval=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        backend.failing = True
        await pilot.press("r")
        await settle(pilot)
        assert app.link.stale
        backend.failing = False
        await wait_until(pilot, lambda: not app.link.stale)
        assert not table_of(app).has_class("-stale")


async def test_first_load_failure_shows_error_then_loads(backend: FaultyBackend, clock: Any) -> None:
    backend.failing = True
    app = OrchApp(backend, clock=clock, refresh_interval=30)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(pilot)
        assert "Could not load workflows" in text
        assert "STALE" in text
        backend.failing = False
        await pilot.press("r")
        await settle(pilot)
        assert table_of(app).row_count >= 6


async def test_help_lists_keys_legend_and_paths(app: OrchApp) -> None:
    async with app.run_test(size=(100, 60)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(pilot)
        expected = ("✔ Completed", "✖ Failed", "● Running", "· Never run", "▼ Unavailable", "Filter", "Sort")
        for item in expected:
            assert item in text, item
        assert "config.toml" in str(app.screen.query_one("#help-config-path").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WorkflowListScreen)


async def test_palette_opens_a_workflow(app: OrchApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await palette_search(pilot, "Open workflow: Nightly")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, WorkflowDetailScreen)
        assert app.screen.workflow_id == "nightly-cleanup"


async def test_q_quits_and_closes_backend(app: OrchApp, backend: FaultyBackend) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running
    assert backend.closed


async def test_q_does_not_quit_from_detail(app: OrchApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_row(pilot, "greeting")
        await pilot.press("q")
        await pilot.pause()
        assert app.is_running
        assert isinstance(app.screen, WorkflowDetailScreen)


async def test_empty_backend_shows_empty_state(make_demo_backend: Callable[..., Backend], clock: Any) -> None:
    app = OrchApp(make_demo_backend(workflows=[]), clock=clock, refresh_interval=30)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert table_of(app).row_count == 0
        assert title_of(table_of(app)).startswith("Workflows (0)")
        assert "No workflows are deployed on this backend yet." in screen_text(pilot)


async def test_polls_on_a_chained_timer_only_while_visible(backend: FaultyBackend, clock: Any) -> None:
    app = OrchApp(backend, clock=clock, refresh_interval=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await wait_until(pilot, lambda: backend.calls.count("list_workflows") >= 3)
        app.open_workflow("greeting")
        await settle(pilot)
        hidden_from = backend.calls.count("list_workflows")
        await pilot.pause(0.4)
        assert backend.calls.count("list_workflows") <= hidden_from + 1
        await pilot.press("escape")
        await wait_until(pilot, lambda: backend.calls.count("list_workflows") >= hidden_from + 2)


async def test_the_footer_greys_run_in_place_on_an_unavailable_workflow(app: OrchApp) -> None:
    from textual.widgets._footer import FooterKey

    def footer_keys() -> dict[str, FooterKey]:
        return {key.key: key for key in app.screen.query(FooterKey)}

    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        table = table_of(app)
        table.move_cursor(row=table.get_row_index("greeting"))
        await settle(pilot)
        before = footer_keys()
        assert not before["x"].has_class("-disabled")
        table.move_cursor(row=table.get_row_index("legacy-sync"))
        await settle(pilot)
        after = footer_keys()
        # The same key widgets, the run key greyed; and back.
        assert all(after[key] is before[key] for key in before)
        assert after["x"].has_class("-disabled")
        table.move_cursor(row=table.get_row_index("greeting"))
        await settle(pilot)
        assert not footer_keys()["x"].has_class("-disabled") and footer_keys()["x"] is before["x"]
        # Keys that come and go (a filter to clear) still build the footer again.
        await pilot.press("slash")
        await settle(pilot)
        assert "escape" in footer_keys()
