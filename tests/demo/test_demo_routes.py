"""Each route answers with the shapes of the real backend (8.13.2)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
import yaml
from jsonschema import Draft7Validator

from orch_tui.demo import DEFAULT_WORKFLOWS, DemoNode, DemoWorkflow, ManualClock

from .conftest import API, FROZEN, client_for

OVERVIEW_KEYS = {
    "workflowId",
    "name",
    "format",
    "lastRunId",
    "lastTriggeredMs",
    "lastRunStatus",
    "description",
    "isAvailable",
    "availability",
    "version",
    "workflowRunStats",
}


async def all_instances(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    return (await client.post(f"{API}/v2/workflows/instances", json={})).json()["items"]


async def test_health_and_statuses(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{API}/health")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    response = await client.get(f"{API}/v2/workflows/instances/statuses")
    assert response.json() == [
        {"key": "Active", "value": "ACTIVE"},
        {"key": "Error", "value": "ERROR"},
        {"key": "Completed", "value": "COMPLETED"},
        {"key": "Aborted", "value": "ABORTED"},
        {"key": "Suspended", "value": "SUSPENDED"},
        {"key": "Pending", "value": "PENDING"},
    ]


async def test_overview_list(client: httpx.AsyncClient) -> None:
    response = await client.post(f"{API}/v2/workflows/overview")  # the UI sends no body at all
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"overviews", "paginationInfo"}
    assert body["paginationInfo"] == {}
    overviews = {overview["workflowId"]: overview for overview in body["overviews"]}
    assert list(overviews) == [workflow.id for workflow in DEFAULT_WORKFLOWS]
    for overview in overviews.values():
        assert set(overview) <= OVERVIEW_KEYS
        assert overview["format"] in ("yaml", "json")
        assert isinstance(overview["lastTriggeredMs"], int)
        assert ("availability" in overview) == (overview["isAvailable"] is False)

    never_run = overviews["rotate-secrets"]
    assert never_run["lastTriggeredMs"] == 0
    assert not {"lastRunId", "lastRunStatus", "workflowRunStats"} & set(never_run)

    unavailable = overviews["legacy-sync"]
    assert unavailable["availability"] == {
        "isAvailable": False,
        "statusCode": 503,
        "urlToFetch": "http://legacy-sync.sonataflow-infra.svc.cluster.local:8080/management/processes/legacy-sync",
        "reason": "Service Unavailable",
    }


async def test_overview_run_stats_and_last_run(client: httpx.AsyncClient) -> None:
    overview = (await client.get(f"{API}/v2/workflows/greeting/overview")).json()
    runs = [run for run in await all_instances(client) if run["processId"] == "greeting"]
    last = runs[-1]
    assert overview["lastRunId"] == last["id"]
    assert overview["lastRunStatus"] == last["state"]
    assert overview["lastTriggeredMs"] == int(
        datetime.fromisoformat(last["start"].replace("Z", "+00:00")).timestamp() * 1000
    )

    current = [run for run in runs if run["version"] == "1.0"]
    assert len(current) < len(runs)  # some older runs were made with version 0.9
    completed = sum(run["state"] == "COMPLETED" for run in current)
    errors = sum(run["state"] == "ERROR" for run in current)
    stats = overview["workflowRunStats"]
    assert stats["successCount"] == completed and stats["errorCount"] == errors
    assert stats["totalCount"] == completed + errors
    assert stats["successRatio"] == pytest.approx(completed / (completed + errors))
    month_ago = FROZEN - timedelta(days=30)
    assert stats["runsLastMonth"] == sum(
        1 for run in current if run["start"] >= month_ago.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    )

    def span(run: dict[str, Any]) -> float:
        if "end" not in run:
            return 0
        fmt = "%Y-%m-%dT%H:%M:%S.%fZ"
        return (datetime.strptime(run["end"], fmt) - datetime.strptime(run["start"], fmt)).total_seconds() * 1000

    assert stats["averageTimeToComplete"] == pytest.approx(sum(span(run) for run in current) / len(current))

    response = await client.get(f"{API}/v2/workflows/missing/overview")
    assert response.status_code == 500
    assert response.json()["error"]["message"] == "Couldn't fetch workflow overview for missing"


async def test_overview_for_entity(client: httpx.AsyncClient) -> None:
    target = "component:default/payments-api"
    runs = [run for run in await all_instances(client) if run.get("targetEntity") == target]
    from_runs = {run["processId"] for run in runs}
    body = (
        await client.post(
            f"{API}/v2/workflows/overview/entity",
            json={"targetEntity": target, "annotationWorkflowIds": ["rotate-secrets"]},
        )
    ).json()
    ids = [overview["workflowId"] for overview in body["overviews"]]
    assert set(ids) == from_runs | {"rotate-secrets"}
    for overview in body["overviews"]:
        scoped = [run for run in runs if run["processId"] == overview["workflowId"]]
        if scoped:
            assert overview["lastRunId"] == scoped[-1]["id"]
        else:
            assert overview["lastTriggeredMs"] == 0

    body = (
        await client.post(
            f"{API}/v2/workflows/overview/entity",
            json={"targetEntity": "component:default/none", "annotationWorkflowIds": []},
        )
    ).json()
    assert body == {"overviews": []}

    response = await client.post(f"{API}/v2/workflows/overview/entity", json={"targetEntity": target})
    assert response.status_code == 500
    assert response.json()["error"]["name"] == "TypeError"


async def test_source(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{API}/v2/workflows/greeting/source")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    definition = yaml.safe_load(response.text)
    assert definition["id"] == "greeting" and definition["version"] == "1.0"
    assert definition["dataInputSchema"]
    assert [state["name"] for state in definition["states"]] == ["ChooseOnLanguage", "GreetPerson", "PrintGreeting"]
    assert definition["start"] == "ChooseOnLanguage"
    assert definition["states"][-1]["end"] is True

    response = await client.get(f"{API}/v2/workflows/provision-environment/source")
    definition = json.loads(response.text)
    assert definition["name"] == "Provision environment"

    definition = yaml.safe_load((await client.get(f"{API}/v2/workflows/data-migration/source")).text)
    assert any(state["type"] == "sleep" for state in definition["states"])
    definition = yaml.safe_load((await client.get(f"{API}/v2/workflows/nightly-cleanup/source")).text)
    assert "dataInputSchema" not in definition

    response = await client.get(f"{API}/v2/workflows/missing/source")
    assert response.status_code == 500
    assert response.json()["error"]["message"] == "Couldn't fetch workflow source for missing"


async def test_input_schema(client: httpx.AsyncClient) -> None:
    body = (await client.get(f"{API}/v2/workflows/greeting/inputSchema")).json()
    assert set(body) == {"inputSchema"}
    assert body["inputSchema"]["properties"]["language"]["enum"][0] == "English"

    assert (await client.get(f"{API}/v2/workflows/nightly-cleanup/inputSchema")).json() == {}

    response = await client.get(f"{API}/v2/workflows/legacy-sync/inputSchema")
    assert response.status_code == 500
    assert "Status Code: 503" in response.json()["error"]["message"]

    response = await client.get(f"{API}/v2/workflows/missing/inputSchema")
    assert response.status_code == 500


def test_catalogue_schemas_exercise_the_form_features() -> None:
    workflows = {workflow.id: workflow for workflow in DEFAULT_WORKFLOWS}
    assert len(workflows) >= 10
    for workflow in DEFAULT_WORKFLOWS:
        if workflow.input_schema is not None:
            Draft7Validator.check_schema(workflow.input_schema)
        assert workflow.nodes[0].type == "StartNode" and workflow.nodes[-1].type == "EndNode"

    greeting = workflows["greeting"].input_schema
    assert greeting is not None and "default" in greeting["properties"]["language"]

    provision = workflows["provision-environment"].input_schema
    assert provision is not None
    steps = provision["properties"]
    assert all(step["type"] == "object" and step["title"] for step in steps.values())
    assert provision["ui:order"][0] == "project"
    assert set(steps["approval"]["ui:hidden"]) == {"when", "is"}
    assert steps["credentials"]["properties"]["registryPassword"]["ui:widget"] == "password"

    text = json.dumps(workflows["register-component"].input_schema)
    assert "#/$defs/" in text and "#/definitions/" in text
    assert "oneOf" in json.dumps(workflows["notify-team"].input_schema)
    onboard = workflows["onboard-team"].input_schema
    assert onboard is not None
    assert onboard["properties"]["members"]["items"]["type"] == "object"
    assert onboard["properties"]["repositories"]["items"]["type"] == "string"
    formats = {prop.get("format") for prop in workflows["schedule-maintenance"].input_schema["properties"].values()}  # type: ignore[index]
    assert {"email", "date", "uri"} <= formats
    assert workflows["nightly-cleanup"].input_schema is None
    long_run = sum(node.duration for node in workflows["data-migration"].nodes)
    assert 20 <= long_run <= 40 and any(node.waits for node in workflows["data-migration"].nodes)
    assert workflows["flaky-deploy"].failing_node() is not None
    assert not workflows["legacy-sync"].available
    for workflow in DEFAULT_WORKFLOWS:
        if workflow.id != "data-migration":
            assert sum(node.duration for node in workflow.nodes) < 10


async def test_ping(client: httpx.AsyncClient) -> None:
    body = (await client.get(f"{API}/v2/workflows/greeting/pingWorkflowService")).json()
    assert body == {
        "isAvailable": True,
        "statusCode": 200,
        "urlToFetch": "http://greeting.sonataflow-infra.svc.cluster.local:8080/management/processes/greeting",
        "reason": "OK",
    }
    body = (await client.get(f"{API}/v2/workflows/legacy-sync/pingWorkflowService")).json()
    assert body["isAvailable"] is False and body["statusCode"] == 503
    response = await client.get(f"{API}/v2/workflows/missing/pingWorkflowService")
    assert response.status_code == 500
    assert response.json()["error"]["message"] == "Couldn't fetch workflow definition for missing"


async def test_instance_by_id_and_list_item_shapes(client: httpx.AsyncClient) -> None:
    items = await all_instances(client)
    for item in items:
        assert {
            "id",
            "processId",
            "processName",
            "version",
            "state",
            "start",
            "workflowdata",
            "nodes",
            "executionSummary",
        } <= set(item)
        assert not {"error", "serviceUrl", "description"} & set(item)
        assert all(set(node) == {"id", "__typename"} for node in item["nodes"])
        assert ("end" in item) == ("duration" in item) == (item["state"] in ("COMPLETED", "ABORTED"))

    errored = next(item for item in items if item["state"] == "ERROR")
    full = (await client.get(f"{API}/v2/workflows/instances/{errored['id']}")).json()
    assert full["serviceUrl"].startswith("http://")
    assert full["description"]
    assert set(full["error"]) == {"nodeDefinitionId", "nodeInstanceId", "message"}
    assert [node["id"] for node in full["nodes"] if "errorMessage" in node] == [full["error"]["nodeInstanceId"]]

    response = await client.get(f"{API}/v2/workflows/instances/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert response.json()["error"] == {
        "name": "NotFoundError",
        "message": "Couldn't fetch process instance 00000000-0000-0000-0000-000000000000",
    }


async def test_custom_catalogue_with_markup_names(make_app: Any, clock: ManualClock) -> None:
    workflows = [
        DemoWorkflow(id="bracket", name="[/]", description="[b]not bold[/b]"),
        DemoWorkflow(
            id="click",
            name="[@click=app.quit]x",
            nodes=(
                DemoNode("Start", "StartNode", 0),
                DemoNode("[red]step[/]", "ActionNode", 1),
                DemoNode("End", "EndNode", 0),
            ),
        ),
    ]
    async with client_for(make_app(workflows=workflows, seed_runs=12)) as http:
        overviews = (await http.post(f"{API}/v2/workflows/overview", json={})).json()["overviews"]
        assert [overview["name"] for overview in overviews] == ["[/]", "[@click=app.quit]x"]
        run_id = (await http.post(f"{API}/v2/workflows/click/execute", json={"inputData": {}})).json()["id"]
        clock.advance(seconds=2)
        run = (await http.get(f"{API}/v2/workflows/instances/{run_id}")).json()
        assert run["processName"] == "[@click=app.quit]x"
        assert [node["name"] for node in run["nodes"]] == ["Start", "[red]step[/]", "End"]
        assert run["state"] == "COMPLETED"
        total = (await http.post(f"{API}/v2/workflows/instances", json={})).json()["totalCount"]
        assert total == 13


def test_sources_and_sample_inputs_are_consistent() -> None:
    from jsonschema import FormatChecker

    from orch_tui.demo.source import render

    for workflow in DEFAULT_WORKFLOWS:
        text = render(workflow)
        document = yaml.safe_load(text) if workflow.format == "yaml" else json.loads(text)
        body = [node.name for node in workflow.nodes if node.type not in ("StartNode", "EndNode")]
        assert [state["name"] for state in document["states"]] == body
        assert document["id"] == workflow.id and document["version"] == workflow.version
        if workflow.input_schema is not None:
            validator = Draft7Validator(workflow.input_schema, format_checker=FormatChecker())
            for sample in workflow.sample_inputs:
                assert not list(validator.iter_errors(sample)), (workflow.id, sample)
