"""Every available demo workflow opens in the run form, validates its sample inputs and runs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from ui_helpers import settle

from orch_tui.core.backend import Backend
from orch_tui.demo import DEFAULT_WORKFLOWS
from orch_tui.ui.app import OrchApp
from orch_tui.ui.screens.execute import ExecuteScreen, Page
from orch_tui.ui.screens.run_detail import RunDetailScreen

RUNNABLE = [w for w in DEFAULT_WORKFLOWS if w.available]


@pytest.mark.parametrize("workflow", RUNNABLE, ids=[w.id for w in RUNNABLE])
async def test_demo_workflow_opens_validates_and_runs(
    workflow: Any, make_demo_backend: Callable[..., Backend], clock: Any
) -> None:
    backend = make_demo_backend()
    app = OrchApp(backend, clock=clock, refresh_interval=30)
    sample = dict(workflow.sample_inputs[0])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_execute(workflow.id, initial_data=sample)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExecuteScreen)
        if workflow.input_schema:
            assert screen.model is not None
            assert screen.model.validate() == [], [(e.path, e.message) for e in screen.model.validate()]
            await pilot.press("ctrl+r")
            await settle(pilot)
            assert screen.page is Page.REVIEW
        else:
            assert screen.page is Page.NO_INPUT
        await pilot.press("ctrl+r")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, RunDetailScreen), type(detail)
        run = await backend.get_run(detail.run_id)
    assert run.processId == workflow.id
    data = run.workflowdata or {}
    sent = {k: v for k, v in sample.items() if k in (workflow.input_schema or {}).get("properties", {})}
    assert contains(data, sent), (data, sent)


def contains(actual: Any, expected: Any) -> bool:
    """``expected`` is in ``actual``, which may also hold schema defaults the form filled in."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(k in actual and contains(actual[k], v) for k, v in expected.items())
    if isinstance(expected, list):
        return isinstance(actual, list) and len(actual) == len(expected) and all(
            contains(a, e) for a, e in zip(actual, expected, strict=True)
        )
    return bool(actual == expected)
