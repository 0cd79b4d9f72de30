"""Backend text is never markup: hostile names, descriptions and errors render literally."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from orch_tui.core.backend import Backend
from orch_tui.demo import DEFAULT_WORKFLOWS, DemoWorkflow
from orch_tui.ui.app import OrchApp
from orch_tui.ui.screens.workflow_detail import WorkflowDetailScreen
from orch_tui.ui.screens.workflows import WorkflowListScreen
from orch_tui.ui.widgets.workflow_table import WorkflowTable
from ui_helpers import FaultyBackend, screen_text, palette_search, settle

CLOSE_TAG = "[/]"
CLICK = "[@click=app.quit]x"

HOSTILE = [
    DemoWorkflow(id="hostile-close", name=CLOSE_TAG, description="deploy[prod] a[b] [bold red]pwned"),
    DemoWorkflow(id="hostile-click", name=CLICK, description="[@click=app.quit]click me[/]"),
]


@pytest.fixture
def backend(make_demo_backend: Callable[..., Backend]) -> FaultyBackend:
    return FaultyBackend(make_demo_backend(workflows=[*DEFAULT_WORKFLOWS, *HOSTILE]))


@pytest.fixture
def app(backend: FaultyBackend, clock: Any) -> OrchApp:
    return OrchApp(backend, clock=clock, refresh_interval=30)


async def click_row(pilot: Any, key: str) -> None:
    table = pilot.app.screen.query_one(WorkflowTable)
    row = table.get_row_index(key)
    # Inside the border, below the header row, on the name.
    await pilot.click(WorkflowTable, offset=(3, 2 + row))
    await pilot.pause()


async def test_hostile_names_render_literally_in_the_list(app: OrchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(WorkflowTable)
        assert table.get_cell("hostile-close", "name").plain == CLOSE_TAG
        assert table.get_cell("hostile-click", "name").plain == CLICK
        text = screen_text(pilot)
        assert CLOSE_TAG in text
        assert CLICK in text


async def test_clicking_hostile_names_does_not_quit(app: OrchApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "deploy[prod] a[b]" in screen_text(pilot)
        await click_row(pilot, "hostile-click")
        assert app.is_running
        assert isinstance(app.screen, WorkflowListScreen)
        # A second click on the highlighted row opens it.
        await click_row(pilot, "hostile-click")
        await settle(pilot)
        assert app.is_running
        screen = app.screen
        assert isinstance(screen, WorkflowDetailScreen)
        assert screen.workflow_id == "hostile-click"
        text = screen_text(pilot)
        assert f"Workflows › {CLICK}" in text
        assert "[@click=app.quit]click me[/]" in text
        await pilot.click("#detail-title", offset=(14, 0))
        await pilot.click("#field-description", offset=(2, 0))
        await pilot.pause()
        assert app.is_running


async def test_hostile_detail_renders_literally(app: OrchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_workflow("hostile-close")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WorkflowDetailScreen)
        assert str(screen.query_one("#detail-title").render()) == f"Workflows › {CLOSE_TAG}"
        assert str(screen.query_one("#field-description").render()) == "deploy[prod] a[b] [bold red]pwned"
        await pilot.press("2", "3")
        await settle(pilot)
        assert app.is_running


async def test_hostile_error_message_renders_literally(app: OrchApp, backend: FaultyBackend) -> None:
    async with app.run_test(size=(160, 24), notifications=True) as pilot:
        await settle(pilot)
        backend.message = f"{CLOSE_TAG} {CLICK} deploy[prod]"
        backend.failing = True
        await pilot.press("r")
        await settle(pilot)
        header = str(app.screen.query_one("#header-link").render())
        assert f"Backend unreachable: {CLOSE_TAG} {CLICK} deploy[prod]" in header
        app.open_workflow("greeting")
        await settle(pilot)
        text = screen_text(pilot)
        assert f"{CLOSE_TAG} {CLICK} deploy[prod]" in text
        assert app.is_running


async def test_palette_lists_hostile_names_literally(app: OrchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await palette_search(pilot, "Open workflow: [@click")
        assert f"Open workflow: {CLICK}" in screen_text(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.is_running
        assert isinstance(app.screen, WorkflowDetailScreen)
        assert app.screen.workflow_id == "hostile-click"
