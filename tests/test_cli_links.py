"""The command line's links and runs: ``orch-tui open URL`` / ``orch-tui URL`` and ``orch-tui run``
end to end against the embedded demo orchestrator."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from orch_tui import cli
from orch_tui.cli import _with_open, main
from orch_tui.core.backstage import BackstageBackend
from orch_tui.core.deeplink import Route


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for key in list(os.environ):
        if key.startswith("ORCH_TUI_"):
            monkeypatch.delenv(key)
    config = tmp_path / "config.toml"
    monkeypatch.setenv("ORCH_TUI_CONFIG", str(config))
    return config


@pytest.fixture
def executed(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, Any]]]:
    """Every run the Backstage adapter starts (the runs still start)."""
    calls: list[tuple[str, dict[str, Any]]] = []
    original = BackstageBackend.execute

    async def execute(self: BackstageBackend, workflow_id: str, input_data: dict[str, Any], **options: Any) -> str:
        calls.append((workflow_id, input_data))
        return await original(self, workflow_id, input_data, **options)

    monkeypatch.setattr(BackstageBackend, "execute", execute)
    return calls


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What the console would have been started with, instead of starting it."""
    calls: list[dict[str, Any]] = []

    def fake_run_app(args: Any, *, link: Any = None, overrides: Any = None) -> int:
        calls.append({"link": link, "overrides": overrides})
        return 0

    monkeypatch.setattr(cli, "_run_app", fake_run_app)
    return calls


# -- orch-tui run ----------------------------------------------------------------------------


def test_run_success_and_wait(isolated: Path, executed: list[Any], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "greeting", "--set", "name=Ada", "--set", "language=spanish"]) == 0
    run_id = capsys.readouterr().out.strip()
    assert len(run_id) >= 8 and executed == [("greeting", {"name": "Ada", "language": "Spanish"})]

    code = main(["run", "greeting", "--set", "name=Ada", "--wait", "--json", "--interval", "0.2", "--timeout", "30"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    final = json.loads(captured.out)
    assert final["state"] == "COMPLETED" and final["processId"] == "greeting"
    assert "Started run" in captured.err


def test_run_validation_failure(isolated: Path, executed: list[Any], capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["run", "greeting", "--set", "language=Klingon", "--set", "name=", "--query", "nme=x"])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == "" and executed == []
    lines = captured.err.splitlines()
    assert lines[0] == "orch-tui: the input of greeting is not valid; nothing was sent:"
    assert "  --query nme=x: no such field in the input schema" in lines
    assert any(line.startswith("  --set language=Klingon: 'Klingon' is not one of: English, Spanish") for line in lines)
    assert main(["run", "greeting", "--set", "oops"]) == 2
    assert "expected PATH=VALUE" in capsys.readouterr().err


def test_run_dry_run_with_an_execute_link(
    isolated: Path, executed: list[Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = "/orchestrator/workflows/greeting/execute?name=Ada+L&language=GERMAN&targetEntity=component:shop"
    assert main(["run", link, "--dry-run"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == {"name": "Ada L", "language": "German"} and executed == []
    assert "greeting for component:default/shop was not started" in captured.err

    data = tmp_path / "data.json"
    data.write_text('{"name": "From file"}')
    assert main(["run", "greeting", "--data", str(data), "--dry-run"]) == 0
    assert json.loads(capsys.readouterr().out) == {"name": "From file", "language": "English"}
    data.write_text("[1]")
    assert main(["run", "greeting", "--data", str(data), "--dry-run"]) == 2
    assert "must be a JSON object" in capsys.readouterr().err


def test_run_link_host_picks_the_context(isolated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    link = "https://bs.example.com/orchestrator/workflows/greeting/execute?name=Ada"
    assert main(["run", link, "--dry-run"]) == 2
    assert "No context for bs.example.com: none is configured, only the built-in 'demo'" in capsys.readouterr().err
    assert main(["--context", "demo", "run", link, "--dry-run"]) == 0
    assert json.loads(capsys.readouterr().out)["name"] == "Ada"
    assert main(["run", "https://bs.example.com/orchestrator/instances/1"]) == 2
    assert "this link is a run" in capsys.readouterr().err


# -- orch-tui open URL / orch-tui URL -----------------------------------------------------------


def test_url_shortcut_detection() -> None:
    link = "https://bs.example.com/orchestrator"
    assert _with_open([link]) == ["open", link]
    assert _with_open(["--context", "prod", "/orchestrator/instances/1"]) == [
        "--context", "prod", "open", "/orchestrator/instances/1"]
    assert _with_open(["--refresh=3", "--insecure", link]) == ["--refresh=3", "--insecure", "open", link]
    assert _with_open(["--url", "http://127.0.0.1:7099", link]) == ["--url", "http://127.0.0.1:7099", "open", link]
    for argv in (["run", link], ["workflows"], ["--context", "/orchestrator"], ["--", link], []):
        assert _with_open(argv) == argv


def test_open_picks_the_context_of_the_links_host(
    isolated: Path, opened: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    isolated.write_text('[contexts.prod]\nurl = "https://bs.example.com/portal"\n'
                        '[contexts.dev]\nurl = "http://localhost:7007"\n')
    isolated.chmod(0o600)
    assert main(["https://bs.example.com/portal/orchestrator/workflows/greeting/execute?name=Ada"]) == 0
    (call,) = opened
    assert call["overrides"].context == "prod"
    assert call["link"].route is Route.EXECUTE and call["link"].query == (("name", "Ada"),)
    assert main(["open", "--context", "dev", "https://bs.example.com/portal/orchestrator"]) == 0
    assert opened[-1]["overrides"].context == "dev"

    assert main(["https://elsewhere.example.com/orchestrator"]) == 2
    err = capsys.readouterr().err
    assert "No configured context has the host elsewhere.example.com" in err
    assert "prod (https://bs.example.com/portal)" in err and "dev (http://localhost:7007)" in err
    assert len(opened) == 2


def test_open_refuses_bad_links_before_starting(
    isolated: Path, opened: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["/orchestrator/workflows/x/edit"]) == 2
    assert "names no orchestrator page ('/orchestrator/workflows/x/edit'); known pages:" in capsys.readouterr().err
    assert main(["open", "http://h:port/orchestrator"]) == 2
    assert "malformed: the port is not a number" in capsys.readouterr().err
    assert main(["open", "/docs/readme"]) == 2
    assert "not an orchestrator link" in capsys.readouterr().err
    assert opened == []


def test_bad_link_exit_code_from_the_entry_point(isolated: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORCH_TUI_")} | {"ORCH_TUI_CONFIG": str(isolated)}
    done = subprocess.run([sys.executable, "-m", "orch_tui", "https://h/orchestrator/nowhere"],
                          capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 2 and "names no orchestrator page" in done.stderr and "Traceback" not in done.stderr
