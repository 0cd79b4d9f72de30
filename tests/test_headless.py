"""Headless run commands: runs, show, abort, retrigger, watch (exit codes per outcome)."""

from __future__ import annotations

import io
import json
from argparse import Namespace
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from orch_tui import headless
from orch_tui.core.backstage import BackstageBackend
from orch_tui.core.config import ContextConfig, Overrides, ResolvedContext
from orch_tui.core.connect import demo_backend
from orch_tui.core.errors import ConfigError
from orch_tui.core.models import RunStatus
from orch_tui.core.run_query import RunQuery, parse_status, started_window
from orch_tui.demo import ManualClock

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(NOW)


@pytest.fixture
async def backend(clock: ManualClock, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[BackstageBackend]:
    b = demo_backend(seed_runs=40, clock=clock)
    closed: list[bool] = []

    class Ctx:
        async def __aenter__(self) -> tuple[BackstageBackend, ResolvedContext]:
            config = ContextConfig(name="demo", kind="demo", read_only=read_only[0])
            return b, ResolvedContext(config=config, token=None, config_path=Path("/none"), config_loaded=False,
                                      sources=[], provider_tokens={"github": SecretStr("gh-token")})

        async def __aexit__(self, *exc: Any) -> None:
            closed.append(True)

    read_only = [False]
    monkeypatch.setattr(headless, "connected", lambda overrides: Ctx())
    b.read_only_flag = read_only  # type: ignore[attr-defined]
    yield b
    await b.aclose()


async def _watch(backend: BackstageBackend, clock: ManualClock, run_id: str, timeout: float | None = None) -> tuple[int, Any, list[str]]:
    lines: list[str] = []
    elapsed = [0.0]

    async def sleep(seconds: float) -> None:
        clock.advance(seconds=seconds)
        elapsed[0] += seconds

    code, run = await headless.watch_run(
        backend, run_id, interval=1.0, timeout=timeout, emit=lines.append, clock=lambda: elapsed[0], sleep=sleep
    )
    return code, run, lines


async def test_watch_exit_codes(backend: BackstageBackend, clock: ManualClock) -> None:
    ok = await backend.execute("greeting", {"language": "English", "name": "a"})
    code, run, lines = await _watch(backend, clock, ok)
    assert code == 0 and run.status is RunStatus.COMPLETED
    assert any("Completed" in line for line in lines) and any(line.startswith("  → ") for line in lines)

    failing = await backend.execute("flaky-deploy", {"service": "api", "simulatedFailures": 1})
    code, run, _ = await _watch(backend, clock, failing)
    assert code == 1 and run.status is RunStatus.ERROR

    long = await backend.execute("data-migration", {})
    await backend.abort(long)
    code, run, _ = await _watch(backend, clock, long)
    assert code == 2 and run.status is RunStatus.ABORTED

    slow = await backend.execute("data-migration", {})
    code, run, lines = await _watch(backend, clock, slow, timeout=3)
    assert code == 3 and lines[-1] == "Timed out after 3s"


async def test_watch_command_json(backend: BackstageBackend, clock: ManualClock, monkeypatch: pytest.MonkeyPatch) -> None:
    run_id = await backend.execute("greeting", {"language": "English", "name": "a"})
    clock.advance(seconds=120)
    out = io.StringIO()
    code = await headless.watch_command(Namespace(run_id=run_id, json=True, interval=0.01, timeout=5), Overrides(), out)
    assert code == 0 and json.loads(out.getvalue())["state"] == "COMPLETED"


async def test_runs_and_show(backend: BackstageBackend) -> None:
    out = io.StringIO()
    args = Namespace(workflow="greeting", status=["completed"], entity=None, limit=5, json=True)
    assert await headless.runs_command(args, Overrides(), out) == 0
    data = json.loads(out.getvalue())
    assert 0 < len(data["items"]) <= 5 and {r["processId"] for r in data["items"]} == {"greeting"}
    assert {r["state"] for r in data["items"]} == {"COMPLETED"}

    out = io.StringIO()
    args = Namespace(workflow=None, status=[], entity=None, limit=3, json=False)
    assert await headless.runs_command(args, Overrides(), out) == 0
    text = out.getvalue().splitlines()
    assert text[0].split()[:3] == ["ID", "WORKFLOW", "STATUS"] and text[-1].startswith("3 of ")

    run_id = data["items"][0]["id"]
    out = io.StringIO()
    assert await headless.show_command(Namespace(run_id=run_id, json=False), Overrides(), out) == 0
    assert run_id in out.getvalue() and "Completed" in out.getvalue()

    with pytest.raises(ConfigError, match="unknown status 'bogus'"):
        await headless.runs_command(Namespace(workflow=None, status=["bogus"], entity=None, limit=1, json=True), Overrides(), io.StringIO())


async def test_abort_and_retrigger(backend: BackstageBackend, clock: ManualClock) -> None:
    long = await backend.execute("data-migration", {})
    out = io.StringIO()
    assert await headless.abort_command(Namespace(run_id=long, yes=True), Overrides(), out) == 0
    assert "aborted" in out.getvalue()
    with pytest.raises(ConfigError, match="only running or failed runs"):
        await headless.abort_command(Namespace(run_id=long, yes=True), Overrides(), io.StringIO())

    failing = await backend.execute("flaky-deploy", {"service": "api", "simulatedFailures": 2})
    clock.advance(seconds=60)
    assert await headless.retrigger_command(Namespace(run_id=failing), Overrides(), io.StringIO()) == 1
    out = io.StringIO()
    assert await headless.retrigger_command(Namespace(run_id=failing), Overrides(), out) == 0
    assert "Retriggered" in out.getvalue()
    clock.advance(seconds=60)
    assert (await backend.get_run(failing)).status is RunStatus.COMPLETED
    with pytest.raises(ConfigError, match="has not failed"):
        await headless.retrigger_command(Namespace(run_id=failing), Overrides(), io.StringIO())

    backend.read_only_flag[0] = True  # type: ignore[attr-defined]
    with pytest.raises(ConfigError, match="read-only"):
        await headless.abort_command(Namespace(run_id=failing, yes=True), Overrides(), io.StringIO())


def test_run_query_request() -> None:
    start, end = started_window("yesterday", NOW)
    query = RunQuery(statuses=(RunStatus.ERROR, RunStatus.ABORTED), entity="component:default/x",
                     started_from=start, started_to=end, page_size=10, offset=20)
    assert query.to_request().to_json() == {
        "filters": {"operator": "AND", "filters": [
            {"field": "state", "operator": "IN", "value": ["ERROR", "ABORTED"]},
            {"field": "start", "operator": "BETWEEN", "value": ["2026-11-19T00:00:00Z", "2026-11-19T23:59:59.999000Z"]},
            {"field": "variables", "nested": {"field": "targetEntity", "operator": "EQ", "value": "component:default/x"}},
        ]},
        "paginationInfo": {"pageSize": 10, "offset": 20, "orderBy": "start", "orderDirection": "DESC"},
    }
    assert query.next_page().offset == 30 and RunQuery().previous_page().offset == 0
    assert parse_status("Failed") is RunStatus.ERROR
    assert started_window("this-month", NOW)[0] == datetime(2026, 11, 1, tzinfo=UTC)


async def test_retrigger_sends_the_tokens_the_form_asks_for(backend: BackstageBackend) -> None:
    config = ContextConfig(name="c", kind="demo")
    context = ResolvedContext(config=config, token=None, config_path=Path("/none"), config_loaded=False,
                              sources=[], provider_tokens={"github": SecretStr("gh-token")})
    tokens = await headless.retrigger_tokens(backend, "rotate-secrets", context)
    assert [(t.provider, t.token) for t in tokens] == [("github", "gh-token")]
    assert await headless.retrigger_tokens(backend, "greeting", context) == []
    assert await headless.retrigger_tokens(backend, "nightly-cleanup", context) == []
