"""The start snapshot: what is kept, what is never kept, when it is used, and what is refused."""

from __future__ import annotations

import asyncio
import json
import os
import stat
from pathlib import Path

import pytest

from orch_tui.core.backend import CAN_ENGINE, BackendInfo
from orch_tui.core.errors import ConfigError
from orch_tui.core.models import RunStatus, WorkflowAvailability, WorkflowOverview, WorkflowRunStats
from orch_tui.core.pending import NotConnected, PendingBackend
from orch_tui.core.start_snapshot import (
    KEEP,
    MAX_TEXT,
    StartSettings,
    load_snapshot,
    parse_snapshot,
    save_snapshot,
    snapshot_dir,
    snapshot_path,
    snapshot_record,
    start_key,
)

SETTINGS = StartSettings("prod", read_only=True, refresh_interval=7.5, theme="nord", keymap={"app.help": "f1"})
INFO = BackendInfo(kind="backstage", label="Backstage", url="https://robot:s3cret@backstage.example.com/api",
                   capabilities=frozenset({CAN_ENGINE}))


def overviews() -> list[WorkflowOverview]:
    return [
        WorkflowOverview(workflowId="greeting", name="Greeting", description="Says hello", version="1.2",
                         lastRunId="run-1", lastTriggeredMs=1_763_800_000_000, lastRunStatus=RunStatus.ERROR,
                         workflowRunStats=WorkflowRunStats(runsLastMonth=12, successRatio=0.75)),
        WorkflowOverview(workflowId="down", name=None, description="x" * (MAX_TEXT + 50),
                         availability=WorkflowAvailability(isAvailable=False, reason="no pods", statusCode=503)),
    ]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"ORCH_TUI_CONFIG": str(tmp_path / "config.toml"), "ORCH_TUI_URL": "https://a.example.com"}


def test_a_saved_snapshot_reads_back_as_the_list_showed_it(env: dict[str, str]) -> None:
    key = start_key([], env)
    assert save_snapshot(key, SETTINGS, INFO, overviews())
    snapshot = load_snapshot(key)
    assert snapshot is not None
    assert snapshot.settings == SETTINGS
    assert snapshot.backend.kind == "backstage" and snapshot.backend.capabilities == frozenset({CAN_ENGINE})
    first, second = snapshot.workflows
    wf = overviews()[0]
    for name in ("key", "display_name", "last_triggered", "lastRunStatus", "description", "version", "lastRunId",
                 "available", "unavailable_reason"):
        assert getattr(first, name) == getattr(wf, name), name
    assert first.workflowRunStats is not None and first.workflowRunStats.successRatio == 0.75
    assert second.display_name == "down" and not second.available
    assert second.unavailable_reason == overviews()[1].unavailable_reason == "no pods · HTTP 503"
    assert second.description is not None and len(second.description) == MAX_TEXT
    assert 0 <= snapshot.age() < 60


def test_the_snapshot_file_is_private_and_holds_no_credentials(env: dict[str, str]) -> None:
    key = start_key([], env)
    save_snapshot(key, SETTINGS, INFO, overviews())
    path = snapshot_path(key)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text()
    assert "s3cret" not in text and "robot" not in text
    assert json.loads(text)["backend"]["url"] == "https://backstage.example.com/api"


def test_the_key_follows_how_the_console_is_started(env: dict[str, str], tmp_path: Path) -> None:
    key = start_key([], env)
    assert start_key([], dict(env)) == key
    assert start_key(["--context", "prod"], env) != key
    assert start_key([], {**env, "ORCH_TUI_URL": "https://b.example.com"}) != key
    assert start_key([], {**env, "ORCH_TUI_READ_ONLY": "1"}) != key
    assert start_key([], {**env, "HOME_SOMETHING_ELSE": "x"}) == key
    # Whether a secret is set counts; its value is never part of the key.
    with_token = start_key([], {**env, "ORCH_TUI_TOKEN": "one"})
    assert with_token != key and start_key([], {**env, "ORCH_TUI_TOKEN": "two"}) == with_token
    # Writing the configuration file (or creating it) makes it another start.
    config = tmp_path / "config.toml"
    config.write_text('current_context = "demo"\n')
    created = start_key([], env)
    assert created != key
    os.utime(config, ns=(1, 1))
    assert start_key([], env) != created


def test_a_snapshot_that_makes_no_sense_is_not_used(env: dict[str, str]) -> None:
    good = snapshot_record(SETTINGS, INFO, overviews())
    assert parse_snapshot(good) is not None
    broken = [
        None, [], "text", {**good, "format": 999},
        {**good, "settings": {**good["settings"], "refresh_interval": "fast"}},
        {**good, "settings": {**good["settings"], "refresh_interval": 0}},
        {**good, "settings": {**good["settings"], "keymap": {"app.help": 3}}},
        {**good, "backend": {**good["backend"], "capabilities": "engine"}},
        {**good, "workflows": [{"name": "no id"}]},
        {**good, "workflows": [{"workflowId": "a", "lastTriggeredMs": "yesterday"}]},
        {**good, "workflows": [{"workflowId": "a", "available": "yes"}]},
        {**good, "workflows": {"a": 1}},
    ]
    for record in broken:
        assert parse_snapshot(record) is None, record
    # An unknown status from a newer server reads as unknown, as the models read it.
    odd = {**good, "workflows": [{"workflowId": "a", "lastRunStatus": "SLEEPING"}]}
    snapshot = parse_snapshot(odd)
    assert snapshot is not None and snapshot.workflows[0].lastRunStatus is RunStatus.UNKNOWN
    key = start_key([], env)
    snapshot_dir().mkdir(parents=True, exist_ok=True)
    (snapshot_path(key)).write_text("{not json")
    assert load_snapshot(key) is None


def test_only_the_newest_snapshots_are_kept(env: dict[str, str]) -> None:
    keys = [start_key([f"--refresh={n}"], env) for n in range(KEEP + 3)]
    for n, key in enumerate(keys):
        save_snapshot(key, SETTINGS, INFO, [])
        os.utime(snapshot_path(key), ns=(n * 10**9, n * 10**9))
    save_snapshot(keys[-1], SETTINGS, INFO, [])
    left = {path.stem for path in snapshot_dir().glob("*.json")}
    assert left == set(keys[-KEEP:])


# -- the backend that stands in while the real one is built --------------------------------


class Real:
    def __init__(self) -> None:
        self.info = BackendInfo(kind="backstage", label="real", url="http://x")
        self.listeners: list[object] = []
        self.read_only: bool | None = None

    async def list_workflows(self, request: object = None) -> list[str]:
        return ["listed"]

    def add_listener(self, listener: object) -> None:
        self.listeners.append(listener)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only

    def events(self) -> str:
        return "stream"


async def test_calls_made_before_the_backend_is_there_wait_for_it() -> None:
    pending = PendingBackend(INFO)
    listener = object()
    pending.add_listener(listener)
    pending.set_read_only(True)
    assert pending.events() is None
    with pytest.raises(NotConnected):
        pending.form_environment()
    call = asyncio.ensure_future(pending.list_workflows())
    await asyncio.sleep(0.01)
    assert not call.done()
    real = Real()
    pending.resolve(real)  # type: ignore[arg-type]
    assert await call == ["listed"]
    assert real.listeners == [listener] and real.read_only is True
    assert pending.info is real.info and pending.events() == "stream"
    assert await pending.list_workflows() == ["listed"]
    with pytest.raises(AttributeError):
        pending.not_a_backend_call  # noqa: B018


async def test_when_the_backend_cannot_be_built_every_call_says_why() -> None:
    pending = PendingBackend(INFO)
    call = asyncio.ensure_future(pending.get_run("r1"))
    await asyncio.sleep(0)
    pending.fail(ConfigError("token file is readable by others"))
    with pytest.raises(ConfigError, match="readable by others"):
        await call
    with pytest.raises(ConfigError):
        await pending.list_workflows()
