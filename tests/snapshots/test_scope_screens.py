"""SVG snapshots of the entity-scoped workflow list and the permission panel, at 80×24 and 120×40
(demo backend, frozen clock)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from orch_tui.core.backend import Backend
from orch_tui.core.entity import parse_entity_ref
from orch_tui.core.filters import SearchRequest, page
from orch_tui.ui.app import OrchApp
from ui.ui_helpers import settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.mark.parametrize("size", SIZES)
def test_scoped_workflow_list(snap_compare: Any, make_demo_backend: Callable[..., Backend], clock: Any,
                              size: tuple[int, int]) -> None:
    app = OrchApp(make_demo_backend(), clock=clock, refresh_interval=3600,
                  entity=parse_entity_ref("component:payments-api"))
    assert snap_compare(app, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_permission_panel(snap_compare: Any, make_demo_backend: Callable[..., Backend], clock: Any,
                          size: tuple[int, int]) -> None:
    async def open_someone_elses_run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        app = pilot.app
        assert isinstance(app, OrchApp) and app.backend is not None
        runs = await app.backend.list_runs(SearchRequest(paginationInfo=page(size=200)), workflow_id="greeting")
        other = next(run for run in runs.items if run.initiatorEntity not in (None, "user:default/bob"))
        app.open_run(other.id)
        await settle(pilot)

    app = OrchApp(make_demo_backend(user="developer"), clock=clock, refresh_interval=3600)
    assert snap_compare(app, terminal_size=size, run_before=open_someone_elses_run)
