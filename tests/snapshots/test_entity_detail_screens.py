"""SVG snapshot of the entity detail screen at 80×24 (demo backend, frozen clock)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from orch_tui.core.backend import Backend
from orch_tui.core.entity import parse_entity_ref
from orch_tui.ui.app import OrchApp
from orch_tui.ui.screens.entity_detail import EntityDetailScreen
from ui.ui_helpers import settle


def test_entity_detail(snap_compare: Any, make_demo_backend: Callable[..., Backend], clock: Any) -> None:
    async def open_detail(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.push_screen(EntityDetailScreen(parse_entity_ref("component:payments-api")))
        await settle(pilot)

    app = OrchApp(make_demo_backend(), clock=clock, refresh_interval=3600)
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_detail)
