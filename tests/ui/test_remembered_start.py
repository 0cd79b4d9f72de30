"""Starting from the start snapshot: the remembered list at once, marked so, the backend built in
a thread, then the real list in place; a backend that cannot be built ends the console with why."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from orch_tui.core.backend import Backend
from orch_tui.core.config import ContextConfig, Overrides, ResolvedContext
from orch_tui.core.errors import ConfigError
from orch_tui.core.pending import PendingBackend
from orch_tui.core.start_snapshot import StartSettings, StartSnapshot, parse_snapshot, snapshot_record
from orch_tui.ui.app import OrchApp
from orch_tui.ui.screens.workflow_detail import WorkflowDetailScreen
from orch_tui.ui.widgets.workflow_table import WorkflowTable
from ui_helpers import screen_text, settle, wait_until

SIZE = (100, 30)


class Remembered:
    """A remembered list that differs from the demo's: a workflow that is gone since, and an old
    name for the greeting."""

    workflowId = "retired"
    name = "Retired workflow"
    description = "Removed since"
    version = "0.1"
    lastRunId = None
    lastTriggeredMs = None
    lastRunStatus = None
    available = True
    unavailable_reason = None
    workflowRunStats = None


def snapshot_of(backend: Backend, workflows: list[Any]) -> StartSnapshot:
    settings = StartSettings("demo", read_only=False, refresh_interval=30)
    snapshot = parse_snapshot(snapshot_record(settings, backend.info, workflows))
    assert snapshot is not None
    return snapshot


def connected(backend: Backend) -> tuple[ResolvedContext, Backend, Overrides]:
    context = ResolvedContext(config=ContextConfig(name="demo", kind="demo", refresh_interval=30), token=None,
                              config_path=Path("none.toml"), config_loaded=False, sources=[])
    return context, backend, Overrides()


def gated(backend: Backend) -> tuple[threading.Event, Callable[[], tuple[ResolvedContext, Backend, Overrides]]]:
    """A build of ``backend`` that waits (in its thread) until the event is set."""
    gate = threading.Event()

    def connect() -> tuple[ResolvedContext, Backend, Overrides]:
        gate.wait(10)
        return connected(backend)

    return gate, connect


def keys(app: OrchApp) -> list[str]:
    table = app.screen.query_one(WorkflowTable)
    return [str(key.value) for key in table.rows]


def title(app: OrchApp) -> str:
    table = app.screen.query_one(WorkflowTable)
    assert table._border_title is not None
    return table._border_title.plain


async def test_the_remembered_list_shows_first_then_the_backends_list_replaces_it(
    make_demo_backend: Callable[..., Backend], clock: Any,
) -> None:
    real = make_demo_backend()
    greeting = (await real.list_workflows())[0]
    old_greeting = greeting.model_copy(update={"name": "Old name"})
    gate = threading.Event()
    built_in: list[str] = []
    saved: list[tuple[Any, list[Any]]] = []

    def connect() -> tuple[ResolvedContext, Backend, Overrides]:
        built_in.append(threading.current_thread().name)
        gate.wait(10)
        return connected(real)

    app = OrchApp(PendingBackend(real.info), clock=clock, refresh_interval=30, connect=connect,
                  remembered=snapshot_of(real, [old_greeting, Remembered()]),
                  remember=lambda info, rows: saved.append((info, rows)))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: bool(built_in))
        # The remembered rows, marked, while the backend is still being built (in a thread).
        assert built_in != [threading.main_thread().name]
        assert set(keys(app)) == {greeting.workflowId, "retired"}
        assert "remembered just now, connecting…" in title(app)
        assert "Old name" in screen_text(pilot)
        await pilot.press("down")  # the list is in use meanwhile
        assert isinstance(app.backend, PendingBackend)
        gate.set()
        await wait_until(pilot, lambda: "retired" not in keys(app) and "remembered" not in title(app))
        await settle(pilot)
        assert app.backend is real
        assert set(keys(app)) == {wf.workflowId for wf in await real.list_workflows()}
        assert "Old name" not in screen_text(pilot) and greeting.display_name in screen_text(pilot)
        # The API log follows the real backend's requests; the list is kept for the next start.
        assert any("/workflows/overview" in entry.record.path for entry in app.api_log.entries)
        await wait_until(pilot, lambda: bool(saved))
        assert {wf.workflowId for wf in saved[0][1]} == set(keys(app))
    await real.aclose()


async def test_a_row_opened_before_the_backend_is_there_opens_when_it_is(
    make_demo_backend: Callable[..., Backend], clock: Any,
) -> None:
    real = make_demo_backend()
    workflows = await real.list_workflows()
    gate, connect = gated(real)
    app = OrchApp(PendingBackend(real.info), clock=clock, refresh_interval=30, connect=connect,
                  remembered=snapshot_of(real, workflows))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: bool(keys(app)))
        first = keys(app)[0]
        await pilot.press("enter")
        await pilot.pause(0.05)
        assert isinstance(app.screen, WorkflowDetailScreen)
        gate.set()
        await wait_until(pilot, lambda: f"ID{first}" in screen_text(pilot) and app.backend is real)
        await settle(pilot)
        assert not app.screen.query(".error-panel")
    await real.aclose()


async def test_the_cursor_stays_on_its_workflow_when_the_backends_list_arrives(
    make_demo_backend: Callable[..., Backend], clock: Any,
) -> None:
    real = make_demo_backend()
    workflows = await real.list_workflows()
    gate, connect = gated(real)
    # Remembered with a longer name than any now: the name column is narrower once the list comes.
    remembered = [workflows[0].model_copy(update={"name": "A much longer name than any workflow has today"}),
                  *workflows[1:]]
    app = OrchApp(PendingBackend(real.info), clock=clock, refresh_interval=30, connect=connect,
                  remembered=snapshot_of(real, remembered))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: bool(keys(app)))
        await pilot.press("down", "down")
        table = app.screen.query_one(WorkflowTable)
        chosen = table.current_key
        assert chosen is not None and table.cursor_row == 2
        gate.set()
        await wait_until(pilot, lambda: "remembered" not in title(app))
        await settle(pilot)
        assert table.current_key == chosen
    await real.aclose()


async def test_a_backend_that_cannot_be_built_ends_the_console_with_the_reason(
    make_demo_backend: Callable[..., Backend], clock: Any, capsys: Any,
) -> None:
    real = make_demo_backend()

    def connect() -> tuple[ResolvedContext, Backend, Overrides]:
        raise ConfigError("token file /x/token is readable by others [bold]")

    app = OrchApp(PendingBackend(real.info), clock=clock, refresh_interval=30, connect=connect,
                  remembered=snapshot_of(real, await real.list_workflows()))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app._exit)
    assert app.return_code == 2
    assert "orch-tui: token file /x/token is readable by others [bold]\n" in capsys.readouterr().err
    await real.aclose()


PROBE = """
import asyncio, json, os, sys
from textual.app import App

HEAVY = ("pydantic", "httpx", "starlette", "jsonschema")

async def probe(pilot):
    from textual.widgets import DataTable
    app = pilot.app
    while not [t for t in app.screen.query(DataTable) if t.row_count and t.region.height]:
        await asyncio.sleep(0.001)
    painted = asyncio.get_running_loop().create_future()
    app.call_after_refresh(painted.set_result, None)
    await painted
    loaded = sorted(name for name in HEAVY if name in sys.modules)
    rows = len(app.screen.query_one(DataTable).rows)
    print(json.dumps({"backend": type(app.backend).__name__, "loaded": loaded, "rows": rows}), flush=True)
    app.exit()

_run = App.run
App.run = lambda self, *a, **k: _run(self, *a, **{**k, "headless": True, "auto_pilot": probe})
from orch_tui.cli import main
sys.exit(main([]))
"""


def test_a_second_start_paints_the_list_before_the_heavy_libraries_load(tmp_path: Path) -> None:
    env = {
        "HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "TERM": "xterm-256color",
        "XDG_STATE_HOME": str(tmp_path / "state"), "ORCH_TUI_CONFIG": str(tmp_path / "none.toml"),
    }

    def start() -> dict[str, Any]:
        done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=90)
        assert done.returncode == 0, done.stderr[-3000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    first = start()
    assert first["backend"] != "PendingBackend" and "pydantic" in first["loaded"]
    snapshots = list((tmp_path / "state" / "orch-tui" / "start").glob("*.json"))
    assert len(snapshots) == 1
    second = start()
    assert second == {"backend": "PendingBackend", "loaded": [], "rows": first["rows"]}
    # Another way of starting does not use it.
    env["ORCH_TUI_READ_ONLY"] = "1"
    assert start()["backend"] != "PendingBackend"


def test_the_collector_is_paused_for_start_up_and_on_again_after(monkeypatch: Any) -> None:
    import gc

    from orch_tui import cli

    seen: list[bool] = []
    monkeypatch.setattr(OrchApp, "run", lambda self, **options: seen.append(gc.isenabled()))
    monkeypatch.setenv("ORCH_TUI_CONFIG", "/nonexistent/orch-tui/config.toml")
    assert gc.isenabled()
    assert cli.main([]) == 0
    assert seen == [False] and gc.isenabled()
    # Also when start-up fails before the app runs.
    assert cli.main(["--context", "no-such-context"]) == 2
    assert gc.isenabled()


async def test_the_app_turns_a_paused_collector_on_once_its_list_is_painted(
    make_demo_backend: Callable[..., Backend], clock: Any,
) -> None:
    import gc

    real = make_demo_backend()
    gc.disable()
    try:
        app = OrchApp(real, clock=clock, refresh_interval=30)
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: bool(keys(app)))
            await wait_until(pilot, gc.isenabled)
            assert gc.get_freeze_count() > 0
    finally:
        gc.enable()
        gc.unfreeze()
    await real.aclose()


async def test_the_backend_is_built_when_no_key_came_for_a_moment(
    make_demo_backend: Callable[..., Backend], clock: Any, monkeypatch: Any,
) -> None:
    import orch_tui.ui.app as app_module

    monkeypatch.setattr(app_module, "INPUT_QUIET", 2.0)  # far more than the gap between keys
    monkeypatch.setattr(app_module, "CONNECT_WAIT_MAX", 30.0)
    real = make_demo_backend()
    calls: list[float] = []

    def connect() -> tuple[ResolvedContext, Backend, Overrides]:
        calls.append(1)
        return connected(real)

    app = OrchApp(PendingBackend(real.info), clock=clock, refresh_interval=30, connect=connect,
                  remembered=snapshot_of(real, await real.list_workflows()))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app._connecting)
        for _ in range(8):  # keys keep coming: the build waits
            await pilot.press("down")
            await pilot.pause(0.1)
        assert calls == []
        await wait_until(pilot, lambda: app.backend is real)
        assert calls == [1]
    await real.aclose()


def test_a_context_whose_token_comes_from_a_command_is_never_remembered(monkeypatch: Any, tmp_path: Path) -> None:
    """Its command may ask on the terminal: it must run before the console takes the terminal."""
    import os

    from orch_tui import cli

    config = tmp_path / "config.toml"
    config.write_text(
        'current_context = "cmd"\n'
        '[contexts.cmd]\nkind = "demo"\ntoken_command = "echo demo-admin"\n'
        '[contexts.plain]\nkind = "demo"\n'
    )
    os.chmod(config, 0o600)
    monkeypatch.setenv("ORCH_TUI_CONFIG", str(config))
    seen: list[Any] = []
    monkeypatch.setattr(OrchApp, "run", lambda self, **options: seen.append((self.remember, self.backend)))
    assert cli.main([]) == 0
    assert cli.main(["--context", "plain"]) == 0
    (cmd_remember, cmd_backend), (plain_remember, _plain_backend) = seen
    assert cmd_remember is None and not isinstance(cmd_backend, PendingBackend)
    assert plain_remember is not None
