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

        interval = app.refresh_interval
        # a fault is noticed when its request ends: at worst a slow answer's delay after it is drawn
        noticed_within = interval + chaos.slow_seconds + 1.0  # plus room for a loaded machine
        chaos.enabled = True
        seen_stale = False
        first_fault: float | None = None
        first_stale: float | None = None
        deadline = time.monotonic() + 4.0
        while time.monotonic() < deadline:
            await pilot.pause(0.05)
            assert app.is_running
            keys = table.keys_in_order
            assert len(keys) == len(set(keys)), "a row appeared twice"
            assert len(keys) == 20, "rows were lost"
            if first_fault is None and sum(chaos.counts[f] for f in ("error", "slow", "reset")):
                first_fault = time.monotonic()
            if app.link.stale:
                seen_stale = True
                first_stale = first_stale or time.monotonic()
                assert "STALE" in header_text(app), "stale data is marked as such"
        assert first_fault is not None and seen_stale and first_stale is not None
        assert first_stale - first_fault <= noticed_within, "STALE shows within one interval of a failure"
        # a failed poll is retried after one interval, not a growing backoff
        assert app.link.retry_at is None or (app.link.retry_at.timestamp() - time.time()) <= interval + 0.05

        chaos.enabled = False
        stopped = time.monotonic()
        while app.link.stale and time.monotonic() < stopped + 5:
            await pilot.pause(0.02)
        assert not app.link.stale, "data recovers once the faults stop"
        assert time.monotonic() - stopped <= noticed_within, "data recovers within one interval after the faults stop"
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
