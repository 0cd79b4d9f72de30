"""Pilot tests of switching context in place (``:ctx NAME``, the palette) and of turning the
session read-only and back from the palette."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Label

from orch_tui.core.backend import Backend
from orch_tui.core.config import Overrides
from orch_tui.core.errors import ReadOnly
from orch_tui.ui.app import OrchApp
from orch_tui.ui.commands import OrchCommands
from orch_tui.ui.screens.command_line import CommandLine
from orch_tui.ui.screens.runs import RunListScreen
from orch_tui.ui.screens.workflow_detail import WorkflowDetailScreen
from orch_tui.ui.screens.workflows import WorkflowListScreen
from ui_helpers import FaultyBackend, screen_text, palette_search, settle

SIZE = (110, 30)

CONFIG = """\
current_context = "alpha"

[contexts.alpha]
kind = "demo"

[contexts.beta]
kind = "demo"
demo_user = "developer"

[contexts.guarded]
kind = "demo"
read_only = true

[contexts.broken]
url = "http://127.0.0.1:9"
token_command = "false"
"""


@pytest.fixture(autouse=True)
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private config file with several contexts, and no ORCH_TUI_* setting from outside."""
    for key in list(os.environ):
        if key.startswith("ORCH_TUI_"):
            monkeypatch.delenv(key)
    path = tmp_path / "config.toml"
    path.write_text(CONFIG, encoding="utf-8")
    path.chmod(0o600)
    monkeypatch.setenv("ORCH_TUI_CONFIG", str(path))
    return path


@pytest.fixture
def old(make_demo_backend: Callable[..., Backend]) -> FaultyBackend:
    return FaultyBackend(make_demo_backend())


def make_app(backend: Any, clock: Any, **options: Any) -> OrchApp:
    options.setdefault("context_name", "alpha")
    return OrchApp(backend, clock=clock, refresh_interval=3600, **options)


async def command(pilot: Any, text: str) -> None:
    await pilot.press("colon")
    await pilot.pause()
    pilot.app.screen.query_one("#command-line-input", Input).value = text
    await pilot.press("enter")
    await settle(pilot)


def messages(app: OrchApp) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


def titles(app: OrchApp) -> list[str]:
    return [str(notification.title) for notification in app._notifications]


def header_context(app: OrchApp) -> str:
    return str(app.screen.query_one("#header-context", Label).render())


def palette(app: OrchApp) -> dict[str, Callable[[], object]]:
    """The console's palette entries over the current screen: text → what it does."""
    return {entry.text: entry.callback for entry in OrchCommands(app.screen)._commands()}


async def somewhere_deep(pilot: Any) -> None:
    """The workflow list, a workflow, its runs; and a place gone back from (history forward)."""
    app: OrchApp = pilot.app
    app.open_workflow("greeting")
    await settle(pilot)
    await pilot.press("u")
    await settle(pilot)
    await pilot.press("alt+left")
    await settle(pilot)
    assert isinstance(app.screen, WorkflowDetailScreen) and app.forward


# -- :ctx -------------------------------------------------------------------------------------


async def test_ctx_lists_the_contexts_and_marks_the_current_one(old: FaultyBackend, clock: Any) -> None:
    app = make_app(old, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await command(pilot, "ctx")
        assert isinstance(app.screen, CommandLine)
        text = screen_text(pilot)
        assert "alpha (current), beta, broken, guarded, demo" in text
        assert ":ctx NAME switches" in text


async def test_ctx_switches_in_place(old: FaultyBackend, clock: Any) -> None:
    app = make_app(old, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first_list = app.screen_stack[0]
        assert header_context(app).startswith("alpha · embedded demo")
        await somewhere_deep(pilot)
        await command(pilot, "ctx beta")
        assert app.context_name == "beta"
        assert app.backend is not old and old.closed, "the old backend is closed"
        assert len(app.screen_stack) == 1 and isinstance(app.screen, WorkflowListScreen)
        assert app.screen is first_list and app.screen.table.row_count, "the workflow list starts over"
        assert not app.forward, "the history is the old context's: gone"
        assert header_context(app).startswith("beta · embedded demo as developer")
        assert "Switched to beta." in messages(app)
        assert app.workflows and "greeting" in app.workflows, "the new context's list is loaded"
        assert app.api_log.entries, "the new backend's requests are in the API log"
        assert app.backend.info.label == "embedded demo as developer"


async def test_a_header_gone_when_the_context_changes_is_left_alone(old: FaultyBackend, clock: Any) -> None:
    from orch_tui.ui.widgets.header import AppHeader

    app = make_app(old, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        header = app.screen.query_one(AppHeader)
        await header.remove()  # its screen closed, or the console is ending
        await header.context_changed("beta")  # the change it was told of before it went
        assert not header.children and app.is_running


async def test_ctx_unknown_name_keeps_everything(old: FaultyBackend, clock: Any) -> None:
    app = make_app(old, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await somewhere_deep(pilot)
        below = list(app.screen_stack)
        await command(pilot, "ctx nosuch")
        assert isinstance(app.screen, CommandLine), "the prompt stays open with the error"
        assert "No context 'nosuch'" in screen_text(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen_stack == below and app.forward
        assert app.backend is old and not old.closed and app.context_name == "alpha"


async def test_failing_token_command_keeps_the_old_backend(old: FaultyBackend, clock: Any) -> None:
    app = make_app(old, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await somewhere_deep(pilot)
        below = list(app.screen_stack)
        await command(pilot, "ctx broken")
        assert app.backend is old and not old.closed
        assert app.context_name == "alpha" and app.screen_stack == below
        assert "Could not switch to broken" in titles(app)
        said = messages(app)[-1]
        assert "token_command 'false' exited with status 1" in said and "Still on alpha." in said
        assert header_context(app).startswith("alpha")


async def test_unreadable_config_keeps_everything(old: FaultyBackend, clock: Any, config: Path) -> None:
    app = make_app(old, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        config.write_text("current_context = [", encoding="utf-8")
        await command(pilot, "ctx beta")
        assert isinstance(app.screen, CommandLine)
        text = " ".join(screen_text(pilot).split())  # where the message wraps depends on the path's length
        assert "Cannot read the contexts" in text and "not valid TOML" in text
        await pilot.press("escape")
        app.switch_context("beta")
        await settle(pilot)
        assert app.backend is old and not old.closed and app.context_name == "alpha"
        assert "Could not switch to beta" in titles(app) and "Configuration error" in messages(app)[-1]


@pytest.mark.parametrize("how", ["unreachable", "crash"])
async def test_backend_that_fails_its_first_list_is_closed_and_not_used(
    old: FaultyBackend, clock: Any, make_demo_backend: Callable[..., Backend], monkeypatch: pytest.MonkeyPatch,
    how: str,
) -> None:
    import orch_tui.core.connect as connect

    built: list[FaultyBackend] = []

    def make_backend(context: Any) -> Backend:
        backend = FaultyBackend(make_demo_backend())
        if how == "unreachable":
            backend.failing_calls.add("list_workflows")
        else:
            backend.reshape = lambda _workflows: 1 / 0  # type: ignore[assignment,return-value]
        built.append(backend)
        return backend  # type: ignore[return-value]

    monkeypatch.setattr(connect, "make_backend", make_backend)
    app = make_app(old, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_runs()
        await settle(pilot)
        app.switch_context("beta")
        await settle(pilot)
        assert len(built) == 1 and built[0].closed, "the new backend is closed again"
        assert app.backend is old and not old.closed and app.context_name == "alpha"
        assert isinstance(app.screen, RunListScreen)
        assert "Could not switch to beta" in titles(app)
        expected = "Backend unreachable" if how == "unreachable" else "ZeroDivisionError"
        assert expected in messages(app)[-1]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, WorkflowListScreen) and app.workflows


async def test_the_flags_read_only_holds_in_the_context_switched_to(old: FaultyBackend, clock: Any) -> None:
    app = make_app(old, clock, read_only=True, context_overrides=Overrides(read_only=True))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.switch_context("beta")
        await settle(pilot)
        assert app.context_name == "beta"
        assert app.read_only and app.configured_read_only and app.backend.info.read_only
        assert app.screen.query("#header-ro")


# -- the palette ----------------------------------------------------------------------------------


async def test_palette_offers_the_other_contexts_and_switches(old: FaultyBackend, clock: Any) -> None:
    app = make_app(old, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        entries = palette(app)
        switches = sorted(text for text in entries if text.startswith("Switch context: "))
        assert switches == [
            "Switch context: beta", "Switch context: broken", "Switch context: demo", "Switch context: guarded",
        ]
        assert "Toggle read-only" in entries
        await palette_search(pilot, "Switch context: guarded")
        await pilot.press("enter")
        await settle(pilot)
        assert app.context_name == "guarded" and old.closed
        assert app.read_only and app.configured_read_only, "the context is configured read-only"
        assert "Switch context: alpha" in palette(app) and "Switch context: guarded" not in palette(app)


async def test_palette_keeps_textuals_theme_command(old: FaultyBackend, clock: Any) -> None:
    from textual.system_commands import SystemCommandsProvider

    app = make_app(old, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        providers = [provider() if not isinstance(provider, type) else provider for provider in app.COMMANDS]
        assert SystemCommandsProvider in providers and OrchCommands in providers
        await palette_search(pilot, "theme")
        assert "Change the current theme" in screen_text(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert "textual-dark" in screen_text(pilot), "the theme picker lists the themes"


async def test_toggle_read_only_greys_the_run_and_the_adapter_refuses(
    make_demo_backend: Callable[..., Backend], clock: Any
) -> None:
    backend = make_demo_backend()
    app = make_app(backend, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_workflow("greeting")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, WorkflowDetailScreen)
        assert detail.check_action("run", ()) is True and not detail.query("#header-ro")
        await palette_search(pilot, "Toggle read-only")
        await pilot.press("enter")
        await settle(pilot)
        assert app.read_only and backend.info.read_only
        assert detail.check_action("run", ()) is False, "the run key is not offered"
        assert detail.query("#header-ro"), "the header shows RO"
        assert "unavailable — read-only context" in screen_text(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert app.screen is detail and "Cannot run: read-only context" in messages(app)
        with pytest.raises(ReadOnly):
            await backend.execute("greeting", {"name": "Ada"})
        assert "Run workflow: Greeting workflow" not in palette(app)

        palette(app)["Toggle read-only"]()
        await settle(pilot)
        assert not app.read_only and not backend.info.read_only
        assert detail.check_action("run", ()) is True and not detail.query("#header-ro")
        assert "unavailable — read-only context" not in screen_text(pilot)


async def test_configured_read_only_cannot_be_turned_off(
    make_demo_backend: Callable[..., Backend], clock: Any
) -> None:
    backend = make_demo_backend(read_only=True)
    app = make_app(backend, clock, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        palette(app)["Toggle read-only"]()
        await settle(pilot)
        assert app.read_only and backend.info.read_only
        assert "Still read-only" in titles(app)
        assert "configured read-only" in messages(app)[-1]
        with pytest.raises(ReadOnly):
            await backend.abort("any-run")
