"""CoreBackend's workflows, engine, subscriptions, entities and typed errors (recorded exchanges)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from orch_tui.core import errors
from orch_tui.core.entity import EntityRef
from orch_tui.core.models import RunStatus
from orch_tui.core.orchestrator_core import CoreBackend, CoreWorkflow
from orch_tui.core.orchestrator_core.transport import error_from_response, graphql_error
from orch_tui.core.permissions import WORKFLOW_READ, WORKFLOW_USE, Decision, PermissionRequest

from .conftest import request_of, response_of
from .replay import replay

LAB = {"create_lab_node", "modify_lab_node", "terminate_lab_node", "validate_lab_node", "task_lab_nap"}


async def test_list_workflows_with_tasks_steps_and_last_runs(core: Any, rec: Any) -> None:
    backend, handler = core("workflows/list_workflows")
    workflows = await backend.list_workflows()
    by_id = {wf.workflowId: wf for wf in workflows}
    assert LAB <= set(by_id) and "task_validate_products" in by_id
    create = by_id["create_lab_node"]
    assert isinstance(create, CoreWorkflow)
    assert create.display_name == "Create lab node" and create.target == "CREATE" and not create.is_task
    assert [p["name"] for p in create.products] == ["Lab Node"]
    assert create.steps[0]["name"] == "Start" and create.steps[-1]["name"] == "Done"
    assert by_id["task_lab_nap"].is_task and by_id["task_lab_nap"].target == "SYSTEM"
    assert create.available and create.workflow_uuid
    # each workflow's newest process: one REST request per workflow, newest first
    ran: dict[str, dict[str, Any]] = {}
    for exchange in rec["workflows"]["list_workflows"][1:]:
        query = dict(exchange["request"]["query"])
        assert query["range"] == "0,1" and query["sort"] == "startedAt,desc"
        if exchange["response"]["body"]:
            ran[query["filter"].split(",")[1]] = exchange["response"]["body"][0]
    assert "create_lab_node" in ran
    for name, latest in ran.items():
        status = {"completed": RunStatus.COMPLETED, "failed": RunStatus.ERROR, "aborted": RunStatus.ABORTED}
        assert by_id[name].lastRunId == latest["process_id"]
        assert by_id[name].lastRunStatus is status[latest["last_status"]]
        assert by_id[name].last_triggered is not None
    never = [wf for wf in workflows if wf.workflowId not in ran]
    assert never and all(wf.lastRunStatus is None and wf.last_triggered is None for wf in never)
    assert len(handler.sent) == 1 + len(workflows)


async def test_get_workflow_and_source(core: Any) -> None:
    backend, _ = core("workflows/get_workflow", "workflows/get_workflow")
    workflow = await backend.get_workflow("create_lab_node")
    assert workflow.workflowId == "create_lab_node" and workflow.description == "Create lab node"
    source = json.loads(await backend.get_source("create_lab_node"))
    assert "serves no workflow source" in source["note"]
    assert source["target"] == "CREATE" and [s["name"] for s in source["steps"]][0] == "Start"


async def test_unknown_workflow(core: Any) -> None:
    backend, _ = core("workflows/get_workflow_missing", "workflows/start_unknown")
    with pytest.raises(errors.NotFound, match="'no_such_workflow' does not exist"):
        await backend.get_workflow("no_such_workflow")
    with pytest.raises(errors.NotFound) as caught:
        await backend.execute("no_such_workflow", {})
    assert caught.value.message == "Workflow does not exist"


async def test_ping_is_the_engine(core: Any, rec: Any) -> None:
    backend, _ = core("workflows/ping")
    availability = await backend.ping("create_lab_node")
    assert availability.isAvailable and availability.urlToFetch == "http://127.0.0.1:18081/api/health/"
    health = rec["workflows"]["ping"][:1]  # the health check, then the engine as it was while locked
    transport, _ = replay(health, rec["workflows"]["engine_locked_status"])
    paused = await CoreBackend("http://127.0.0.1:18081", transport=transport, retries=0).ping("create_lab_node")
    assert not paused.isAvailable and paused.reason == "the engine is paused: starts and resumes are refused"


async def test_engine_status_and_the_locked_engine(core: Any, rec: Any) -> None:
    backend, _ = core("workflows/engine_status", "workflows/start_locked")
    engine = await backend.engine_status()
    assert engine.global_status == "RUNNING" and engine.accepts_changes
    assert engine.process_counts == response_of(rec, "workflows/engine_status", 1)["process_counts"]
    with pytest.raises(errors.ServerError) as caught:
        await backend.execute("task_lab_nap", {"seconds": 0})
    assert caught.value.status == 503
    assert caught.value.message == "Engine is locked cannot accept changes on processes at this time"
    locked, _ = core("workflows/engine_locked_status")
    status = await locked.engine_status()
    assert status.global_lock and status.global_status == "PAUSED" and not status.accepts_changes


async def test_input_schema_is_the_first_page(core: Any, rec: Any) -> None:
    backend, handler = core("workflows/input_schema", "runs/input_schema_of_run")
    nap = await backend.get_input_schema("task_lab_nap")
    assert nap.inputSchema is not None and nap.inputSchema["title"] == "Nap" and nap.data is None
    assert handler.sent[0]["body"] == []
    run_id = request_of(rec, "runs/input_schema_of_run", 1)["path"].rsplit("/", 1)[-1]
    create = await backend.get_input_schema("create_lab_node", run_id)
    assert create.inputSchema is not None and list(create.inputSchema["properties"]) == ["product"]
    assert create.data is not None and create.data["hostname"].startswith("rec-") and create.data["port_count"] == 4
    assert "process_id" not in create.data and "workflow_name" not in create.data


async def test_graphql_errors_with_http_200_are_typed(core: Any) -> None:
    backend, _ = core("workflows/graphql_error")
    with pytest.raises(errors.BadRequest) as caught:
        await backend.list_subscriptions(sort=("bogus", "ASC"))
    assert caught.value.message.startswith("Invalid sort arguments (invalid_sorting=['bogus']")


# -- subscriptions ----------------------------------------------------------------------------


async def test_list_and_search_subscriptions(core: Any, rec: Any) -> None:
    backend, handler = core("subscriptions/list", "subscriptions/search", "subscriptions/list_active")
    listed = await backend.list_subscriptions(first=5)
    body = response_of(rec, "subscriptions/list")["data"]["subscriptions"]
    assert [s.subscription_id for s in listed.items] == [s["subscriptionId"] for s in body["page"]]
    assert listed.total == body["pageInfo"]["totalItems"] and listed.has_next == body["pageInfo"]["hasNextPage"]
    first = listed.items[0]
    assert first.status == first.status.lower() and first.product is not None and first.product.name == "Lab Node"
    started = [s.start_date for s in listed.items if s.start_date is not None]
    assert started and all(moment.tzinfo is not None for moment in started)
    assert handler.sent[0]["body"]["variables"]["query"] is None  # no search: the whole table
    found = await backend.list_subscriptions("lab", first=5)
    assert handler.sent[1]["body"]["variables"]["query"] == "lab"
    assert all("lab" in (s.description or "").lower() for s in found.items)
    active = await backend.list_subscriptions(filters={"status": "active"}, first=3)
    assert active.items and all(s.status == "active" for s in active.items)
    assert handler.sent[2]["body"]["variables"]["filterBy"] == [{"field": "status", "value": "active"}]


async def test_subscription_detail_with_block_tree_and_processes(core: Any, rec: Any) -> None:
    backend, _ = core("subscriptions/detail")
    subscription_id = request_of(rec, "subscriptions/detail")["body"]["variables"]["id"]
    detail = await backend.get_subscription(subscription_id)
    assert detail.subscription_id == subscription_id and detail.status == "active" and detail.insync
    assert detail.customer_name == "Default::Orchestrator-Core Customer"
    [block] = detail.blocks
    assert block.name == "LabNodeBlock" and block.children == []
    assert block.values["portCount"] == 4 and block.values["notes"] == "line one\nline two"
    assert "name" not in block.values
    assert [p.workflow_name for p in detail.processes] == ["create_lab_node"]
    assert detail.processes[0].status is RunStatus.COMPLETED and detail.processes[0].core_status == "completed"


async def test_block_tree_nests_children() -> None:
    from orch_tui.core.orchestrator_core.adapter import block_tree

    def block(index: int, parent: int | None, name: str) -> dict[str, Any]:
        return {"id": index, "parent": parent, "productBlockInstanceValues": [{"field": "name", "value": name},
                                                                              {"field": "speed", "value": index}]}

    roots = block_tree([block(0, None, "Node"), block(1, 0, "Port"), block(2, 0, "Port"), block(3, 1, "Vlan")])
    assert [(depth, b.name, b.values["speed"]) for depth, b in roots[0].walk()] == [
        (0, "Node", 0), (1, "Port", 1), (2, "Vlan", 3), (1, "Port", 2)]


async def test_missing_subscription(core: Any) -> None:
    backend, _ = core("subscriptions/detail_missing", "subscriptions/workflows_missing")
    nobody = "00000000-0000-0000-0000-000000000000"
    with pytest.raises(errors.NotFound, match="not found"):
        await backend.get_subscription(nobody)
    with pytest.raises(errors.NotFound, match=f"Subscription {nobody} not found"):
        await backend.subscription_workflows(nobody)


async def test_applicable_workflows_with_reasons(core: Any, rec: Any) -> None:
    backend, _ = core("subscriptions/workflows_active", "workflows/subscription_workflows_locked",
                      "subscriptions/workflows_terminated")
    subscription_id = request_of(rec, "subscriptions/workflows_active")["path"].rsplit("/", 1)[-1]
    active = await backend.subscription_workflows(subscription_id)
    assert {wf.name for wf in active.allowed} == {"modify_lab_node", "terminate_lab_node", "validate_lab_node"}
    [create] = active.by_target("CREATE")
    assert create.reason == "subscription.no_modify_invalid_status" and not create.allowed
    assert active.reason is None
    locked = await backend.subscription_workflows(subscription_id)  # while a modify waits for approval
    assert locked.allowed == [] and (locked.reason or all(wf.reason for wf in locked.workflows))
    terminated = await backend.subscription_workflows(subscription_id)
    assert terminated.allowed == []
    assert {wf.name: wf.usable_when for wf in terminated.by_target("modify")} == {"modify_lab_node": ["active"]}


async def test_subscriptions_are_the_entities(core: Any, rec: Any) -> None:
    backend, _ = core("subscriptions/entity")
    subscription_id = request_of(rec, "subscriptions/entity")["body"]["variables"]["id"]
    entity = await backend.get_entity(EntityRef.of("subscription", "default", subscription_id))
    assert entity.kind == "Subscription" and entity.metadata.title and entity.ref.target.endswith(subscription_id)
    assert set(entity.workflows.ids) == {"modify_lab_node", "terminate_lab_node", "validate_lab_node"}
    with pytest.raises(errors.NotFound, match="has no catalog"):
        await backend.get_entity(EntityRef.of("component", "default", "x"))
    assert await backend.search_entities("x", kinds=["component"]) == []


async def test_authorize_allows_all_but_workflows_not_allowed(core: Any) -> None:
    backend, _ = core()
    decisions = await backend.authorize([PermissionRequest(WORKFLOW_READ, "create_lab_node"),
                                         PermissionRequest(WORKFLOW_USE, "create_lab_node")])
    assert [d.result for d in decisions] == [Decision.ALLOW, Decision.ALLOW]


# -- error shapes -------------------------------------------------------------------------------


def answer(status: int, body: Any) -> httpx.Response:
    return httpx.Response(status, json=body, request=httpx.Request("GET", "http://x/api/y"))


def test_error_mapping_keeps_the_server_words() -> None:
    predicate = error_from_response(answer(412, {"detail": "Workflow 'task_validate_products' already has 1 "
                                                           "uncompleted instance(s)", "status": 412}))
    assert isinstance(predicate, errors.BadRequest) and predicate.status == 412
    assert predicate.message == "Workflow 'task_validate_products' already has 1 uncompleted instance(s)"
    denied = error_from_response(answer(403, {"detail": "User is not authorized to start 'x' workflow"}))
    assert isinstance(denied, errors.PermissionDenied) and "not authorized" in denied.message
    conflict = error_from_response(answer(409, {"detail": "Resuming a aborted workflow is not possible"}))
    assert isinstance(conflict, errors.BadRequest) and conflict.message.startswith("Resuming a aborted")
    fastapi = error_from_response(answer(422, {"detail": [{"loc": ["path", "process_id"], "msg": "Input should be a "
                                                           "valid UUID", "type": "uuid_parsing"}]}))
    assert isinstance(fastapi, errors.BadRequest) and fastapi.message == "process_id: Input should be a valid UUID"
    bare = error_from_response(answer(404, {"detail": "Not Found"}), what="Subscription 42")
    assert isinstance(bare, errors.NotFound) and bare.message == "Subscription 42 not found"
    assert isinstance(error_from_response(answer(401, {"detail": "no token"})), errors.Unauthorized)
    assert isinstance(error_from_response(answer(500, {"detail": "boom"})), errors.ServerError)
    assert isinstance(graphql_error([{"message": "User is not authenticated",
                                      "extensions": {"error_type": "not_authenticated"}}]), errors.Unauthorized)


async def test_unreachable_and_token_never_in_messages() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        assert request.headers["authorization"] == "Bearer sekret-token"
        raise httpx.ConnectError("connection refused")

    backend = CoreBackend("http://127.0.0.1:9", token="sekret-token", transport=httpx.MockTransport(refuse),
                          retries=1, backoff=0)
    with pytest.raises(errors.Unreachable) as caught:
        await backend.engine_status()
    assert "sekret" not in caught.value.message and "127.0.0.1:9" in caught.value.message
