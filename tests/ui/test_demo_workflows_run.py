"""Every demo workflow opens, validates and runs from the console, as a user would drive it."""

from __future__ import annotations

from typing import Any

import pytest

from orch_tui.core.connect import demo_backend
from orch_tui.core.forms import FormModel
from orch_tui.demo import DEFAULT_WORKFLOWS, DemoWorkflow
from orch_tui.ui.app import OrchApp
from orch_tui.ui.screens.execute import ExecuteScreen, Page
from orch_tui.ui.screens.run_detail import RunDetailScreen
from ui_helpers import FaultyBackend, settle, settle_fetches


class Recording(FaultyBackend):
    def __init__(self) -> None:
        super().__init__(demo_backend(seed_runs=0))
        self.executed: list[tuple[str, dict[str, Any]]] = []

    async def execute(self, workflow_id: str, input_data: dict[str, Any], **options: Any) -> str:
        self.executed.append((workflow_id, input_data))
        return await self._inner.execute(workflow_id, input_data, **options)


async def open_form(app: OrchApp, pilot: Any, workflow: DemoWorkflow, data: Any = None) -> ExecuteScreen:
    app.open_execute(workflow.id, initial_data=data)
    await settle_fetches(pilot)
    screen = app.screen
    assert isinstance(screen, ExecuteScreen)
    return screen


@pytest.mark.parametrize("workflow", DEFAULT_WORKFLOWS, ids=lambda w: w.id)
async def test_demo_workflow_opens_validates_and_runs(workflow: DemoWorkflow) -> None:
    backend = Recording()
    app = OrchApp(backend)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)

        # Empty: Run is refused with the problems listed, nothing sent.
        screen = await open_form(app, pilot, workflow)
        if not workflow.available:
            # Its service is down: the backend cannot give the form; the console says why.
            assert screen.page is Page.FAILED and screen.query("#execute-load-error")
            return
        if workflow.input_schema is None:
            assert screen.page is Page.NO_INPUT
        else:
            assert screen.page is Page.STEP
            if FormModel(workflow.input_schema).validate():
                await pilot.press("ctrl+r")
                await settle(pilot)
                assert screen.page is Page.STEP
                assert screen.form is not None and screen.form.problems
        assert backend.executed == []
        await pilot.press("escape")
        await settle(pilot)

        # With a sample input: to the review, then Run.
        sample = dict(workflow.sample_inputs[0])
        screen = await open_form(app, pilot, workflow, sample if workflow.input_schema else None)
        if workflow.input_schema is not None:
            await pilot.press("ctrl+r")
            await settle_fetches(pilot)
            assert screen.page is Page.REVIEW, screen.form.problems if screen.form else None
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert [workflow_id for workflow_id, _ in backend.executed] == [workflow.id]
        assert isinstance(app.screen, RunDetailScreen)
