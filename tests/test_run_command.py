"""``orch-tui run`` against the demo orchestrator: what is sent, what is refused, --dry-run, --wait."""

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
from orch_tui.demo import ManualClock

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


class TickingClock(ManualClock):
    """Each reading is a second later: runs move on while a test follows them."""

    def __call__(self) -> datetime:
        return self.advance(seconds=1)


class Spy:
    """The demo backend, recording every execute call."""

    def __init__(self, inner: BackstageBackend) -> None:
        self.inner = inner
        self.executed: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
        self.read_only = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def execute(self, workflow_id: str, input_data: dict[str, Any], **options: Any) -> str:
        self.executed.append((workflow_id, input_data, options))
        return await self.inner.execute(workflow_id, input_data, **options)


@pytest.fixture
async def backend(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Spy]:
    spy = Spy(demo_backend(seed_runs=5, clock=TickingClock(NOW)))

    class Connected:
        async def __aenter__(self) -> tuple[Spy, ResolvedContext]:
            config = ContextConfig(name="demo", kind="demo", read_only=spy.read_only)
            return spy, ResolvedContext(config=config, token=None, config_path=Path("/none"), config_loaded=False,
                                        sources=[], provider_tokens={"github": SecretStr("gh-token")})

        async def __aexit__(self, *exc: Any) -> None:
            return None

    monkeypatch.setattr(headless, "connected", lambda overrides: Connected())
    yield spy
    await spy.inner.aclose()


def args(workflow: str, **options: Any) -> Namespace:
    values: dict[str, Any] = {"set": [], "query": [], "data": None, "entity": None, "wait": False, "json": False,
                              "dry_run": False, "timeout": 30.0, "interval": 0.01}
    values.update(options)
    return Namespace(workflow=workflow, **values)


async def run(namespace: Namespace) -> tuple[int, str]:
    out = io.StringIO()
    code = await headless.run_command(namespace, Overrides(), out)
    return code, out.getvalue()


async def test_starts_the_run_with_the_forms_payload_and_prints_its_id(backend: Spy) -> None:
    code, out = await run(args("greeting", set=["name=Ada"], entity="Component:checkout"))
    assert code == 0
    run_id = out.strip()
    assert backend.executed == [
        ("greeting", {"name": "Ada", "language": "English"}, {"target_entity": "component:default/checkout",
                                                             "auth_tokens": None}),
    ]
    started = await backend.get_run(run_id)
    assert started.processId == "greeting" and started.targetEntity == "component:default/checkout"
    inputs = await backend.get_input_schema("greeting", instance_id=run_id)
    assert inputs.data == {"name": "Ada", "language": "English"}

    code, out = await run(args("greeting", json=True))
    assert code == 0 and set(json.loads(out)) == {"id"}


async def test_invalid_input_is_listed_and_nothing_is_sent(backend: Spy, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = await run(args("provision-environment", set=["project.name=X", "environment.replicas=lots"]))
    err = capsys.readouterr().err
    assert code == 2 and out == "" and backend.executed == []
    assert "the input of provision-environment is not valid; nothing was sent" in err
    assert "  --set environment.replicas=lots: 'lots' is not a number" in err
    assert "  project.name: Must match pattern" in err
    assert "  credentials.registryUser: Required" in err


async def test_dry_run_prints_the_payload_and_sends_nothing(
    backend: Spy, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "in.json"
    data.write_text(json.dumps({"service": "search-indexer", "imageTag": "v1", "unknown": True}))
    code, out = await run(args("flaky-deploy", data=str(data), query=["imageTag=v2"], set=["simulatedFailures=0"],
                               dry_run=True))
    assert code == 0 and backend.executed == []
    assert json.loads(out) == {"service": "search-indexer", "imageTag": "v2", "simulatedFailures": 0}
    assert "Dry run: flaky-deploy was not started." in capsys.readouterr().err

    backend.read_only = True
    assert (await run(args("flaky-deploy", data=str(data), dry_run=True)))[0] == 0
    with pytest.raises(ConfigError, match="read-only"):
        await run(args("flaky-deploy", data=str(data)))
    assert backend.executed == []


async def test_execute_link_with_run_inputs_as_base(backend: Spy) -> None:
    earlier = await backend.execute("greeting", {"language": "Spanish", "name": "Bruno"})
    backend.executed.clear()
    link = (f"https://bs.example.com/orchestrator/workflows/greeting/execute?instanceId={earlier}"
            "&name=Carla+Mar%C3%ADa&targetEntity=system:default/shop")
    code, out = await run(args(link, dry_run=True))
    assert code == 0 and json.loads(out) == {"language": "Spanish", "name": "Carla María"}
    code, out = await run(args(link, set=["language=french"], entity="component:other"))
    assert code == 0 and backend.executed == [
        ("greeting", {"language": "French", "name": "Carla María"},
         {"target_entity": "component:default/other", "auth_tokens": None}),
    ]
    assert (await backend.get_run(out.strip())).targetEntity == "component:default/other"

    with pytest.raises(ConfigError, match="this link is a workflow page"):
        await run(args("/orchestrator/workflows/greeting"))
    with pytest.raises(ConfigError, match="Entity reference 'shop': it has no kind"):
        await run(args("greeting", entity="shop"))


async def test_sign_ins_are_sent_and_omitted_fields_are_not(backend: Spy) -> None:
    code, _ = await run(args("rotate-secrets", set=["newSecret=correct-horse-battery"]))
    assert code == 0
    (workflow, payload, options), = backend.executed
    assert payload == {"vaultPath": "secret/data/apps", "newSecret": "correct-horse-battery"}
    assert [(t.provider, t.token) for t in options["auth_tokens"]] == [("github", "gh-token")]


async def test_wait_follows_the_run_with_watch_exit_codes(backend: Spy, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = await run(args("greeting", set=["name=Ada"], wait=True))
    captured = capsys.readouterr()
    assert code == 0 and "✔ Completed" in out and "Hello" in out
    assert "Started run " in captured.err and out.startswith("Watching Greeting workflow run ")

    code, out = await run(args("flaky-deploy", set=["service=payments-api", "simulatedFailures=1"], wait=True,
                               json=True))
    assert code == 1 and json.loads(out)["state"] == RunStatus.ERROR.value

    code, _ = await run(args("data-migration", set=["database=orders", "targetVersion=2"], wait=True, timeout=0.05))
    assert code == 3
