"""With ``NO_COLOR`` set: SVG snapshots of the workflow list and a failed run (demo backend, frozen
clock), drawn in shades of grey only, and every status still a glyph and a word."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from orch_tui.core.backend import Backend
from orch_tui.core.filters import SearchRequest, eq, page
from orch_tui.ui.app import OrchApp
from ui.ui_helpers import settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]

SVG_FRAME = frozenset({"#ff5f57", "#febc2e", "#28c840", "#c5c8c6", "#292929"})
"""What the SVG export draws around the terminal itself: the window buttons, its default
foreground and the window background."""


@pytest.fixture(autouse=True)
def no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    """NO_COLOR is read when the app is created: set it before."""
    monkeypatch.setenv("NO_COLOR", "1")


def _app(make_demo_backend: Callable[..., Backend], clock: Callable[[], Any]) -> OrchApp:
    app = OrchApp(make_demo_backend(), clock=clock, refresh_interval=3600)
    assert app.no_color
    return app


def colours(svg: str) -> set[str]:
    """Every colour the SVG draws the terminal's cells with (the frame around them left out)."""
    return {colour.lower() for colour in re.findall(r"#[0-9a-fA-F]{6}\b", svg)} - SVG_FRAME


def assert_grey_only(svg: str) -> None:
    found = colours(svg)
    assert found, "the SVG has cells"
    coloured = sorted(c for c in found if not (c[1:3] == c[3:5] == c[5:7]))
    assert not coloured, f"colours other than shades of grey under NO_COLOR: {coloured}"


async def _failed_run(app: OrchApp) -> str:
    runs = await app.backend.list_runs(SearchRequest(filters=eq("state", "ERROR"), paginationInfo=page(size=100)))
    return next(run.id for run in runs.items if run.processId == "flaky-deploy")


def _checked(
    before: Callable[[Pilot[Any]], Awaitable[None]], svgs: list[str]
) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await before(pilot)
        svgs.append(pilot.app.export_screenshot())

    return run_before


async def _workflow_list(pilot: Pilot[Any]) -> None:
    await settle(pilot)


async def _run_failed(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    app = pilot.app
    assert isinstance(app, OrchApp)
    app.open_run(await _failed_run(app))
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_workflow_list_no_color(snap_compare: Any, make_demo_backend: Any, clock: Any, size: tuple[int, int]) -> None:
    svgs: list[str] = []
    assert snap_compare(_app(make_demo_backend, clock), terminal_size=size, run_before=_checked(_workflow_list, svgs))
    assert_grey_only(svgs[0])


@pytest.mark.parametrize("size", SIZES)
def test_run_failed_no_color(snap_compare: Any, make_demo_backend: Any, clock: Any, size: tuple[int, int]) -> None:
    svgs: list[str] = []
    assert snap_compare(_app(make_demo_backend, clock), terminal_size=size, run_before=_checked(_run_failed, svgs))
    assert_grey_only(svgs[0])


def _drawn(app: OrchApp) -> str:
    """What the terminal is sent, line filters (the NO_COLOR one among them) applied."""
    return "\n".join("".join(segment.text for segment in strip) for strip in app.screen._compositor.render_strips())


async def test_statuses_keep_glyph_and_word_without_colour(make_demo_backend: Any, clock: Any) -> None:
    from rich.style import Style

    app = _app(make_demo_backend, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        drawn = _drawn(app)
        for status in ("✔ Completed", "✖ Failed", "● Running", "◷ Pending", "ǁ Suspended", "⊘ Aborted",
                       "· Never run", "▲ Available", "▼ Unavailable"):
            assert status in drawn, status
        segments = [segment for strip in app.screen._compositor.render_strips() for segment in strip]
        for segment in segments:
            style = segment.style or Style()
            for colour in (style.color, style.bgcolor):
                if colour is not None and colour.triplet is not None:
                    red, green, blue = colour.triplet
                    assert red == green == blue, f"{segment.text!r} is drawn in colour"
        app.open_run(await _failed_run(app))
        await settle(pilot)
        drawn = _drawn(app)
        assert "✖ Failed" in drawn
        assert "✖" in drawn.split("✖ Failed", 1)[1], "the failed node is marked with a glyph as well"
