"""The command line: help, version, headless listing, demo server, config commands."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from orch_tui import __version__
from orch_tui.cli import main


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("ORCH_TUI_")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "orch_tui", *args], capture_output=True, text=True, timeout=timeout, env=full_env
    )


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    for key in list(os.environ):
        if key.startswith("ORCH_TUI_"):
            monkeypatch.delenv(key)
    cfg = tmp_path / "config.toml"
    monkeypatch.setenv("ORCH_TUI_CONFIG", str(cfg))
    return {"ORCH_TUI_CONFIG": str(cfg)}


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0 and capsys.readouterr().out.strip() == f"orch-tui {__version__}"
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for word in ("workflows", "demo-server", "config", "--context", "--url", "--insecure"):
        assert word in out


def test_python_dash_m_runs() -> None:
    done = run_cli("--version")
    assert done.returncode == 0 and __version__ in done.stdout


def test_workflows_json_on_embedded_demo(isolated: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["workflows", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data) >= 6
    for item in data:
        assert item["id"] and item["name"]
        assert isinstance(item["availability"]["available"], bool)
        assert "status" in item["lastRun"]
    assert any(not item["availability"]["available"] for item in data)
    assert any(item["lastRun"]["status"] == "COMPLETED" for item in data)


def test_workflows_table(isolated: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["workflows"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["ID", "NAME", "AVAILABILITY", "LAST", "RUN", "STATUS", "VERSION"]
    assert len(out) >= 7


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def demo_server_url() -> Any:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORCH_TUI_")}
    server = subprocess.Popen(
        [sys.executable, "-m", "orch_tui", "demo-server", "--port", str(port), "--seed-runs", "20"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    err = server.stderr.read().decode()[-2000:] if server.stderr else ""
                    pytest.fail("demo server did not start: " + err)
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_demo_server_on_a_port_and_url_flag(isolated: dict[str, str], demo_server_url: str) -> None:
    done = run_cli("--url", demo_server_url, "workflows", "--json", env=isolated)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert len(data) >= 6
    assert {"id", "name", "availability", "lastRun"} <= set(data[0])


def test_watch_over_http_exit_codes(isolated: dict[str, str], demo_server_url: str) -> None:
    import httpx

    api = demo_server_url + "/api/orchestrator/v2/workflows"
    ok = httpx.post(f"{api}/greeting/execute", json={"inputData": {"language": "English", "name": "cli"}}).json()["id"]
    done = run_cli("--url", demo_server_url, "watch", ok, "--json", "--interval", "0.5", "--timeout", "60", env=isolated)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["state"] == "COMPLETED"
    assert "Watching" in done.stderr

    bad = httpx.post(f"{api}/flaky-deploy/execute", json={"inputData": {"service": "api", "simulatedFailures": 1}}).json()["id"]
    done = run_cli("--url", demo_server_url, "watch", bad, "--interval", "0.5", "--timeout", "60", env=isolated)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Failed" in done.stdout

    long = httpx.post(f"{api}/data-migration/execute", json={"inputData": {}}).json()["id"]
    done = run_cli("--url", demo_server_url, "watch", long, "--interval", "0.5", "--timeout", "1", env=isolated)
    assert done.returncode == 3 and "Timed out" in done.stdout
    done = run_cli("--url", demo_server_url, "abort", long, "--yes", env=isolated)
    assert done.returncode == 0, done.stderr
    done = run_cli("--url", demo_server_url, "watch", long, env=isolated)
    assert done.returncode == 2

    done = run_cli("--url", demo_server_url, "show", "no-such-run", env=isolated)
    assert done.returncode == 1 and "Not found" in done.stderr


def test_unreachable_backend_exit_code(isolated: dict[str, str]) -> None:
    port = _free_port()
    done = run_cli("--url", f"http://127.0.0.1:{port}", "workflows", env=isolated)
    assert done.returncode == 1
    assert "Backend unreachable" in done.stderr and "Traceback" not in done.stderr


def test_config_commands(isolated: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = Path(isolated["ORCH_TUI_CONFIG"])
    assert main(["config", "path"]) == 0
    assert capsys.readouterr().out.strip() == str(cfg)
    assert main(["config", "contexts"]) == 0
    assert "built-in 'demo'" in capsys.readouterr().out

    cfg.write_text('current_context = "prod"\n[contexts.prod]\nurl = "https://bs.example"\ntoken_env = "MY_TOK"\n')
    cfg.chmod(0o600)
    os.environ["MY_TOK"] = "super-secret-token"
    try:
        assert main(["config", "show"]) == 0
        out = capsys.readouterr().out
    finally:
        del os.environ["MY_TOK"]
    assert 'url = "https://bs.example"' in out and "super-secret-token" not in out and "hidden" in out
    assert main(["config", "contexts"]) == 0
    assert "* prod" in capsys.readouterr().out


def test_bad_context_is_usage_error(isolated: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--context", "nope", "workflows"]) == 2
    assert "No context named 'nope'" in capsys.readouterr().err


def test_world_readable_config_refused(isolated: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    cfg = Path(isolated["ORCH_TUI_CONFIG"])
    cfg.write_text('[contexts.a]\nurl = "http://a"\n')
    cfg.chmod(0o644)
    assert main(["workflows"]) == 2
    assert "chmod 600" in capsys.readouterr().err


def _schema_file(tmp_path: Path, schema: dict[str, Any]) -> str:
    path = tmp_path / "schema.json"
    path.write_text(json.dumps(schema))
    return str(path)


WIZARD = {
    "type": "object",
    "ui:order": ["second", "first"],
    "properties": {
        "first": {"type": "object", "title": "First step", "properties": {"a": {"type": "string", "default": "x"}}},
        "second": {"type": "object", "title": "Second step", "required": ["b"],
                   "properties": {"b": {"type": "integer"}, "tags": {"type": "array", "items": {"type": "string"}}}},
    },
}


def test_form_describe(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["form", _schema_file(tmp_path, WIZARD), "--describe"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["multi_step"] is True
    assert [s["key"] for s in data["steps"]] == ["second", "first"]
    assert data["steps"][0]["title"] == "Second step"
    fields = data["steps"][0]["fields"]
    assert fields[0] == {"path": "second.b", "title": "b", "type": "integer", "widget": "integer",
                         "required": True, "default": None}
    assert data["steps"][1]["fields"][0]["default"] == "x"


def test_form_prefill_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = tmp_path / "base.json"
    base.write_text(json.dumps({"first": {"a": "kept"}}))
    code = main(["form", _schema_file(tmp_path, WIZARD), "--query", "second.b=0x10&second.tags=a,,b&nope=1",
                 "--base", str(base), "--prefill-only"])
    captured = capsys.readouterr()
    assert code == 0
    assert json.loads(captured.out) == {"first": {"a": "kept"}, "second": {"b": 16, "tags": ["a", "b"]}}
    assert "ignored nope=1: no such field in the input schema" in captured.err


def test_form_bad_schema_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{nope")
    assert main(["form", str(bad), "--describe"]) == 2
    assert "is not valid JSON" in capsys.readouterr().err
    missing_ref = _schema_file(tmp_path, {"type": "object", "properties": {"a": {"$ref": "#/$defs/Missing"}}})
    assert main(["form", missing_ref, "--describe"]) == 2
    assert "#/$defs/Missing" in capsys.readouterr().err
    assert main(["form", str(tmp_path / "absent.json"), "--prefill-only", "--query", "a=1"]) == 2
