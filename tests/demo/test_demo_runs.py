"""Runs execute over (controllable) time: progress, completion, failure, retrigger, abort."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx

from orch_tui.demo import ManualClock

from .conftest import API, FROZEN


def at(seconds: float) -> str:
    moment = FROZEN + timedelta(seconds=seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


async def execute(client: httpx.AsyncClient, workflow_id: str, body: dict[str, Any] | None = None) -> str:
    response = await client.post(f"{API}/v2/workflows/{workflow_id}/execute", json=body or {})
    assert response.status_code == 200, response.text
    assert set(response.json()) == {"id"}
    return response.json()["id"]


async def instance(client: httpx.AsyncClient, instance_id: str) -> dict[str, Any]:
    response = await client.get(f"{API}/v2/workflows/instances/{instance_id}")
    assert response.status_code == 200, response.text
    return response.json()


def node_names(run: dict[str, Any]) -> list[str]:
    return [node["name"] for node in run["nodes"]]


async def test_run_progresses_with_the_clock_and_completes_with_a_result(
    empty_client: httpx.AsyncClient, clock: ManualClock
) -> None:
    run_id = await execute(
        empty_client,
        "greeting",
        {"inputData": {"language": "Spanish", "name": "Ana"}, "targetEntity": "component:default/payments-api"},
    )

    run = await instance(empty_client, run_id)
    assert run["state"] == "ACTIVE"
    assert run["start"] == at(0)
    assert "end" not in run and "duration" not in run
    assert run["initiatorEntity"] == "user:default/guest"
    assert run["targetEntity"] == "component:default/payments-api"
    assert run["executionSummary"] == [f"Workflow started at {at(0)}"]
    assert node_names(run) == ["Start", "ChooseOnLanguage"]
    start_node, choose = run["nodes"]
    assert start_node["type"] == "StartNode" and start_node["enter"] == start_node["exit"] == at(0)
    assert "exit" not in choose
    assert choose["__typename"] == "NodeInstance"
    assert {"id", "nodeId", "definitionId", "type", "name", "enter"} <= set(choose)
    assert run["workflowdata"] == {"language": "Spanish", "name": "Ana"}

    clock.advance(seconds=1)
    run = await instance(empty_client, run_id)
    assert run["state"] == "ACTIVE"
    assert node_names(run) == ["Start", "ChooseOnLanguage", "GreetPerson"]
    assert run["nodes"][1]["exit"] == at(0.3)
    assert "exit" not in run["nodes"][2]

    clock.advance(seconds=1.5)
    run = await instance(empty_client, run_id)
    assert run["state"] == "COMPLETED"
    assert run["end"] == at(2)
    assert run["duration"] == "0 hours, 0 minutes, 2 seconds"
    assert node_names(run) == ["Start", "ChooseOnLanguage", "GreetPerson", "PrintGreeting", "End"]
    assert all("exit" in node and "errorMessage" not in node for node in run["nodes"])
    assert run["executionSummary"][-1] == f"Workflow completed at {at(2)}"
    assert "error" not in run
    result = run["workflowdata"]["result"]
    assert result["message"] == "Hola, Ana!"
    assert {output["format"] for output in result["outputs"]} == {"text", "number", "link", "markdown"}
    assert result["nextWorkflows"] and all(set(item) == {"id", "name"} for item in result["nextWorkflows"])
    assert run["workflowdata"]["language"] == "Spanish"


async def test_waiting_node_is_reported_in_the_execution_summary(
    empty_client: httpx.AsyncClient, clock: ManualClock
) -> None:
    run_id = await execute(empty_client, "data-migration", {"inputData": {"database": "orders", "targetVersion": 3}})
    clock.advance(seconds=15)
    run = await instance(empty_client, run_id)
    assert run["state"] == "ACTIVE"
    assert run["executionSummary"][-1] == f"Waiting at node Wait for replication since {at(11)}"
    assert run["nodes"][-1]["type"] == "TimerNode"

    clock.advance(seconds=10)
    run = await instance(empty_client, run_id)
    assert not any(line.startswith("Waiting") for line in run["executionSummary"])

    clock.advance(seconds=5)
    run = await instance(empty_client, run_id)
    assert run["state"] == "COMPLETED"
    assert run["duration"] == "0 hours, 0 minutes, 29 seconds"


async def test_failure_is_recorded_at_its_node_and_retrigger_recovers(
    empty_client: httpx.AsyncClient, clock: ManualClock
) -> None:
    inputs = {"service": "payments-api", "imageTag": "v9"}
    run_id = await execute(empty_client, "flaky-deploy", {"inputData": inputs})
    clock.advance(seconds=3.5)
    run = await instance(empty_client, run_id)
    assert run["state"] == "ERROR"
    assert "end" not in run and "duration" not in run
    failed = run["nodes"][-1]
    assert failed["name"] == "Deploy" and "exit" not in failed
    assert failed["errorMessage"].startswith("Deployment to staging timed out")
    assert run["error"] == {
        "nodeDefinitionId": failed["definitionId"],
        "nodeInstanceId": failed["id"],
        "message": failed["errorMessage"],
    }
    assert f"Node Deploy failed at {at(3)}" in run["executionSummary"]

    clock.advance(seconds=6.5)  # t = 10 s
    response = await empty_client.post(f"{API}/v2/workflows/flaky-deploy/{run_id}/retrigger", json={})
    assert response.status_code == 200
    assert response.content == b""

    run = await instance(empty_client, run_id)
    assert run["state"] == "ACTIVE"
    assert "error" not in run
    deploy_nodes = [node for node in run["nodes"] if node["name"] == "Deploy"]
    assert len(deploy_nodes) == 1 and deploy_nodes[0]["id"] != failed["id"]
    assert deploy_nodes[0]["enter"] == at(10)
    assert all("errorMessage" not in node for node in run["nodes"])
    assert run["workflowdata"] == inputs

    clock.advance(seconds=2)
    run = await instance(empty_client, run_id)
    assert run["state"] == "COMPLETED"
    assert run["end"] == at(11.6)
    assert run["executionSummary"] == [
        f"Workflow started at {at(0)}",
        f"Node Deploy failed at {at(3)}",
        f"Workflow retriggered at {at(10)}",
        f"Workflow completed at {at(11.6)}",
    ]
    assert node_names(run) == ["Start", "Build image", "Run tests", "Deploy", "Smoke test", "End"]
    assert run["workflowdata"]["result"]["message"] == "payments-api:v9 is live on staging."

    # The list view keeps every node instance id, including the failed attempt's.
    listing = await empty_client.post(f"{API}/v2/workflows/flaky-deploy/instances", json={})
    item = listing.json()["items"][0]
    assert len(item["nodes"]) == len(run["nodes"]) + 1
    assert "error" not in item and "serviceUrl" not in item and "description" not in item

    response = await empty_client.post(f"{API}/v2/workflows/flaky-deploy/{run_id}/retrigger", json={})
    assert response.status_code == 500
    assert "Status Code: 404" in response.json()["error"]["message"]


async def test_retrigger_that_fails_again_reports_the_failed_node(
    empty_client: httpx.AsyncClient, clock: ManualClock
) -> None:
    run_id = await execute(
        empty_client, "flaky-deploy", {"inputData": {"service": "checkout-web", "simulatedFailures": 2}}
    )
    clock.advance(seconds=5)
    response = await empty_client.post(f"{API}/v2/workflows/flaky-deploy/{run_id}/retrigger", json={})
    assert response.status_code == 500
    message = response.json()["error"]["message"]
    assert message.splitlines()[0].startswith("HTTP POST request to ")
    assert "Failed Node ID: _jbpm-unique-3" in message
    run = await instance(empty_client, run_id)
    assert run["state"] == "ERROR"
    assert [node["name"] for node in run["nodes"] if "errorMessage" in node] == ["Deploy"]
    assert run["error"]["nodeInstanceId"] == run["nodes"][-1]["id"]

    clock.advance(seconds=5)
    response = await empty_client.post(f"{API}/v2/workflows/flaky-deploy/{run_id}/retrigger", json={})
    assert response.status_code == 200
    clock.advance(seconds=5)
    assert (await instance(empty_client, run_id))["state"] == "COMPLETED"


async def test_retrigger_is_only_for_failed_runs(empty_client: httpx.AsyncClient, clock: ManualClock) -> None:
    run_id = await execute(empty_client, "greeting", {"inputData": {"language": "English"}})
    response = await empty_client.post(f"{API}/v2/workflows/greeting/{run_id}/retrigger", json={})
    assert response.status_code == 500
    assert "not in error state" in response.json()["error"]["message"]
    response = await empty_client.post(f"{API}/v2/workflows/greeting/not-a-run/retrigger", json={})
    assert response.status_code == 500
    assert "Status Code: 404" in response.json()["error"]["message"]
    response = await empty_client.post(f"{API}/v2/workflows/nope/{run_id}/retrigger", json={})
    assert response.status_code == 500
    assert response.json()["error"]["message"] == "Couldn't fetch workflow definition for nope"


async def test_abort_stops_an_active_run(empty_client: httpx.AsyncClient, clock: ManualClock) -> None:
    run_id = await execute(empty_client, "data-migration", {"inputData": {"database": "orders", "targetVersion": 2}})
    clock.advance(seconds=7)
    response = await empty_client.delete(f"{API}/v2/workflows/instances/{run_id}/abort")
    assert response.status_code == 200
    assert response.json() == f"Workflow instance {run_id} successfully aborted"

    clock.advance(seconds=60)
    run = await instance(empty_client, run_id)
    assert run["state"] == "ABORTED"
    assert run["end"] == at(7)
    assert run["duration"] == "0 hours, 0 minutes, 7 seconds"
    assert node_names(run) == ["Start", "Snapshot database", "Migrate schema"]
    assert run["nodes"][-1]["exit"] == at(7)
    assert run["executionSummary"][-1] == f"Workflow aborted at {at(7)}"
    assert "result" not in run["workflowdata"]

    response = await empty_client.delete(f"{API}/v2/workflows/instances/{run_id}/abort")
    assert response.status_code == 500
    lines = response.json()["error"]["message"].splitlines()
    assert lines[0] == (
        f"HTTP DELETE request to http://data-migration.sonataflow-infra.svc.cluster.local:8080"
        f"/management/processes/data-migration/instances/{run_id} failed."
    )
    assert lines[1] == "Status Code: 404"


async def test_abort_a_failed_run_and_a_completed_one(empty_client: httpx.AsyncClient, clock: ManualClock) -> None:
    failed_id = await execute(empty_client, "flaky-deploy", {"inputData": {"service": "payments-api"}})
    done_id = await execute(empty_client, "nightly-cleanup")
    clock.advance(seconds=20)
    assert (await instance(empty_client, failed_id))["state"] == "ERROR"
    response = await empty_client.delete(f"{API}/v2/workflows/instances/{failed_id}/abort")
    assert response.status_code == 200
    run = await instance(empty_client, failed_id)
    assert run["state"] == "ABORTED"
    assert run["nodes"][-1]["exit"] == at(20)

    response = await empty_client.delete(f"{API}/v2/workflows/instances/{done_id}/abort")
    assert response.status_code == 500
    assert response.json()["response"] == {"statusCode": 500}

    response = await empty_client.delete(f"{API}/v2/workflows/instances/unknown-run/abort")
    assert response.status_code == 404
    assert response.json()["error"]["name"] == "NotFoundError"


async def test_executing_an_unavailable_workflow_fails_clearly(empty_client: httpx.AsyncClient) -> None:
    response = await empty_client.post(f"{API}/v2/workflows/legacy-sync/execute", json={"inputData": {}})
    assert response.status_code == 500
    body = response.json()
    assert body["error"]["name"] == "Error"
    assert body["error"]["message"].splitlines() == [
        "HTTP POST request to http://legacy-sync.sonataflow-infra.svc.cluster.local:8080/legacy-sync failed.",
        "Status Code: 503",
        "Status Text: Service Unavailable",
    ]
    response = await empty_client.post(f"{API}/v2/workflows/unknown/execute", json={})
    assert response.status_code == 500
    assert response.json()["error"]["message"] == "Couldn't fetch workflow definition for unknown"


async def test_logs_follow_the_run(empty_client: httpx.AsyncClient, clock: ManualClock) -> None:
    run_id = await execute(empty_client, "greeting", {"inputData": {"language": "French", "name": "Luc"}})
    clock.advance(seconds=3)
    response = await empty_client.get(f"{API}/v2/workflows/instances/{run_id}/logs")
    assert response.status_code == 200
    body = response.json()
    assert body["instanceId"] == run_id
    ids = [entry["id"] for entry in body["logs"]]
    assert ids == sorted(ids, key=int) and all(entry_id.isdigit() for entry_id in ids)
    assert int(ids[0]) // 1_000_000 == int(FROZEN.timestamp() * 1000)
    assert all(run_id in entry["log"] for entry in body["logs"])
    assert any("GreetPerson" in entry["log"] for entry in body["logs"])
    assert "completed" in body["logs"][-1]["log"]

    response = await empty_client.get(f"{API}/v2/workflows/instances/{run_id}/logs", params={"rawlog": "true"})
    assert response.status_code == 200


async def test_logs_without_a_log_provider(make_app: Any) -> None:
    from .conftest import client_for

    async with client_for(make_app(seed_runs=0, logs_enabled=False)) as http:
        run_id = (await http.post(f"{API}/v2/workflows/greeting/execute", json={})).json()["id"]
        response = await http.get(f"{API}/v2/workflows/instances/{run_id}/logs")
    assert response.status_code == 500
    assert response.json()["error"] == {"name": "Error", "message": "No log provider setup"}


async def test_input_schema_with_instance_returns_its_inputs(
    empty_client: httpx.AsyncClient, clock: ManualClock
) -> None:
    run_id = await execute(empty_client, "greeting", {"inputData": {"language": "German", "name": "Jo", "extra": 1}})
    clock.advance(seconds=10)
    response = await empty_client.get(f"{API}/v2/workflows/greeting/inputSchema", params={"instanceId": run_id})
    body = response.json()
    assert body["data"] == {"language": "German", "name": "Jo"}
    assert body["inputSchema"]["properties"]["language"]["default"] == "English"


async def test_static_token_runs_are_attributed_to_the_system_user(make_app: Any) -> None:
    from .conftest import client_for

    headers = {"Authorization": "Bearer s3cret-token"}
    async with client_for(make_app(seed_runs=0, token="s3cret-token"), headers=headers) as http:
        run_id = (await http.post(f"{API}/v2/workflows/greeting/execute", json={})).json()["id"]
        run = (await http.get(f"{API}/v2/workflows/instances/{run_id}")).json()
    assert run["initiatorEntity"] == "user:default/system"
    assert "targetEntity" not in run
