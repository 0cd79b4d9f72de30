"""The engine badge, the runs list's views (Active, Completed, Tasks) and "Retry failed tasks",
on the orchestrator-core adapter replaying recorded exchanges (and ones crafted in their shape):
offered by the backend's capabilities, absent on the demo (Backstage) backend, refused with the
reason in a read-only context."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import httpx
from textual.widgets import Input, Label

from orch_tui.core.orchestrator_core import CoreBackend
from orch_tui.core.run_query import RunView
from orch_tui.ui.app import OrchApp
from orch_tui.ui.commands import OrchCommands
from orch_tui.ui.screens.command_line import CommandLine
from orch_tui.ui.screens.runs import RunListScreen
from orch_tui.ui.screens.workflows import WorkflowListScreen
from orch_tui.ui.widgets.confirm import ConfirmDialog
from orch_tui.ui.widgets.header import ENGINE_ID
from orch_tui.ui.widgets.run_filters import RunFilters, RunListQuery
from test_core_backend import URL, LenientReplay, recorded
from ui_helpers import screen_text, settle, wait_until

_CRAFTED = Path(__file__).parents[1] / "core" / "oc" / "crafted.py"
_spec = importlib.util.spec_from_file_location("oc_crafted_for_ui", _CRAFTED)
assert _spec is not None and _spec.loader is not None
crafted = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = crafted
_spec.loader.exec_module(crafted)

SIZE = (130, 45)
DEFAULT_QUERY = [["range", "0,20"], ["sort", "startedAt,desc"]]


def engine(**changes: Any) -> list[dict[str, Any]]:
    return crafted.engine_exchanges(recorded("workflows/engine_status"), **changes)


def runs_lists() -> list[dict[str, Any]]:
    """Every run (the recorded page with two tasks on top), and the tasks alone."""
    template = recorded("lists/list_runs_default")[0]
    tasks = crafted.task_rows(template)
    return [
        crafted.runs_list_exchange(DEFAULT_QUERY, tasks + template["response"]["body"], template),
        crafted.runs_list_exchange(crafted.TASKS_QUERY, tasks, template),
    ]


def make_app(exchanges: list[dict[str, Any]], **options: Any) -> tuple[OrchApp, LenientReplay]:
    handler = LenientReplay(exchanges + recorded("workflows/list_workflows", "workflows/translations"))
    backend = CoreBackend(URL, transport=httpx.MockTransport(handler), retries=0,
                          read_only=options.pop("read_only", False))
    return OrchApp(backend, context_name="core", refresh_interval=3600, **options), handler


def badge(app: OrchApp) -> Label:
    return app.screen.query_one(f"#{ENGINE_ID}", Label)


def badge_text(app: OrchApp) -> str:
    label = badge(app)
    return str(label.render()) if label.display else ""


def list_state(app: OrchApp) -> dict[str, object]:
    """What the workflow list shows and why, for a failure to say."""
    screen = app.screen
    table = screen.table if isinstance(screen, WorkflowListScreen) else None
    return {
        "screen": type(screen).__name__, "rows": table.row_count if table else None,
        "loading": table.loading if table else None, "covered": bool(table and table._cover_widget),
        "workers": [worker.description for worker in app.workers], "text": screen_text(app),
    }


def notices(app: OrchApp) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


def palette(app: OrchApp) -> list[str]:
    return [entry.text for entry in OrchCommands(app.screen)._commands()]


def sent_lists(handler: LenientReplay) -> list[dict[str, str]]:
    return [dict(key["query"]) for key in handler.sent if key["method"] == "GET" and key["path"] == "/processes/"
            and ("filter", "workflowName,create_lab_node") not in key["query"]
            and not any(value.startswith("workflowName,") for name, value in key["query"] if name == "filter")]


def puts(handler: LenientReplay) -> list[str]:
    return [key["path"] for key in handler.sent if key["method"] == "PUT"]


async def test_the_badge_shows_the_engine_and_a_refresh_fetches_it_again() -> None:
    app, handler = make_app([*engine(), *engine(global_status="PAUSED", global_lock=True, task_counts={"failed": 2})])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert badge_text(app) == "▶ running"
        assert "engine-running" in badge(app).classes
        await pilot.press("r")
        await settle(pilot)
        assert badge_text(app) == "⏸ paused · 2 failed tasks"
        assert "engine-paused" in badge(app).classes
        assert [key["path"] for key in handler.sent].count("/settings/status") == 2


async def test_an_engine_that_cannot_be_fetched_is_unknown_not_a_crash() -> None:
    app, _ = make_app([])  # /settings/status is not recorded: the server answers an error
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert badge_text(app) == "? engine" and "engine-unknown" in badge(app).classes
        assert not any("settings/status" in message for message in notices(app))
        # The list is there all the same.
        await wait_until(pilot, lambda: "Create lab node" in screen_text(app), explain=lambda: list_state(app))


async def test_the_badge_gives_way_at_80x24() -> None:
    app, _ = make_app(engine(global_status="PAUSED", global_lock=True, task_counts={"failed": 12}), read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        header = app.screen.query_one("#app-header")
        link = app.screen.query_one("#header-link", Label)
        shown = badge_text(app)
        assert shown.startswith("⏸ paused") and "12" in shown
        assert badge(app).region.right <= link.region.x
        assert link.region.x + len(str(link.render())) <= 80
        assert header.query_one("#header-ro").display
        first_line = screen_text(app)[:80]
        assert "⏸ paused" in first_line


async def test_ascii_badge() -> None:
    app, _ = make_app(engine(global_status="PAUSING", global_lock=True, running=1), ascii_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert badge_text(app) == "⏸ pausing"
        text = screen_text(app)
        assert "= pausing" in text and "⏸" not in text


async def test_the_tasks_view_lists_only_tasks_and_sends_the_filter() -> None:
    app, handler = make_app([*engine(), *runs_lists()])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_runs()
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RunListScreen)
        assert str(screen.table.border_title).startswith("All runs")
        assert screen.check_action("view", ("tasks",)) is True
        assert screen.check_action("retry_tasks", ()) is False  # only in the Tasks view
        await pilot.press("4")
        await settle(pilot)
        assert screen.query_state.view is RunView.TASKS
        assert str(screen.table.border_title).startswith("Tasks (2)")
        assert [run.id for run in screen.runs] == [crafted.FAILED_TASK, crafted.DONE_TASK]
        assert all(run.is_task for run in screen.runs)  # type: ignore[attr-defined]
        assert sent_lists(handler)[-1] == {"filter": "isTask,true", "range": "0,20", "sort": "startedAt,desc"}
        text = screen_text(app)
        assert "Lab nap task" in text and "Create lab node" not in text
        assert "Retry failed tasks" in text  # in the footer, in this view

        await pilot.press("2")
        await settle(pilot)
        assert str(screen.table.border_title).startswith("Active runs")
        assert sent_lists(handler)[-1]["filter"] == (
            "lastStatus,running|resumed|failed|api_unavailable|inconsistent_data|suspended|waiting|"
            "awaiting_callback|created"
        )
        await pilot.press("3")
        await settle(pilot)
        assert str(screen.table.border_title).startswith("Completed runs")
        assert sent_lists(handler)[-1]["filter"] == "lastStatus,completed|aborted"
        await pilot.press("1")
        await settle(pilot)
        assert "filter" not in sent_lists(handler)[-1]


async def test_retry_failed_tasks_asks_first_and_says_how_many() -> None:
    resume_all = crafted.resume_all_exchange(recorded("runs/retry_all_failed_tasks"), 2)
    app, handler = make_app([*engine(task_counts={"failed": 2}), *runs_lists(), resume_all, *engine()])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert badge_text(app) == "▶ running · 2 failed tasks"
        app.open_runs(view=RunView.TASKS)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RunListScreen) and screen.check_action("retry_tasks", ()) is True

        await pilot.press("t")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "2 failed tasks" in str(dialog.message)
        await pilot.press("escape")  # Cancel: nothing is sent
        await settle(pilot)
        assert app.screen is screen and puts(handler) == []

        await pilot.press("t")
        await settle(pilot)
        await pilot.press("tab", "enter")  # Cancel is focused: move to Retry failed tasks
        await settle(pilot)
        assert puts(handler) == ["/processes/resume-all"]
        assert "Retrying 2 failed tasks." in notices(app)
        assert badge_text(app) == "▶ running"  # the engine was asked again


async def test_read_only_refuses_retrying_tasks_with_the_reason() -> None:
    app, handler = make_app([*engine(task_counts={"failed": 1}), *runs_lists()], read_only=True)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        app.open_runs(view=RunView.TASKS)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RunListScreen)
        assert screen.check_action("retry_tasks", ()) is False
        assert "Retry failed tasks" not in screen_text(app)
        await pilot.press("t")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmDialog)
        assert (
            "Cannot retry failed tasks: read-only context: failed tasks are not retried from here" in notices(app)
        )
        assert "Retry failed tasks" not in palette(app) and "Tasks" in palette(app)
        assert puts(handler) == []


async def test_tasks_from_the_command_line_and_the_palette() -> None:
    app, _ = make_app([*engine(), *runs_lists()])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Retry failed tasks" in palette(app) and "Tasks" in palette(app)
        await pilot.press("colon")
        await pilot.pause()
        app.screen.query_one("#command-line-input", Input).value = "tasks"
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RunListScreen) and screen.query_state.view is RunView.TASKS
        assert len(screen.runs) == 2


async def test_the_demo_has_no_badge_no_tasks_view_and_no_retry(make_demo_backend: Any, clock: Any) -> None:
    app = OrchApp(make_demo_backend(), clock=clock, refresh_interval=3600)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert not app.screen.query(f"#{ENGINE_ID}") and app.engine is None
        assert "Retry failed tasks" not in palette(app) and "Tasks" not in palette(app)
        app.open_runs()
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RunListScreen)
        assert screen.check_action("view", ("tasks",)) is False
        assert screen.check_action("retry_tasks", ()) is False
        await pilot.press("4")
        await settle(pilot)
        assert screen.query_state.view is RunView.ALL
        assert "No Tasks view: this orchestrator has no tasks" in notices(app)
        await pilot.press("t")
        await pilot.pause()
        assert "Cannot retry failed tasks: this orchestrator has no tasks" in notices(app)
        await pilot.press("2")  # the status views work on every backend
        await settle(pilot)
        assert str(screen.table.border_title).startswith("Active runs")
        assert all(not run.status.is_final or run.status.value == "ERROR" for run in screen.runs)
        await pilot.press("colon")
        await pilot.pause()
        app.screen.query_one("#command-line-input", Input).value = "tasks"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CommandLine)
        assert "no tasks" in str(app.screen.query_one("#command-line-error").render())


def test_a_view_and_the_status_filter_never_contradict() -> None:
    failed = RunListQuery().with_filters(RunFilters(status=RunView.ACTIVE.statuses[1]))
    assert failed.with_view(RunView.ACTIVE).filters.status is not None
    assert failed.with_view(RunView.COMPLETED).filters.status is None
    completed_view = RunListQuery().with_view(RunView.COMPLETED)
    assert completed_view.with_filters(RunFilters(status=RunView.ACTIVE.statuses[0])).view is RunView.ALL
    tasks = RunListQuery().with_view(RunView.TASKS).with_filters(RunFilters(status=RunView.ACTIVE.statuses[1]))
    assert tasks.view is RunView.TASKS and tasks.filters.status is not None
