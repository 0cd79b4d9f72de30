"""--entity on every command, --demo-user, and demo_user in the config, on the embedded demo."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from orch_tui.cli import main
from orch_tui.core.config import resolve_context
from orch_tui.core.errors import ConfigError


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for key in list(os.environ):
        if key.startswith("ORCH_TUI_"):
            monkeypatch.delenv(key)
    cfg = tmp_path / "config.toml"
    monkeypatch.setenv("ORCH_TUI_CONFIG", str(cfg))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return cfg


def runs_json(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, object]]:
    assert main([*args, "runs", "--json", "--limit", "500"]) == 0
    return json.loads(capsys.readouterr().out)["items"]


def test_workflows_for_an_entity_with_an_invalid_annotation(isolated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--entity", "component:checkout-web", "workflows", "--json"]) == 0
    captured = capsys.readouterr()
    scoped = {item["id"] for item in json.loads(captured.out)}
    assert "orchestrator.io/workflows annotation of component:default/checkout-web is not a valid JSON" in captured.err
    assert main(["workflows", "--json"]) == 0
    everything = {item["id"] for item in json.loads(capsys.readouterr().out)}
    ran_for_it = {run["processId"] for run in runs_json(capsys, "--entity", "component:checkout-web")}
    assert scoped == ran_for_it and scoped < everything


def test_runs_entity_is_read_like_the_web_ui_sends_it(isolated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    items = runs_json(capsys, "--entity", "default:Component:Payments-API")
    assert items and {item["targetEntity"] for item in items} == {"component:default/payments-api"}
    assert main(["runs", "--entity", "payments-api"]) == 2
    assert "it has no kind" in capsys.readouterr().err


def test_run_commands_refuse_a_run_of_another_entity(isolated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = runs_json(capsys, "--entity", "component:search-indexer")[0]
    assert main(["show", str(run["id"]), "--entity", "component:search-indexer"]) == 0
    capsys.readouterr()
    assert main(["show", str(run["id"]), "--entity", "component:payments-api"]) == 2
    err = capsys.readouterr().err
    assert "is not a run for component:default/payments-api" in err and "component:default/search-indexer" in err
    assert main(["--entity", "component:payments-api", "abort", str(run["id"]), "--yes"]) == 2


def test_demo_users_rights_from_the_command_line(isolated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--demo-user", "viewer", "run", "nightly-cleanup"]) == 1
    assert "Permission denied: Unauthorized (needs orchestrator.workflow.use)" in capsys.readouterr().err
    assert {run["initiatorEntity"] for run in runs_json(capsys, "--demo-user", "developer")} == {"user:default/bob"}
    assert len({run.get("initiatorEntity") for run in runs_json(capsys, "--demo-user", "admin")}) > 2
    # The embedded demo lives as long as the command: --wait shows the run it started.
    code = main(["--demo-user", "developer", "run", "nightly-cleanup", "--entity", "component:shop", "--wait",
                 "--json", "--interval", "0.2", "--timeout", "30"])
    assert code == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["initiatorEntity"] == "user:default/bob" and shown["targetEntity"] == "component:default/shop"
    assert main(["--demo-user", "root", "workflows"]) == 2
    assert "unknown demo user 'root' (one of: admin, developer, viewer)" in capsys.readouterr().err


def test_demo_user_in_a_context(isolated: Path) -> None:
    isolated.write_text('[contexts.v]\nkind = "demo"\ndemo_user = "Viewer"\n')
    isolated.chmod(0o600)
    context = resolve_context(config_path=isolated)
    assert context.config.demo_user == "viewer"
    assert context.token is not None and context.token.get_secret_value() == "demo-viewer"
    isolated.write_text('[contexts.v]\nurl = "http://x"\ntoken_env = "T"\ndemo_user = "admin"\n')
    with pytest.raises(ConfigError, match="a demo user and a token are both set"):
        resolve_context(config_path=isolated, environ={"T": "secret"})
    isolated.write_text('[contexts.v]\nkind = "demo"\ndemo_user = "root"\n')
    with pytest.raises(ConfigError, match="unknown demo user"):
        resolve_context(config_path=isolated)


def test_help_names_the_new_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["runs", "--help"])
    out = capsys.readouterr().out
    assert "--entity REF" in out and "--demo-user NAME" in out and "--readonly" in out
