"""The demo's fault injection (--chaos) and hostile data (--hostile)."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn

from orch_tui.core import errors
from orch_tui.core.backstage import BackstageBackend
from orch_tui.core.entity import parse_entity_ref
from orch_tui.demo import create_app
from orch_tui.demo.chaos import Chaos
from orch_tui.demo.form_api import REPOSITORY_NAME
from orch_tui.demo.hostile import HOSTILE, HOSTILE_NAMES, MEGABYTE, hostile_ref


def backend_for(app: object, timeout: float = 5.0) -> BackstageBackend:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    return BackstageBackend("http://demo.test", transport=transport, retries=0, timeout=timeout)


def test_chaos_is_reproducible_and_can_be_switched_off() -> None:
    first, second = Chaos(0.5, seed=3), Chaos(0.5, seed=3)
    draws = [first.draw() for _ in range(200)]
    assert draws == [second.draw() for _ in range(200)]
    assert {"error", "slow", "reset"} <= set(draws) and None in draws
    assert 70 <= sum(d is not None for d in draws) <= 130
    first.enabled = False
    assert all(first.draw() is None for _ in range(50))
    with pytest.raises(ValueError, match="between 0 and 1"):
        Chaos(1.5)


@contextlib.contextmanager
def served(app: object) -> Iterator[str]:
    """The app on a real HTTP server on 127.0.0.1 (timeouts and dropped connections are real)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.mark.parametrize(
    ("fault", "error"),
    [("error", errors.ServerError), ("reset", errors.Unreachable), ("slow", errors.BackendTimeout)],
)
async def test_each_fault_reaches_the_client_as_its_typed_error(
    fault: str, error: type[errors.OrchError], monkeypatch: pytest.MonkeyPatch
) -> None:
    # the client waits long enough for a loaded machine, and the slow fault takes far longer
    chaos = Chaos(1.0, slow_seconds=5.0)
    monkeypatch.setattr(chaos, "draw", lambda: fault)
    with served(create_app(seed_runs=0, chaos=chaos)) as url:
        backend = BackstageBackend(url, retries=0, timeout=2.0)
        with pytest.raises(error):
            await backend.list_workflows()
        await backend.aclose()


async def test_with_chaos_off_the_demo_answers_normally() -> None:
    chaos = Chaos(1.0)
    app = create_app(seed_runs=5, chaos=chaos)
    backend = backend_for(app)
    with pytest.raises(errors.OrchError):
        await backend.list_workflows()
    app.state.chaos.enabled = False  # type: ignore[attr-defined]
    assert await backend.list_workflows()
    assert chaos.counts["ok"] == 1 and sum(chaos.counts.values()) == 2


async def test_hostile_demo_puts_traps_in_every_text_and_keeps_ids() -> None:
    backend = backend_for(create_app(seed_runs=0, hostile=True))
    workflows = await backend.list_workflows()
    assert {w.workflowId for w in workflows} >= {"greeting", "provision-environment"}
    assert all(any(trap in (w.name or "") for trap in HOSTILE) for w in workflows)
    assert any(MEGABYTE in (w.description or "") for w in workflows)
    schema = (await backend.get_input_schema("greeting")).inputSchema
    assert schema is not None and any(trap in schema["title"] for trap in HOSTILE)
    language = schema["properties"]["language"]
    assert language["enum"][0] == "English", "values stay usable"
    assert any(trap in language["enumNames"][0] for trap in HOSTILE)


def trapped(text: object) -> bool:
    return isinstance(text, str) and any(trap in text for trap in HOSTILE)


def schema_labels(node: object) -> Iterator[str]:
    """Every title, description, help and enum label of a schema, nested ones too."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("title", "description", "ui:help") and isinstance(value, str):
                yield value
            elif key == "enumNames" and isinstance(value, list):
                yield from value
            elif key == "properties" and isinstance(value, dict):
                for sub in value.values():
                    yield from schema_labels(sub)
            else:
                yield from schema_labels(value)
    elif isinstance(node, list):
        for item in node:
            yield from schema_labels(item)


async def test_hostile_demo_puts_traps_in_every_string_field_it_serves() -> None:
    app = create_app(seed_runs=60, hostile=True)
    backend = backend_for(app)

    # Workflows: names, descriptions (a megabyte among them), the reason one is unavailable.
    workflows = await backend.list_workflows()
    assert all(trapped(w.name) and trapped(w.description) and trapped(w.version) for w in workflows)
    assert {trap for trap in HOSTILE if any(trap in (w.name or "") for w in workflows)} == set(HOSTILE)
    legacy = next(w for w in workflows if w.workflowId == "legacy-sync")
    assert not legacy.available and trapped(legacy.unavailable_reason)

    # Input schemas: every title, description, help text and enum label.
    for workflow in workflows:
        if not workflow.available:
            continue
        schema = (await backend.get_input_schema(workflow.workflowId)).inputSchema
        labels = list(schema_labels(schema))
        assert all(trapped(label) for label in labels), workflow.workflowId
        assert labels or schema is None

    # Runs: node names, error messages, outputs, variables, execution summaries, log lines.
    engine = app.state.demo  # type: ignore[attr-defined]
    now = engine.now()
    failed = [run for run in engine.runs_of() if engine.state(run, now) == "ERROR"]
    completed = [run for run in engine.runs_of() if engine.state(run, now) == "COMPLETED"]
    assert failed and completed
    for seeded in failed:
        run = await backend.get_run(seeded.id)
        assert run.error is not None and trapped(run.error.message)
        assert run.nodes and all(trapped(node.name) for node in run.nodes)
        assert all(trapped(node.errorMessage) for node in run.nodes if node.errorMessage)
        assert any(trapped(line) for line in run.executionSummary)
        assert trapped((run.workflowdata or {}).get("note"))
        logs = (await backend.get_logs(seeded.id)).logs
        assert all(trapped(line.log) for line in logs if "Node '" in line.log or "Error executing" in line.log)
    flaky = await backend.get_run(next(run.id for run in failed if run.workflow_id == "flaky-deploy"))
    assert flaky.error is not None and MEGABYTE in (flaky.error.message or "")
    suggested: list[str | None] = []
    for seeded in completed:
        run = await backend.get_run(seeded.id)
        result = run.result
        assert result is not None and trapped(result.message)
        assert all(trapped(output.key) for output in result.outputs)
        assert any(trapped(output.value) for output in result.outputs)
        suggested.extend(workflow.name for workflow in result.nextWorkflows)
        assert any(output.value == MEGABYTE for output in result.outputs)
        assert trapped((run.workflowdata or {}).get("note"))
    assert suggested and all(trapped(name) for name in suggested)

    # Target entities: some are hostile names, and still valid references.
    page = await backend.list_runs()
    targets = {run.targetEntity for run in page.items if run.targetEntity}
    hostile_targets = {hostile_ref(index) for index in range(len(HOSTILE_NAMES))}
    assert targets & hostile_targets
    assert all(parse_entity_ref(target).target == target for target in targets)

    # The catalog: titles, descriptions and owners; entities named with the hostile strings.
    found = await backend.search_entities(limit=100)
    assert len(found) >= len(HOSTILE_NAMES) + 10
    assert all(trapped(entity.metadata.title) and trapped(entity.metadata.description) for entity in found)
    assert all(trapped(entity.owner) for entity in found if entity.owner)
    assert any(MEGABYTE in (entity.metadata.description or "") for entity in found)
    assert any(MEGABYTE in (entity.metadata.title or "") for entity in found)
    names = {entity.metadata.name for entity in found}
    assert set(HOSTILE_NAMES) <= names
    for target in sorted(hostile_targets):
        entity = await backend.get_entity(parse_entity_ref(target))
        assert entity.ref.target == target and entity.workflows.ids == ("greeting", "flaky-deploy")
    assert hostile_ref(0) in [entity.ref.target for entity in await backend.search_entities("[@click")]

    # API errors: the message (not the name) of every error body.
    with pytest.raises(errors.OrchError) as caught:
        await backend.get_workflow("no-such-workflow")
    assert trapped(caught.value.message)
    with pytest.raises(errors.NotFound) as not_found:
        await backend.get_entity(parse_entity_ref("component:default/nobody"))
    assert trapped(not_found.value.message)

    # The permission backend and the form widgets' endpoints below /api/proxy/demo.
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://demo.test") as http:
        refused = await http.post("/api/permission/authorize", json={"items": "nope"})
        assert refused.status_code == 400 and trapped(refused.json()["error"]["message"])
        assert refused.json()["error"]["name"] == "InputError"
        allowed = await http.post(
            "/api/permission/authorize",
            json={"items": [{"id": "1", "permission": {"type": "basic", "name": "orchestrator.workflow", "attributes": {}}}]},
        )
        assert allowed.json() == {"items": [{"id": "1", "result": "ALLOW"}]}
        teams = (await http.get("/api/proxy/demo/teams")).json()["teams"]
        assert [team["id"] for team in teams] == ["platform", "payments", "data"], "ids stay usable"
        assert all(trapped(team["name"]) and trapped(team["lead"]) for team in teams)
        team = (await http.get("/api/proxy/demo/teams/platform")).json()
        assert all(trapped(text) for text in [team["name"], team["lead"], *team["members"], *team["repositories"]])
        names = (await http.get("/api/proxy/demo/repositories", params={"team": "platform"})).json()
        assert REPOSITORY_NAME.match(names["suggested"]), "the suggested name stays a valid one"
        assert all(trapped(name) for name in names["existing"])
        check = await http.post("/api/proxy/demo/validate/repository", json={"team": "platform", "repository": "x"})
        assert check.status_code == 422 and all(trapped(message) for message in check.json()["repository"])
        settings = (await http.get("/api/proxy/demo/environments/vm/schema")).json()["settings"]
        assert settings["properties"]["size"]["enum"] == ["small", "medium", "large"]
        assert all(trapped(label) for label in schema_labels(settings)) and list(schema_labels(settings))
        missing = await http.get("/api/proxy/demo/nothing")
        assert missing.status_code == 404 and trapped(missing.json()["error"]["message"])
