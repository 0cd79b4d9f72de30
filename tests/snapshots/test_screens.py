"""SVG snapshots of the main screens at 80×24 and 120×40, on the demo backend with a frozen clock."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from orch_tui.core.backend import Backend
from orch_tui.ui.app import OrchApp
from ui.ui_helpers import settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def _app(make_demo_backend: Callable[..., Backend], clock: Callable[[], Any]) -> OrchApp:
    # A long interval: no refresh can land while the snapshot is taken.
    return OrchApp(make_demo_backend(), clock=clock, refresh_interval=3600)


@pytest.mark.parametrize("size", SIZES)
def test_workflow_list(snap_compare: Any, make_demo_backend: Any, clock: Any, size: tuple[int, int]) -> None:
    assert snap_compare(_app(make_demo_backend, clock), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_workflow_detail(snap_compare: Any, make_demo_backend: Any, clock: Any, size: tuple[int, int]) -> None:
    async def open_detail(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        app = pilot.app
        assert isinstance(app, OrchApp)
        app.open_workflow("greeting")
        await settle(pilot)

    assert snap_compare(_app(make_demo_backend, clock), terminal_size=size, run_before=open_detail)


@pytest.mark.parametrize("size", SIZES)
def test_workflow_list_remembered_while_connecting(
    snap_compare: Any, make_demo_backend: Any, clock: Any, size: tuple[int, int]
) -> None:
    """A start from the start snapshot: its rows, marked as remembered, before the backend is there."""
    import asyncio

    from orch_tui.core.pending import PendingBackend
    from orch_tui.core.start_snapshot import StartSettings, parse_snapshot, snapshot_record

    demo = make_demo_backend()
    workflows = asyncio.run(demo.list_workflows())
    snapshot = parse_snapshot(snapshot_record(StartSettings("demo", False, 3600), demo.info, workflows))
    # No way to build the backend: the screen stays as it is before the backend answers.
    app = OrchApp(PendingBackend(demo.info), clock=clock, refresh_interval=3600, remembered=snapshot)

    async def shown(pilot: Pilot[Any]) -> None:
        from orch_tui.ui.widgets.workflow_table import WorkflowTable

        for _ in range(200):
            if pilot.app.screen.query_one(WorkflowTable).row_count:
                break
            await pilot.pause(0.01)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=shown)
