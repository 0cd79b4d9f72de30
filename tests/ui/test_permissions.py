"""Pilot tests of permissions and read-only mode on the demo's users: what each user is offered,
why an action is greyed, the admin-only parts, the permission panel for a 403, and a read-only
context that offers no mutating action anywhere."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.widgets import Button, TabbedContent

from orch_tui.core.backend import Backend
from orch_tui.core.filters import SearchRequest, eq, page
from orch_tui.core.models import ProcessInstance
from orch_tui.ui.app import OrchApp
from orch_tui.ui.commands import OrchCommands
from orch_tui.ui.screens.execute import ExecuteScreen, Page
from orch_tui.ui.screens.help import HelpScreen
from orch_tui.ui.screens.run_detail import RunDetailScreen
from orch_tui.ui.screens.runs import RunListScreen
from orch_tui.ui.screens.workflow_detail import WorkflowDetailScreen
from orch_tui.ui.widgets.confirm import ConfirmDialog
from orch_tui.ui.widgets.failure import ErrorPanel, PermissionDialog
from orch_tui.ui.widgets.run_filters import RunFilterDialog
from orch_tui.ui.widgets.run_results import NextWorkflowTable
from orch_tui.ui.widgets.workflow_table import WorkflowTable
from ui_helpers import FaultyBackend, screen_text, settle

SIZE = (100, 30)
DENIED_ROTATE = "the permission policy denies you orchestrator.workflow.use for rotate-secrets"


def app_as(make_demo_backend: Callable[..., Backend], clock: Any, user: str | None, **options: Any) -> OrchApp:
    backend = FaultyBackend(make_demo_backend(user=user) if user else make_demo_backend())
    return OrchApp(backend, clock=clock, refresh_interval=3600, **options)


def notices(app: OrchApp) -> list[str]:
    return [n.message for n in app._notifications]


async def press_on(pilot: Any, workflow_id: str, key: str) -> None:
    table = pilot.app.screen.query_one(WorkflowTable)
    table.move_cursor(row=table.get_row_index(workflow_id))
    await pilot.pause()
    await pilot.press(key)
    await pilot.pause()


async def someone_elses(backend: Backend, mine: str, state: str | None = None) -> ProcessInstance:
    """A run another user started (one workflow's runs are not filtered by owner)."""
    for workflow in ("greeting", "flaky-deploy", "data-migration", "notify-team", "provision-environment"):
        request = SearchRequest(filters=eq("state", state) if state else None, paginationInfo=page(size=200))
        for run in (await backend.list_runs(request, workflow_id=workflow)).items:
            if run.initiatorEntity and run.initiatorEntity != mine:
                return run
    raise AssertionError("no run of another user")


async def open_palette(pilot: Any) -> list[str]:
    """The texts of every palette command the console offers over the current screen."""
    app: OrchApp = pilot.app
    screen = app.screen
    provider = OrchCommands(screen)
    return [command.text for command in provider._commands()]


# -- the three demo users -----------------------------------------------------------------------------


async def test_admin_is_offered_everything(make_demo_backend: Any, clock: Any) -> None:
    app = app_as(make_demo_backend, clock, "admin")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.check_action("run", ()) is True
        await press_on(pilot, "rotate-secrets", "enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, WorkflowDetailScreen) and detail.check_action("run", ()) is True
        assert detail.query_one(TabbedContent).get_tab("definition").display
        app.open_runs()
        await settle(pilot)
        runs = app.screen
        assert isinstance(runs, RunListScreen)
        assert len({run.initiatorEntity for run in runs.runs}) > 2  # everyone's runs
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, RunFilterDialog) and app.screen.query("#run-filter-run-by")


async def test_developer_is_denied_two_workflows_admin_views_and_others_runs(make_demo_backend: Any, clock: Any) -> None:
    app = app_as(make_demo_backend, clock, "developer")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        table = app.screen.query_one(WorkflowTable)
        table.move_cursor(row=table.get_row_index("greeting"))
        await pilot.pause()
        assert app.screen.check_action("run", ()) is True
        await press_on(pilot, "rotate-secrets", "x")
        assert app.screen.check_action("run", ()) is None  # greyed, not hidden
        assert notices(app)[-1] == f"Cannot run: {DENIED_ROTATE}"
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, WorkflowDetailScreen)
        assert str(detail.query_one("#field-run").render()) == f"unavailable — {DENIED_ROTATE}"
        # The definition is an admin view: its tab is not there, and 2 does nothing.
        assert not detail.query_one(TabbedContent).get_tab("definition").display
        await pilot.press("2")
        assert detail.query_one(TabbedContent).active == "overview"
        app.open_runs()
        await settle(pilot)
        runs = app.screen
        assert isinstance(runs, RunListScreen) and runs.runs
        assert {run.initiatorEntity for run in runs.runs} == {"user:default/bob"}
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, RunFilterDialog) and not app.screen.query("#run-filter-run-by")


async def test_viewer_sees_every_action_greyed_with_the_reason(make_demo_backend: Any, clock: Any) -> None:
    app = app_as(make_demo_backend, clock, "viewer")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await press_on(pilot, "greeting", "x")
        assert app.screen.check_action("run", ()) is None
        assert notices(app)[-1] == "Cannot run: the permission policy denies you orchestrator.workflow.use for greeting"
        runs = (await app.backend.list_runs(SearchRequest(filters=eq("state", "ERROR")))).items
        mine = next(run for run in runs if run.initiatorEntity == "user:default/carol")
        app.open_run(mine.id)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RunDetailScreen)
        for action in ("abort", "retrigger", "run_again"):
            assert screen.check_action(action, ()) is None, action
        await pilot.press("a")
        await pilot.pause()
        assert notices(app)[-1].startswith("Cannot abort: the permission policy denies you orchestrator.workflow.use")
        assert not screen.query_one(TabbedContent).get_tab("variables").display
        palette = await open_palette(pilot)
        assert not [text for text in palette if text.startswith(("Run workflow", "Abort", "Retrigger", "Run this"))]
        assert "abort" not in app.backend.calls  # type: ignore[attr-defined]


# -- 403: the permission panel ---------------------------------------------------------------------------


async def test_another_users_run_shows_the_permission_panel(make_demo_backend: Any, clock: Any) -> None:
    app = app_as(make_demo_backend, clock, "developer")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        other = await someone_elses(app.backend, "user:default/bob")
        app.open_run(other.id)
        await settle(pilot)
        panel = app.screen.query_one("#run-problem ErrorPanel", ErrorPanel)
        assert panel.has_class("permission-panel")
        lines = [str(line.render()) for line in panel.query("Static")]
        assert lines[0] == "⊘ Permission denied"
        assert lines[1].startswith("The backend said: Workflow instance")
        assert f"was initiated by '{other.initiatorEntity}', not by you ('user:default/bob')" in lines[1]
        assert lines[2] == "Permission needed: orchestrator.instanceAdminView"
        assert lines[3] == "It allows seeing every user's runs, not only your own."
        text = screen_text(pilot)
        assert "⊘ Permission denied" in text and "Permission needed: orchestrator.instanceAdminView" in text
        assert "Traceback" not in text and "PermissionDenied" not in text


async def test_a_refused_run_shows_the_permission_panel_above_the_form(make_demo_backend: Any, clock: Any) -> None:
    # The permission backend cannot be asked: the console is optimistic, the orchestrator refuses.
    app = app_as(make_demo_backend, clock, "viewer")
    app.backend.failing_calls.add("authorize")  # type: ignore[attr-defined]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_execute("nightly-cleanup")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ExecuteScreen) and form.page is Page.NO_INPUT
        assert form.check_action("run", ()) is True  # nobody said no: optimistic, as the web UI
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, ExecuteScreen)
        holder = form.query_one("#execute-error")
        assert holder.display and holder.has_class("permission-panel")
        text = screen_text(pilot)
        assert "The backend said: Unauthorized" in text
        assert "Permission needed: orchestrator.workflow.use for nightly-cleanup" in text
        assert "execute" in app.backend.calls  # type: ignore[attr-defined]


async def test_a_refused_abort_opens_the_permission_dialog(make_demo_backend: Any, clock: Any) -> None:
    app = app_as(make_demo_backend, clock, "viewer")
    app.backend.failing_calls.add("authorize")  # type: ignore[attr-defined]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        runs = (await app.backend.list_runs(SearchRequest(filters=eq("state", "ERROR")))).items
        mine = next(run for run in runs if run.initiatorEntity == "user:default/carol")
        app.open_run(mine.id)
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.click("#confirm-ok")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, PermissionDialog)
        assert dialog.failure.permission == "orchestrator.workflow.use"
        assert "Permission needed: orchestrator.workflow.use" in screen_text(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, RunDetailScreen)


# -- read-only ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["app", "backend"])
async def test_read_only_offers_no_mutating_action_anywhere(make_demo_backend: Any, clock: Any, where: str) -> None:
    if where == "app":
        app = app_as(make_demo_backend, clock, None, read_only=True)
    else:  # a read-only adapter makes a read-only console
        app = OrchApp(FaultyBackend(make_demo_backend(read_only=True)), clock=clock, refresh_interval=3600)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert app.read_only and "RO" in str(app.screen.query_one("#header-ro").render())
        assert app.screen.check_action("run", ()) is False and "x" not in app.screen.active_bindings
        palette = await open_palette(pilot)
        assert [text for text in palette if text.startswith("Open workflow")]
        assert not [text for text in palette if text.startswith("Run workflow")]
        app.open_workflow("greeting")
        await settle(pilot)
        assert app.screen.check_action("run", ()) is False
        runs = (await app.backend.list_runs(SearchRequest(filters=eq("state", "COMPLETED")))).items
        done = next(run for run in runs if run.processId == "greeting")
        app.open_run(done.id)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RunDetailScreen)
        for action in ("abort", "retrigger", "run_again"):
            assert screen.check_action(action, ()) is False
        assert not {"a", "t", "x"} & set(screen.active_bindings)
        footer = screen_text(pilot).splitlines()[-1]
        assert "Abort" not in footer and "Retrigger" not in footer and "Run again" not in footer
        for table in screen.query(NextWorkflowTable):
            assert table.check_action("choose", ()) is False
        palette = await open_palette(pilot)
        assert not [text for text in palette if text.startswith(("Abort", "Retrigger", "Run "))]
        app.action_help()
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert "Read-only context (RO)" in screen_text(pilot)
        described = {str(label.render()) for label in app.screen.query(".help-text")}
        assert {"Refresh", "Copy id", "Back"} <= described
        assert not {"Run", "Abort", "Retrigger", "Run again", "Run next workflow"} & described
        calls = app.backend.calls  # type: ignore[attr-defined]
        assert not {"execute", "abort", "retrigger"} & set(calls)


async def test_a_denied_form_keeps_run_greyed_with_the_reason(make_demo_backend: Any, clock: Any) -> None:
    app = app_as(make_demo_backend, clock, "developer")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        app.open_execute("rotate-secrets")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ExecuteScreen)
        await form._show_review()
        await settle(pilot)
        run = form.query_one("#execute-run", Button)
        assert run.display and run.disabled
        assert DENIED_ROTATE in str(form.query_one("#execute-status").render())
        assert form.check_action("run", ()) is None
        assert "execute" not in app.backend.calls  # type: ignore[attr-defined]


async def test_palette_offers_the_runs_actions_that_can_be_taken(make_demo_backend: Any, clock: Any) -> None:
    app = app_as(make_demo_backend, clock, None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        runs = (await app.backend.list_runs(SearchRequest(filters=eq("state", "ERROR")))).items
        app.open_run(runs[0].id)
        await settle(pilot)
        palette = await open_palette(pilot)
        assert "Abort this run" in palette and "Retrigger this run from its failed node" in palette
        assert [text for text in palette if text.startswith("Run workflow: ")]
        assert "Scope to an entity…" in palette
        assert isinstance(app.screen, RunDetailScreen)
