"""The console under the demo's fault injection: it keeps going, says when data is stale,
recovers when the faults stop, never duplicates or loses rows, and never loses form data."""

from __future__ import annotations

import time
from orch_tui.core.connect import demo_backend
from orch_tui.demo.chaos import Chaos
from orch_tui.ui.app import OrchApp
from orch_tui.ui.screens.execute import ExecuteScreen, Page
from orch_tui.ui.screens.runs import RunListScreen
from orch_tui.ui.widgets.run_table import RunTable
from ui_helpers import settle


def header_text(app: OrchApp) -> str:
    return str(app.screen.query_one("#header-link").render())


async def test_runs_monitor_survives_chaos_and_recovers() -> None:
    chaos = Chaos(0.4, seed=11, slow_seconds=0.3)
    backend = demo_backend(seed_runs=40, chaos=chaos)
    app = OrchApp(backend, refresh_interval=0.2)
    async with app.run_test(size=(120, 40)) as pilot:
        chaos.enabled = False
        await settle(pilot)
        app.open_runs()
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RunListScreen)
        table = screen.query_one(RunTable)
        expected = set(table.keys_in_order)
        assert len(expected) == 20

        chaos.enabled = True
        seen_stale = False
        deadline = time.monotonic() + 4.0
        while time.monotonic() < deadline:
            await pilot.pause(0.05)
            assert app.is_running
            keys = table.keys_in_order
            assert len(keys) == len(set(keys)), "a row appeared twice"
            assert len(keys) == 20, "rows were lost"
            if app.link.stale:
                seen_stale = True
                assert "STALE" in header_text(app), "stale data is marked as such"
        faults = sum(chaos.counts[fault] for fault in ("error", "slow", "reset"))
        assert faults > 0 and seen_stale

        chaos.enabled = False
        retry_at = app.link.retry_at
        wait = (retry_at.timestamp() - time.time()) if retry_at is not None else 0.0
        deadline = time.monotonic() + max(0.0, wait) + 1.5
        while app.link.stale and time.monotonic() < deadline:
            await pilot.pause(0.05)
        assert not app.link.stale, "data recovers once the faults stop, at the announced retry"
        assert "STALE" not in header_text(app)
        assert set(table.keys_in_order) == expected


async def test_a_submit_that_hits_a_fault_keeps_every_value() -> None:
    chaos = Chaos(1.0, seed=1)
    backend = demo_backend(seed_runs=0, chaos=chaos)
    app = OrchApp(backend)
    async with app.run_test(size=(100, 40)) as pilot:
        chaos.enabled = False
        await settle(pilot)
        app.open_execute("greeting", initial_data={"language": "German", "name": "Ada"})
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExecuteScreen)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert screen.page is Page.REVIEW
        chaos.enabled = True
        chaos.draw = lambda: "reset"  # type: ignore[method-assign]
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.screen is screen and screen.query_one("#execute-error").display
        assert screen.model is not None and screen.model.data == {"language": "German", "name": "Ada"}
        del chaos.draw  # back to the plan, now switched off
        chaos.enabled = False
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.screen is not screen, "the same values run once the backend answers"
