"""SVG snapshots of the run form at 80×24 and 120×40, on the demo backend with a frozen clock."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from orch_tui.core.backend import Backend
from orch_tui.ui.app import OrchApp
from ui.ui_helpers import settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor would make every snapshot a coin toss."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    monkeypatch.setattr(TextArea, "_toggle_cursor", lambda self: None, raising=False)


def _app(make_demo_backend: Callable[..., Backend], clock: Callable[[], Any]) -> OrchApp:
    # A long interval: no refresh can land while the snapshot is taken.
    return OrchApp(make_demo_backend(), clock=clock, refresh_interval=3600)


def _open(workflow_id: str, *then: Callable[[Pilot[Any]], Awaitable[None]]) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        app = pilot.app
        assert isinstance(app, OrchApp)
        app.open_execute(workflow_id)
        await settle(pilot)
        for step in then:
            await step(pilot)
            await settle(pilot)

    return run_before


async def _next(pilot: Pilot[Any]) -> None:
    await pilot.click("#execute-next")


async def _type_name(pilot: Pilot[Any]) -> None:
    form = getattr(pilot.app.screen, "form", None)
    assert form is not None
    form.box_at(("name",)).query_one(Input).focus()
    await pilot.pause()
    await pilot.press(*"Ada")


@pytest.mark.parametrize("size", SIZES)
def test_single_step_form(snap_compare: Any, make_demo_backend: Any, clock: Any, size: tuple[int, int]) -> None:
    assert snap_compare(_app(make_demo_backend, clock), terminal_size=size, run_before=_open("greeting"))


@pytest.mark.parametrize("size", SIZES)
def test_wizard_step(snap_compare: Any, make_demo_backend: Any, clock: Any, size: tuple[int, int]) -> None:
    run_before = _open("provision-environment")
    assert snap_compare(_app(make_demo_backend, clock), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_review_step(snap_compare: Any, make_demo_backend: Any, clock: Any, size: tuple[int, int]) -> None:
    run_before = _open("greeting", _type_name, _next)
    assert snap_compare(_app(make_demo_backend, clock), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_required_field_error(snap_compare: Any, make_demo_backend: Any, clock: Any, size: tuple[int, int]) -> None:
    run_before = _open("provision-environment", _next)
    assert snap_compare(_app(make_demo_backend, clock), terminal_size=size, run_before=run_before)
