"""``orch-tui engine`` and ``orch-tui retry-tasks``: on orchestrator-core (recorded exchanges),
refused (exit 2) on a backend without an engine or tasks and in a read-only context."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from orch_tui import headless
from orch_tui.cli import main
from orch_tui.core.config import ContextConfig, ResolvedContext
from orch_tui.core.orchestrator_core import CoreBackend

OC = Path(__file__).parent / "core" / "oc"


def _load(name: str, path: Path) -> Any:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


replay = _load("oc_replay_for_cli", OC / "replay.py")
crafted = _load("oc_crafted_for_cli", OC / "crafted.py")


def connect_commands_to(monkeypatch: pytest.MonkeyPatch, backend: CoreBackend, config: ContextConfig) -> None:
    """The headless commands connect to ``backend`` in the context ``config`` (closed after)."""

    class Connected:
        async def __aenter__(self) -> tuple[CoreBackend, ResolvedContext]:
            return backend, ResolvedContext(config=config, token=None, config_path=Path("/none"),
                                            config_loaded=False, sources=[])

        async def __aexit__(self, *exc: Any) -> None:
            await backend.aclose()

    monkeypatch.setattr(headless, "connected", lambda overrides: Connected())


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(os.environ):
        if key.startswith("ORCH_TUI_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("ORCH_TUI_CONFIG", str(tmp_path / "config.toml"))


@pytest.fixture
def on_core(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    """``on_core(exchanges, read_only=False)``: the commands talk to a CoreBackend replaying them;
    returns the replay handler (what was sent)."""

    def use(exchanges: list[dict[str, Any]], *, read_only: bool = False) -> Any:
        transport, handler = replay.replay(exchanges)
        backend = CoreBackend("http://127.0.0.1:18081", transport=transport, retries=0)
        config = ContextConfig(name="lab", kind="core", url="http://127.0.0.1:18081", read_only=read_only)
        connect_commands_to(monkeypatch, backend, config)
        return handler

    return use


def engine(**changes: Any) -> list[dict[str, Any]]:
    return crafted.engine_exchanges(replay.load("workflows")["engine_status"], **changes)


def test_engine_json(on_core: Any, capsys: pytest.CaptureFixture[str]) -> None:
    on_core(engine(global_status="PAUSED", global_lock=True, task_counts={"failed": 2, "completed": 1}))
    assert main(["engine", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data == {
        "state": "paused", "label": "paused: starts and resumes are refused", "running": 0,
        "runs": {"completed": 7, "aborted": 2}, "tasks": {"failed": 2, "completed": 1}, "failedTasks": 2,
    }


def test_engine_text(on_core: Any, capsys: pytest.CaptureFixture[str]) -> None:
    on_core(replay.load("workflows")["engine_status"])
    assert main(["engine"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split(None, 1)[0] == "Engine:"
    assert out[0].split(None, 1)[1] in ("▶ running", "> running")  # ASCII glyphs when not UTF-8
    assert "Runs:" in out[2] and "aborted 2, completed 7" in out[2]
    assert out[3].endswith("completed 1") and out[4].split() == ["Failed", "tasks:", "0"]


def test_retry_tasks_with_yes(on_core: Any, capsys: pytest.CaptureFixture[str]) -> None:
    handler = on_core([crafted.resume_all_exchange(replay.load("runs")["retry_all_failed_tasks"], 3)])
    assert main(["retry-tasks", "--yes"]) == 0
    assert capsys.readouterr().out.strip() == "Retrying 3 failed tasks."
    assert [key["path"] for key in handler.sent] == ["/processes/resume-all"]


def test_retry_tasks_when_none_failed(on_core: Any, capsys: pytest.CaptureFixture[str]) -> None:
    on_core(replay.load("runs")["retry_all_failed_tasks"])
    assert main(["retry-tasks", "--yes"]) == 0
    assert capsys.readouterr().out.strip() == "No failed tasks to retry."


def test_retry_tasks_asks_first(
    on_core: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    handler = on_core([])
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False, raising=False)
    assert main(["retry-tasks"]) == 2
    assert "pass --yes" in capsys.readouterr().err
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    assert main(["retry-tasks"]) == 2
    assert "Nothing retried." in capsys.readouterr().out
    assert handler.sent == []


def test_retry_tasks_read_only(on_core: Any, capsys: pytest.CaptureFixture[str]) -> None:
    handler = on_core([], read_only=True)
    assert main(["retry-tasks", "--yes"]) == 2
    assert "read-only: failed tasks cannot be retried" in capsys.readouterr().err
    assert handler.sent == []


def test_the_demo_has_no_engine_and_no_tasks(isolated: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["engine"]) == 2
    err = capsys.readouterr().err
    assert "The engine status is not available" in err and "does not offer it" in err
    assert main(["retry-tasks", "--yes"]) == 2
    assert "Retrying failed tasks is not possible" in capsys.readouterr().err


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "engine" in out and "retry-tasks" in out
    with pytest.raises(SystemExit):
        main(["retry-tasks", "--help"])
    assert "--yes" in capsys.readouterr().out


def test_unreachable_engine_is_a_backend_failure(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused")

    backend = CoreBackend("http://127.0.0.1:9", transport=httpx.MockTransport(refuse), retries=0)
    connect_commands_to(monkeypatch, backend, ContextConfig(name="lab", kind="core", url="http://127.0.0.1:9"))
    assert main(["engine"]) == 1
    assert "Backend unreachable" in capsys.readouterr().err
