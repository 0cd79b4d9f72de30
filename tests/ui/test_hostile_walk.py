"""Every screen against the demo's hostile data: shown literally, nothing fired, no escapes out."""

from __future__ import annotations

import re
from typing import Any

from textual.pilot import Pilot

from orch_tui.core.connect import demo_backend
from orch_tui.ui.app import OrchApp
from orch_tui.ui.screens.execute import ExecuteScreen, Page
from orch_tui.ui.screens.run_detail import RunDetailScreen
from ui_helpers import screen_text, settle

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def check(pilot: Pilot[Any], where: str) -> str:
    text = screen_text(pilot)
    assert pilot.app.is_running, f"{where}: the app stopped"
    found = CONTROL.findall(text)
    assert not found, f"{where}: control characters reached the terminal: {found[:5]!r}"
    assert len(text) < 200_000, f"{where}: a long string was not cut"
    return text


async def test_every_screen_shows_hostile_text_literally() -> None:
    app = OrchApp(demo_backend(seed_runs=20, hostile=True))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        text = check(pilot, "workflow list")
        assert "[/]" in text or "[@click=app.quit]x" in text

        app.open_workflow("greeting")
        await settle(pilot)
        check(pilot, "workflow detail")

        app.open_execute("greeting", initial_data={"name": "[/] [@click=app.quit]x"})
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExecuteScreen) and screen.page is Page.STEP
        check(pilot, "run form")
        await pilot.press("ctrl+r")
        await settle(pilot)
        check(pilot, "review")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, RunDetailScreen)
        for _ in range(40):
            await pilot.pause(0.2)
            if "Completed" in screen_text(pilot):
                break
        check(pilot, "run detail")
        for tab in "2345":
            await pilot.press(tab)
            await settle(pilot)
            check(pilot, f"run detail tab {tab}")

        runs = await app.backend.list_runs()
        failed = next(run for run in runs.items if run.state is not None and run.state.value == "ERROR")
        app.open_run(failed.id)
        await settle(pilot)
        check(pilot, "failed run detail")
        for tab in "12345":
            await pilot.press(tab)
            await settle(pilot)
            check(pilot, f"failed run detail tab {tab}")

        app.open_runs()
        await settle(pilot)
        check(pilot, "runs list")
        await pilot.press("question_mark")
        await settle(pilot)
        check(pilot, "help")
    assert app.return_code in (None, 0)
