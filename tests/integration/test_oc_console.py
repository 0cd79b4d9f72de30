"""The console itself (Textual Pilot) on the real orchestrator-core: browsing, and screens kept
fresh by the server's websocket hints alone (polling is set too slow to play a part)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

import pytest

from orch_tui.core.models import RunStatus
from orch_tui.core.orchestrator_core import CoreBackend
from orch_tui.ui.app import OrchApp
from orch_tui.ui.screens.run_detail import RunDetailScreen
from orch_tui.ui.screens.runs import RunListScreen

from .conftest import CREATE, NAP_TASK, Core

pytestmark = pytest.mark.integration

NO_POLLING = 3600.0


async def until(pilot: Any, check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {timeout}s")
        await pilot.pause(0.2)


def console() -> OrchApp:
    backend = CoreBackend(os.environ["ORCH_TUI_CORE_URL"], retries=0)
    return OrchApp(backend, context_name="core", refresh_interval=NO_POLLING)


async def test_a_run_on_screen_follows_the_websocket(core: Core) -> None:
    app = console()
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.live.state == "live", 15, "the event stream connects")
        await until(pilot, lambda: CREATE in app.workflows, 15, "the workflow list loads from the server")
        process_id = core.start(NAP_TASK, [{"seconds": 2}])
        app.open_run(process_id)
        await until(pilot, lambda: isinstance(app.screen, RunDetailScreen) and app.screen.run is not None,
                    15, "the run detail loads")
        screen = app.screen
        assert isinstance(screen, RunDetailScreen)
        await until(pilot, lambda: screen.run is not None and screen.run.status is RunStatus.COMPLETED,
                    30, "the run detail shows the run completed")
        assert "events" in str(screen.query_one("#header-link").render())


async def test_a_new_run_appears_in_the_runs_list(core: Core) -> None:
    app = console()
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.live.state == "live", 15, "the event stream connects")
        app.open_runs()
        await until(pilot, lambda: isinstance(app.screen, RunListScreen) and app.screen.loaded, 15,
                    "the runs list loads")
        screen = app.screen
        assert isinstance(screen, RunListScreen)
        process_id = core.start(NAP_TASK, [{"seconds": 0}])
        await until(pilot, lambda: process_id in {run.id for run in screen.runs}, 20,
                    "the new run is listed")
        await until(pilot, lambda: any(run.id == process_id and run.status is RunStatus.COMPLETED
                                       for run in screen.runs), 30, "the listed run completes")
