"""Themes: the one asked for at start (``--theme``, ``ORCH_TUI_THEME``, the config's ``theme``),
the ANSI ones that follow the terminal's colours, and an unknown name said, not fatal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ui_helpers import settle

from orch_tui.core.backend import Backend
from orch_tui.ui.app import OrchApp
from orch_tui.ui.screens.workflows import WorkflowListScreen


async def test_an_ansi_theme_follows_the_terminal(make_demo_backend: Callable[..., Backend], clock: Any) -> None:
    app = OrchApp(make_demo_backend(), clock=clock, theme_name="ansi-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme == "ansi-dark"
        assert app.current_theme.name == "ansi-dark" and "ansi" in app.pseudo_classes
        assert isinstance(app.screen, WorkflowListScreen)


async def test_an_unknown_theme_is_said_and_the_default_kept(
    make_demo_backend: Callable[..., Backend], clock: Any
) -> None:
    app = OrchApp(make_demo_backend(), clock=clock, theme_name="[bold]nope")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        assert app.theme == "textual-dark"
        messages = [notification.message for notification in app._notifications]
        assert any(message.startswith("Unknown theme '[bold]nope'") and "ansi-light" in message
                   for message in messages)


def test_the_theme_flag_reaches_the_app(monkeypatch: Any) -> None:
    from orch_tui import cli

    seen: dict[str, Any] = {}

    def run(self: OrchApp, **options: Any) -> None:
        seen["theme"] = self.theme_name

    monkeypatch.setattr(OrchApp, "run", run)
    monkeypatch.setenv("ORCH_TUI_CONFIG", "/nonexistent/orch-tui/config.toml")
    monkeypatch.delenv("ORCH_TUI_THEME", raising=False)
    assert cli.main(["--theme", "ansi-light"]) == 0
    assert seen["theme"] == "ansi-light"
    monkeypatch.setenv("ORCH_TUI_THEME", "nord")
    assert cli.main([]) == 0
    assert seen["theme"] == "nord"
