"""Pilot tests of the ops-terminal features: keymap overrides, the ``:`` command bar, list
filters, back/forward history, breadcrumbs, the too-small screen, ASCII glyphs, the API log."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from orch_tui.core.backend import Backend
from orch_tui.core.config import resolve_context
from orch_tui.ui.app import OrchApp
from orch_tui.ui.screens.command_line import CommandLine
from orch_tui.ui.screens.help import HelpScreen
from orch_tui.ui.screens.runs import RunListScreen
from orch_tui.ui.screens.workflows import WorkflowListScreen
from ui_helpers import screen_text, settle

SIZE = (100, 30)


@pytest.fixture
def backend(make_demo_backend: Callable[..., Backend]) -> Backend:
    return make_demo_backend()


def make_app(backend: Backend, clock: Any, **options: Any) -> OrchApp:
    return OrchApp(backend, clock=clock, refresh_interval=3600, **options)


# -- 1. keymap overrides ------------------------------------------------------


def test_config_keymap_table_is_read(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[keymap]\n"app.help" = "f1"\n', encoding="utf-8")
    path.chmod(0o600)
    context = resolve_context(config_path=path, environ={})
    assert context.keymap == {"app.help": "f1"}


async def test_keymap_override_rebinds_a_key(backend: Backend, clock: Any) -> None:
    app = make_app(backend, clock, keymap={"app.help": "f1", "workflows.all-runs": "ctrl+u"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen), "? no longer opens help"
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "f1Help" in screen_text(pilot)
        await pilot.press("escape")
        await pilot.press("ctrl+u")
        await settle(pilot)
        assert isinstance(app.screen, RunListScreen)


async def test_unknown_keymap_id_is_reported_not_fatal(backend: Backend, clock: Any) -> None:
    app = make_app(backend, clock, keymap={"no.such-binding": "f2", "app.help": "f1"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.keymap_problems == ["no.such-binding"]
        assert any("no.such-binding" in str(n.message) for n in app._notifications)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


# -- 2. the : command bar -------------------------------------------------------


async def command(pilot: Any, text: str) -> None:
    await pilot.press("colon")
    await pilot.pause()
    command_input = pilot.app.screen.query_one("#command-line-input", Input)
    command_input.value = text
    await pilot.press("enter")
    await settle(pilot)


async def test_command_aliases_and_unknown_command(backend: Backend, clock: Any) -> None:
    app = make_app(backend, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await command(pilot, "runs")
        assert isinstance(app.screen, RunListScreen)
        await command(pilot, "wf")
        assert isinstance(app.screen, WorkflowListScreen)
        await command(pilot, "frobnicate now")
        assert isinstance(app.screen, CommandLine), "the prompt stays open on an unknown command"
        assert "Unknown command :frobnicate" in screen_text(pilot)
        await pilot.press("escape")
        await command(pilot, "wf greet")
        from orch_tui.ui.screens.workflow_detail import WorkflowDetailScreen

        assert isinstance(app.screen, WorkflowDetailScreen)
        assert app.screen.workflow_id == "greeting"
        await command(pilot, "q")
    assert app.return_code == 0


async def test_command_completion_suggests_names(backend: Backend, clock: Any) -> None:
    app = make_app(backend, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("colon")
        await pilot.pause()
        await pilot.press("c", "t")
        await pilot.pause()
        await pilot.press("tab")
        await pilot.pause()
        assert app.screen.query_one("#command-line-input", Input).value == "ctx"


async def test_command_run_by_prefix(backend: Backend, clock: Any) -> None:
    from orch_tui.ui.screens.run_detail import RunDetailScreen

    app = make_app(backend, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await command(pilot, "runs")
        assert isinstance(app.screen, RunListScreen)
        run_id = app.screen.runs[0].id
        await command(pilot, f"run {run_id[:8]}")
        assert isinstance(app.screen, RunDetailScreen)
        assert app.screen.run_id == run_id


async def test_command_ctx_says_how_to_switch(
    backend: Backend, clock: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORCH_TUI_CONFIG", str(tmp_path / "none.toml"))
    app = make_app(backend, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await command(pilot, "ctx")
        assert isinstance(app.screen, CommandLine)
        text = screen_text(pilot)
        assert "Contexts: demo (current)" in text and ":ctx NAME switches" in text


async def test_command_open_link(backend: Backend, clock: Any) -> None:
    from orch_tui.ui.screens.workflow_detail import WorkflowDetailScreen

    app = make_app(backend, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await command(pilot, "open https://backstage.example.com/orchestrator/workflows/greeting")
        assert isinstance(app.screen, CommandLine), "another host's link is not opened here"
        assert "not the current context" in screen_text(pilot)
        await pilot.press("escape")
        await command(pilot, "open /orchestrator/workflows/greeting")
        assert isinstance(app.screen, WorkflowDetailScreen)


# -- 3. filters, history, breadcrumbs --------------------------------------------


async def test_history_back_and_forward(backend: Backend, clock: Any) -> None:
    from orch_tui.ui.screens.workflow_detail import WorkflowDetailScreen

    app = make_app(backend, clock)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        app.open_workflow("greeting")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, RunListScreen)
        assert "Workflows › Greeting workflow › Runs" in screen_text(pilot)
        await pilot.press("alt+left")  # [ pages on the runs list; alt+← goes back everywhere
        await settle(pilot)
        assert isinstance(app.screen, WorkflowDetailScreen)
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert isinstance(app.screen, WorkflowListScreen)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert isinstance(app.screen, WorkflowDetailScreen)
        assert app.screen.workflow_id == "greeting"
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert isinstance(app.screen, RunListScreen) and app.screen.workflow_id == "greeting"
        assert not app.forward
        await pilot.press("alt+left")
        await settle(pilot)
        await pilot.press("u")  # a new place: forward is forgotten
        await settle(pilot)
        assert not app.forward


async def test_api_log_lists_requests_and_filters(backend: Backend, clock: Any) -> None:
    from textual.widgets import DataTable

    from orch_tui.ui.screens.api_log import ApiLogScreen

    app = make_app(backend, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.api_log.entries, "the demo backend's requests are recorded"
        await pilot.press("at")
        await settle(pilot)
        assert isinstance(app.screen, ApiLogScreen)
        table = app.screen.query_one("#api-log-table", DataTable)
        total = table.row_count
        assert total == len(app.api_log.entries)
        text = screen_text(pilot)
        assert "/v2/workflows/overview" in text and "POST" in text
        assert "✔ 200" in text
        await pilot.press("slash")
        for key in "permission":
            await pilot.press(key)
        await pilot.pause()
        assert 0 < table.row_count < total
        assert f"{table.row_count}/{total}" in str(table.border_title)
        await pilot.press("escape")
        await pilot.pause()
        assert table.row_count == total
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WorkflowListScreen)


def test_api_log_is_bounded() -> None:
    from datetime import datetime, timezone

    from orch_tui.core.http import RequestRecord
    from orch_tui.ui.screens.api_log import ApiLog

    log = ApiLog(size=3)
    for number in range(5):
        log.add(datetime.now(timezone.utc), RequestRecord("GET", f"/p/{number}", 200, 1.0))
    assert [entry.record.path for entry in log.entries] == ["/p/2", "/p/3", "/p/4"]


# -- 4. terminal reality ----------------------------------------------------------


async def test_too_small_terminal_screen(backend: Backend, clock: Any) -> None:
    from orch_tui.ui.terminal import TooSmallScreen

    app = make_app(backend, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, WorkflowListScreen)
        await pilot.resize_terminal(60, 20)
        await settle(pilot)
        assert isinstance(app.screen, TooSmallScreen)
        text = screen_text(pilot)
        assert "Terminal too small: 60×20" in text and "80×24" in text
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen), "keys wait until the terminal is big enough"
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert isinstance(app.screen, WorkflowListScreen)


async def test_too_small_at_start(backend: Backend, clock: Any) -> None:
    from orch_tui.ui.terminal import TooSmallScreen

    app = make_app(backend, clock)
    async with app.run_test(size=(70, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TooSmallScreen)


async def test_ascii_mode_draws_no_symbols(backend: Backend, clock: Any) -> None:
    app = make_app(backend, clock, ascii_only=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        lines = [
            "".join(segment.text for segment in strip)
            for strip in app.screen._compositor.render_strips()  # what the terminal is sent
        ]
        drawn = "\n".join(lines)
        assert "+ Completed" in drawn or "x Failed" in drawn
        for glyph in "✔✖●◷ǁ⊘▲▼╭╮╰╯│─":
            assert glyph not in drawn
        assert drawn.isascii() or all(ord(c) < 0x2190 or c.isalpha() for c in drawn)


def test_ascii_text_keeps_letters() -> None:
    from orch_tui.ui.terminal import ascii_text

    assert ascii_text("✔ Completed · café › ╭─╮") == "+ Completed . café > +-+"
