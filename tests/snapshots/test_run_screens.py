"""SVG snapshots of the runs list and the run detail at 80×24 and 120×40 (demo backend, frozen clock)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from orch_tui.core.backend import Backend
from orch_tui.core.filters import SearchRequest, eq, page
from orch_tui.ui.app import OrchApp
from ui.ui_helpers import settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def _app(make_demo_backend: Callable[..., Backend], clock: Callable[[], Any]) -> OrchApp:
    # A long interval: no refresh can land while the snapshot is taken.
    return OrchApp(make_demo_backend(), clock=clock, refresh_interval=3600)


async def _seeded_run(app: OrchApp, state: str, workflow: str) -> str:
    runs = await app.backend.list_runs(SearchRequest(filters=eq("state", state), paginationInfo=page(size=100)))
    return next(run.id for run in runs.items if run.processId == workflow)


def _open_run(state: str, workflow: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        app = pilot.app
        assert isinstance(app, OrchApp)
        app.open_run(await _seeded_run(app, state, workflow))
        await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_runs_list(snap_compare: Any, make_demo_backend: Any, clock: Any, size: tuple[int, int]) -> None:
    async def open_runs(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        app = pilot.app
        assert isinstance(app, OrchApp)
        app.open_runs()
        await settle(pilot)

    assert snap_compare(_app(make_demo_backend, clock), terminal_size=size, run_before=open_runs)


@pytest.mark.parametrize("size", SIZES)
def test_run_running(snap_compare: Any, make_demo_backend: Any, clock: Any, size: tuple[int, int]) -> None:
    run_before = _open_run("ACTIVE", "data-migration")
    assert snap_compare(_app(make_demo_backend, clock), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_run_failed(snap_compare: Any, make_demo_backend: Any, clock: Any, size: tuple[int, int]) -> None:
    run_before = _open_run("ERROR", "flaky-deploy")
    assert snap_compare(_app(make_demo_backend, clock), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_run_completed(snap_compare: Any, make_demo_backend: Any, clock: Any, size: tuple[int, int]) -> None:
    run_before = _open_run("COMPLETED", "greeting")
    assert snap_compare(_app(make_demo_backend, clock), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_run_progress(snap_compare: Any, make_demo_backend: Any, clock: Any, size: tuple[int, int]) -> None:
    open_failed = _open_run("ERROR", "flaky-deploy")

    async def run_before(pilot: Pilot[Any]) -> None:
        await open_failed(pilot)
        await pilot.press("2")
        await settle(pilot)

    assert snap_compare(_app(make_demo_backend, clock), terminal_size=size, run_before=run_before)
