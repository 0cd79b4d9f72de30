"""The inline live view of `orch-tui watch`: redraws a run as it changes and ends with its outcome."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from conftest import FROZEN_NOW

from orch_tui.core.backend import Backend
from orch_tui.core.connect import demo_backend
from orch_tui.demo import ManualClock
from orch_tui.ui.watch import WatchApp


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(FROZEN_NOW)


@pytest.fixture
def make_demo_backend(clock: ManualClock) -> Callable[..., Backend]:
    return lambda **options: demo_backend(clock=clock, **options)


SEEN: list[str] = []


async def _follow(backend: Backend, clock: Any, run_id: str, *, timeout: float | None = None) -> WatchApp:
    run = await backend.get_run(run_id)
    app = WatchApp(backend, run, interval=0.05, timeout=timeout, clock=clock)
    SEEN.clear()
    async with app.run_test(size=(100, 20)) as pilot:
        for _ in range(200):
            if not app.is_running:
                break
            SEEN.append(str(app.query_one("#watch-summary").render()) + str(app.query_one("#watch-nodes").render()))
            clock.advance(seconds=1)
            await pilot.pause(0.02)
    return app


async def test_completed_run(make_demo_backend: Callable[..., Backend], clock: Any) -> None:
    backend = make_demo_backend()
    run_id = await backend.execute("greeting", {"language": "English", "name": "[/]"})
    app = await _follow(backend, clock, run_id)
    code, run = app.return_value
    assert code == 0 and run.status.value == "COMPLETED"
    assert any("Running" in frame for frame in SEEN) and any("✔ Start" in frame for frame in SEEN)


async def test_failed_and_timed_out(make_demo_backend: Callable[..., Backend], clock: Any) -> None:
    backend = make_demo_backend()
    failing = await backend.execute("flaky-deploy", {"service": "api", "simulatedFailures": 1})
    code, run = (await _follow(backend, clock, failing)).return_value
    assert code == 1 and run.error is not None

    slow = await backend.execute("data-migration", {})
    app = WatchApp(backend, await backend.get_run(slow), interval=0.05, timeout=0.2, clock=clock)
    async with app.run_test(size=(100, 20)) as pilot:
        for _ in range(200):  # the watch gives up after 0.2 s; a slow machine may take longer
            if not app.is_running:
                break
            await pilot.pause(0.05)
    assert app.return_value[0] == 3


async def test_ctrl_c_stops_watching(make_demo_backend: Callable[..., Backend], clock: Any) -> None:
    backend = make_demo_backend()
    slow = await backend.execute("data-migration", {})
    app = WatchApp(backend, await backend.get_run(slow), interval=0.05, timeout=None, clock=clock)
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.pause(0.2)
        assert "Database migration" in str(app.query_one("#watch-summary").render())
        await pilot.press("ctrl+c")
        await pilot.pause()
    code, run = app.return_value
    assert code == 3 and not run.status.is_final
