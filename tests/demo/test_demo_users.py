"""The demo's users, permission backend and catalog, over HTTP: shapes and the rights enforced."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from .conftest import API, client_for

ADMIN, DEVELOPER, VIEWER = "user:default/alice", "user:default/bob", "user:default/carol"


def bearer(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


@pytest.fixture
async def http(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(app) as client:
        yield client


async def all_runs(http: httpx.AsyncClient, token: str | None) -> list[dict[str, Any]]:
    response = await http.post(f"{API}/v2/workflows/instances", json={}, headers=bearer(token))
    assert response.status_code == 200
    return response.json()["items"]


def use(resource_ref: str | None = None, item_id: str = "0") -> dict[str, Any]:
    item: dict[str, Any] = {"id": item_id, "permission": {
        "type": "resource", "name": "orchestrator.workflow.use", "attributes": {"action": "update"},
        "resourceType": "orchestrator-workflow"}}
    if resource_ref is not None:
        item["resourceRef"] = resource_ref
    return item


def basic(name: str, item_id: str) -> dict[str, Any]:
    return {"id": item_id, "permission": {"type": "basic", "name": name, "attributes": {"action": "read"}}}


# -- who sees which runs ------------------------------------------------------------------------------


async def test_without_a_token_and_as_admin_every_run_is_visible(http: httpx.AsyncClient, app: Starlette) -> None:
    total = len(app.state.demo.runs)
    assert len(await all_runs(http, None)) == len(await all_runs(http, "demo-admin")) == total


@pytest.mark.parametrize(("token", "user"), [("demo-developer", DEVELOPER), ("demo-viewer", VIEWER)])
async def test_without_instance_admin_view_only_ones_own_runs(
    http: httpx.AsyncClient, app: Starlette, token: str, user: str
) -> None:
    mine = await all_runs(http, token)
    engine = app.state.demo
    assert mine and {run["initiatorEntity"] for run in mine} == {user}
    assert len(mine) == sum(1 for run in engine.runs.values() if run.initiator == user)
    # 8.13.2 does not filter one workflow's runs by owner: everyone's show there.
    workflow = next(run.workflow_id for run in engine.runs.values() if run.initiator not in (user, None))
    response = await http.post(f"{API}/v2/workflows/{workflow}/instances", json={}, headers=bearer(token))
    assert {run.get("initiatorEntity") for run in response.json()["items"]} - {user}


async def test_another_users_run_is_refused_with_the_reason(http: httpx.AsyncClient, app: Starlette) -> None:
    engine = app.state.demo
    other = next(run for run in engine.runs.values() if run.initiator and run.initiator != DEVELOPER)
    response = await http.get(f"{API}/v2/workflows/instances/{other.id}", headers=bearer("demo-developer"))
    assert response.status_code == 403
    body = response.json()
    assert body["error"]["name"] == "NotAllowedError" and body["response"] == {"statusCode": 403}
    assert f"was initiated by '{other.initiator}', not by you ('{DEVELOPER}')" in body["error"]["message"]
    assert "'orchestrator.instanceAdminView' permission is required" in body["error"]["message"]
    orphan = next((run for run in engine.runs.values() if run.initiator is None), None)
    if orphan is not None:
        response = await http.get(f"{API}/v2/workflows/instances/{orphan.id}", headers=bearer("demo-developer"))
        assert "does not have ownership information recorded" in response.json()["error"]["message"]
    admin = await http.get(f"{API}/v2/workflows/instances/{other.id}", headers=bearer("demo-admin"))
    assert admin.status_code == 200
    logs = await http.get(f"{API}/v2/workflows/instances/{other.id}/logs", headers=bearer("demo-developer"))
    assert logs.status_code == 500  # the logs route's ownership check throws a plain Error


# -- who may run --------------------------------------------------------------------------------------


async def test_viewer_may_not_run_retrigger_or_abort(http: httpx.AsyncClient, app: Starlette) -> None:
    engine = app.state.demo
    before = len(engine.runs)
    failed = next(run for run in engine.runs.values() if engine.state(run, engine.now()) == "ERROR")
    calls = [
        http.post(f"{API}/v2/workflows/greeting/execute", json={"inputData": {}}, headers=bearer("demo-viewer")),
        http.post(f"{API}/v2/workflows/{failed.workflow_id}/{failed.id}/retrigger", json={},
                  headers=bearer("demo-viewer")),
        http.delete(f"{API}/v2/workflows/instances/{failed.id}/abort", headers=bearer("demo-viewer")),
    ]
    for call in calls:
        response = await call
        assert response.status_code == 403
        assert response.json()["error"] == {"name": "NotAllowedError", "message": "Unauthorized"}
    assert len(engine.runs) == before and engine.state(failed, engine.now()) == "ERROR"


async def test_developer_runs_as_themselves_except_the_denied_workflows(http: httpx.AsyncClient, app: Starlette) -> None:
    body = {"inputData": {"name": "Bo", "language": "English"}, "targetEntity": "component:default/shop"}
    started = await http.post(f"{API}/v2/workflows/greeting/execute", json=body, headers=bearer("demo-developer"))
    assert started.status_code == 200
    run = app.state.demo.get(started.json()["id"])
    assert run.initiator == DEVELOPER and run.target == "component:default/shop"
    denied = await http.post(f"{API}/v2/workflows/rotate-secrets/execute", json={"inputData": {}},
                             headers=bearer("demo-developer"))
    assert denied.status_code == 403
    anyone = await http.post(f"{API}/v2/workflows/greeting/execute", json=body)
    assert app.state.demo.get(anyone.json()["id"]).initiator == "user:default/guest"


async def test_tokens_that_are_not_demo_users_are_refused(http: httpx.AsyncClient, make_app: Any) -> None:
    response = await http.post(f"{API}/v2/workflows/overview", json={}, headers=bearer("demo-nobody"))
    assert response.status_code == 401 and response.json()["error"]["message"] == "Unknown demo user token"
    assert (await http.post(f"{API}/v2/workflows/overview", json={}, headers=bearer("anything"))).status_code == 200
    async with client_for(make_app(token="static-token", seed_runs=5)) as locked:
        assert (await locked.post(f"{API}/v2/workflows/overview", json={})).status_code == 401
        for token in ("static-token", "demo-viewer"):
            ok = await locked.post(f"{API}/v2/workflows/overview", json={}, headers=bearer(token))
            assert ok.status_code == 200
        assert (await locked.get("/api/catalog/entities/by-query")).status_code == 401


# -- the permission backend ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        (None, ["ALLOW", "ALLOW", "ALLOW", "ALLOW"]),
        ("demo-admin", ["ALLOW", "ALLOW", "ALLOW", "ALLOW"]),
        ("demo-developer", ["ALLOW", "DENY", "DENY", "DENY"]),
        ("demo-viewer", ["DENY", "DENY", "DENY", "DENY"]),
    ],
)
async def test_authorize_answers_each_item_by_id(http: httpx.AsyncClient, token: str | None, expected: list[str]) -> None:
    items = [
        use("greeting", "a"), use("rotate-secrets", "b"),
        basic("orchestrator.workflowAdminView", "c"), basic("orchestrator.instanceAdminView", "d"),
    ]
    response = await http.post("/api/permission/authorize", json={"items": items}, headers=bearer(token))
    assert response.status_code == 200
    answers = response.json()["items"]
    assert [a["id"] for a in answers] == ["a", "b", "c", "d"]
    assert [a["result"] for a in answers] == expected


async def test_a_resource_permission_without_a_resource_is_conditional(http: httpx.AsyncClient) -> None:
    response = await http.post("/api/permission/authorize", json={"items": [use()]}, headers=bearer("demo-developer"))
    (answer,) = response.json()["items"]
    assert answer["result"] == "CONDITIONAL" and answer["pluginId"] == "orchestrator"
    assert answer["conditions"] == {"not": {
        "rule": "IS_ALLOWED_WORKFLOW_ID", "resourceType": "orchestrator-workflow",
        "params": {"workflowIds": ["data-migration", "rotate-secrets"]}}}


@pytest.mark.parametrize("body", [{}, {"items": [{"id": "1"}]}, {"items": [{"id": "1", "permission": {
    "type": "resource", "name": "x", "attributes": {}}}]}])
async def test_authorize_rejects_malformed_requests(http: httpx.AsyncClient, body: Any) -> None:
    response = await http.post("/api/permission/authorize", json=body)
    assert response.status_code == 400 and response.json()["error"]["name"] == "InputError"


# -- the catalog --------------------------------------------------------------------------------------


async def test_entity_by_name_is_case_insensitive_and_404s_like_the_catalog(http: httpx.AsyncClient) -> None:
    response = await http.get("/api/catalog/entities/by-name/component/default/Payments-API")
    entity = response.json()
    assert response.status_code == 200 and entity["kind"] == "Component"
    assert entity["metadata"]["annotations"]["orchestrator.io/workflows"] == (
        '["greeting", "provision-environment", "flaky-deploy"]'
    )
    assert entity["relations"] == [{"type": "ownedBy", "targetRef": "group:default/payments"}]
    missing = await http.get("/api/catalog/entities/by-name/component/default/nope")
    assert missing.status_code == 404 and missing.json()["error"] == {
        "name": "NotFoundError", "message": "No entity named 'nope' found, with kind 'component' in namespace 'default'"
    }


async def test_query_filters_full_text_order_fields_and_cursor(http: httpx.AsyncClient) -> None:
    params: list[tuple[str, str]] = [
        ("filter", "kind=component,kind=resource"), ("filter", "kind=system"),
        ("orderField", "metadata.name,desc"), ("fields", "kind,metadata.name"), ("limit", "3"),
    ]
    first = (await http.get("/api/catalog/entities/by-query", params=params)).json()
    assert first["totalItems"] == 7
    assert [e["metadata"]["name"] for e in first["items"]] == ["search-indexer", "payments-api", "payments"]
    assert first["items"][0] == {"kind": "Component", "metadata": {"name": "search-indexer"}}
    second = (await http.get("/api/catalog/entities/by-query",
                             params={"cursor": first["pageInfo"]["nextCursor"], "limit": "3"})).json()
    assert [e["metadata"]["name"] for e in second["items"]] == ["orders-db", "design-system", "ci-runner"]
    assert "prevCursor" in second["pageInfo"]
    text = (await http.get("/api/catalog/entities/by-query", params={
        "fullTextFilterTerm": "PLATFORM", "fullTextFilterFields": "spec.owner,metadata.name"})).json()
    assert {e["metadata"]["name"] for e in text["items"]} == {"design-system", "ci-runner", "platform"}
    annotated = (await http.get("/api/catalog/entities/by-query",
                                params={"filter": "metadata.annotations.orchestrator.io/workflows"})).json()
    assert annotated["totalItems"] == 6
