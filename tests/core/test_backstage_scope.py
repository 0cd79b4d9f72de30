"""The Backstage adapter at the HTTP level: the read-only guard, the permission and catalog APIs,
and what a 403 is reported as needing."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from orch_tui.core import errors
from orch_tui.core.backstage import BackstageBackend
from orch_tui.core.catalog import SCOPE_KINDS
from orch_tui.core.entity import parse_entity_ref
from orch_tui.core.filters import SearchRequest, eq
from orch_tui.core.permissions import (
    INSTANCE_ADMIN_VIEW,
    WORKFLOW_USE,
    Decision,
    PermissionRequest,
)
from orch_tui.demo import create_app

Handler = Callable[[httpx.Request], httpx.Response]


class Recorder(httpx.AsyncBaseTransport):
    """Passes requests to the demo app and remembers every one that left the client."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.sent: list[tuple[str, str]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append((request.method, request.url.path))
        return await self.inner.handle_async_request(request)


def demo(**options: Any) -> tuple[BackstageBackend, Recorder, Any]:
    app = create_app(seed_runs=30)
    recorder = Recorder(httpx.ASGITransport(app=app))
    return BackstageBackend("http://demo", transport=recorder, retries=0, **options), recorder, app.state.demo


def mock(handler: Handler, url: str = "https://bs.example.com/portal", **options: Any) -> BackstageBackend:
    return BackstageBackend(url, transport=httpx.MockTransport(handler), retries=0, **options)


# -- read-only ------------------------------------------------------------------------------------


async def test_read_only_sends_no_execute_retrigger_or_abort() -> None:
    backend, recorder, engine = demo(read_only=True)
    assert backend.info.read_only
    failed = next(run for run in engine.runs_of() if engine.state(run, engine.now()) == "ERROR")
    runs_before = len(engine.runs)
    with pytest.raises(errors.ReadOnly, match="read-only"):
        await backend.execute("greeting", {"name": "x"}, target_entity="component:default/shop")
    with pytest.raises(errors.ReadOnly):
        await backend.retrigger(failed.workflow_id, failed.id)
    with pytest.raises(errors.ReadOnly):
        await backend.abort(failed.id)
    # Asked directly, the transport layer refuses too: nothing but reads leaves the client.
    for method, path in [
        ("POST", "/v2/workflows/greeting/execute"),
        ("DELETE", f"/v2/workflows/instances/{failed.id}/abort"),
        ("PUT", "/v2/workflows/overview"),
    ]:
        with pytest.raises(errors.ReadOnly):
            await backend._request(method, path, json_body={}, idempotent=False)
    assert recorder.sent == []  # not one request left the client
    assert len(engine.runs) == runs_before and engine.state(failed, engine.now()) == "ERROR"
    # Reads still work, POST searches included.
    assert await backend.list_workflows()
    assert (await backend.list_runs(SearchRequest(filters=eq("state", "ERROR")))).items
    assert await backend.list_workflows_for_entity("component:default/payments-api", ["greeting"])
    assert await backend.authorize([PermissionRequest(WORKFLOW_USE, "greeting")])
    assert ("POST", "/api/permission/authorize") in recorder.sent
    assert ("POST", "/api/orchestrator/v2/workflows/overview/entity") in recorder.sent
    assert not any(path.endswith(("/execute", "/retrigger", "/abort")) for _, path in recorder.sent)


async def test_the_same_calls_are_sent_when_not_read_only() -> None:
    backend, recorder, engine = demo()
    failed = next(run for run in engine.runs_of() if engine.state(run, engine.now()) == "ERROR")
    await backend.execute("greeting", {"name": "x", "language": "English"})
    await backend.abort(failed.id)
    assert ("POST", "/api/orchestrator/v2/workflows/greeting/execute") in recorder.sent
    assert ("DELETE", f"/api/orchestrator/v2/workflows/instances/{failed.id}/abort") in recorder.sent


# -- permissions ---------------------------------------------------------------------------------


async def test_authorize_sends_backstages_request_shape_and_reads_the_answer() -> None:
    seen: list[Any] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.path, json.loads(request.content)))
        return httpx.Response(200, json={"items": [
            {"id": "1", "result": "DENY"},
            {"id": "0", "result": "ALLOW"},
        ]})

    backend = mock(handler, token="t0ken")
    decisions = await backend.authorize([PermissionRequest(WORKFLOW_USE, "greeting"), PermissionRequest(INSTANCE_ADMIN_VIEW)])
    path, body = seen[0]
    assert path == "/portal/api/permission/authorize"
    assert body == {"items": [
        {"id": "0", "resourceRef": "greeting", "permission": {
            "type": "resource", "name": "orchestrator.workflow.use", "attributes": {"action": "update"},
            "resourceType": "orchestrator-workflow"}},
        {"id": "1", "permission": {
            "type": "basic", "name": "orchestrator.instanceAdminView", "attributes": {"action": "read"}}},
    ]}
    assert [d.result for d in decisions] == [Decision.ALLOW, Decision.DENY]
    assert [d.request.resource_ref for d in decisions] == ["greeting", None]


async def test_without_a_permission_backend_everything_is_allowed() -> None:
    backend = mock(lambda request: httpx.Response(404, json={"error": {"name": "NotFoundError", "message": "no"}}))
    decisions = await backend.authorize([PermissionRequest(WORKFLOW_USE, "x")])
    assert [d.result for d in decisions] == [Decision.ALLOW]


@pytest.mark.parametrize("body", [{"items": "no"}, {"items": [{"id": "0", "result": "MAYBE"}]}, []])
async def test_a_malformed_permission_answer_is_an_error(body: Any) -> None:
    backend = mock(lambda request: httpx.Response(200, json=body))
    with pytest.raises(errors.MalformedResponse):
        await backend.authorize([PermissionRequest(WORKFLOW_USE, "x")])


async def test_a_403_names_the_permission_the_call_needed() -> None:
    unauthorized = {"error": {"name": "NotAllowedError", "message": "Unauthorized"}, "response": {"statusCode": 403}}
    backend = mock(lambda request: httpx.Response(403, json=unauthorized))
    with pytest.raises(errors.PermissionDenied) as info:
        await backend.execute("greeting", {})
    assert info.value.permission == "orchestrator.workflow.use" and info.value.resource == "greeting"
    assert info.value.summary == "Permission denied: Unauthorized (needs orchestrator.workflow.use)"
    with pytest.raises(errors.PermissionDenied) as read:
        await backend.get_workflow("greeting")
    assert read.value.permission == "orchestrator.workflow"
    named = {"error": {"name": "NotAllowedError", "message": "… The 'orchestrator.instanceAdminView' permission is required."}}
    backend = mock(lambda request: httpx.Response(403, json=named))
    with pytest.raises(errors.PermissionDenied) as own:
        await backend.get_run("r1")
    assert own.value.permission == "orchestrator.instanceAdminView" and own.value.resource is None


# -- catalog -------------------------------------------------------------------------------------


async def test_get_entity_asks_by_name_below_the_base_path() -> None:
    paths: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        paths.append(request.url.raw_path.decode())
        if request.url.path.endswith("/missing"):
            return httpx.Response(404, json={"error": {"name": "NotFoundError", "message": "No entity named 'missing'"}})
        return httpx.Response(200, json={
            "apiVersion": "backstage.io/v1alpha1", "kind": "Component",
            "metadata": {"name": "shop", "namespace": "default",
                         "annotations": {"orchestrator.io/workflows": '["greeting"]'}},
            "spec": {"owner": "group:default/team"},
        })

    backend = mock(handler)
    entity = await backend.get_entity(parse_entity_ref("default:component:shop"))
    assert paths == ["/portal/api/catalog/entities/by-name/component/default/shop"]
    assert entity.ref.target == "component:default/shop" and entity.workflows.ids == ("greeting",)
    with pytest.raises(errors.NotFound, match="component:default/missing is not in the catalog"):
        await backend.get_entity(parse_entity_ref("component:missing"))


async def test_search_entities_uses_the_by_query_parameters() -> None:
    queries: list[httpx.QueryParams] = []

    def handler(request: httpx.Request) -> httpx.Response:
        queries.append(request.url.params)
        return httpx.Response(200, json={"items": [
            {"kind": "Component", "metadata": {"name": "shop"}},
            {"kind": "Component", "metadata": {"name": "bad name"}},  # not a usable reference: skipped
            {"nonsense": True},
        ], "totalItems": 3, "pageInfo": {}})

    backend = mock(handler)
    found = await backend.search_entities("Sho", kinds=["component", "system"], limit=7)
    assert [e.ref.target for e in found] == ["component:default/shop"]
    params = queries[0]
    assert params["filter"] == "kind=component,kind=system"
    assert params["fullTextFilterTerm"] == "Sho"
    assert params["fullTextFilterFields"] == "metadata.name,metadata.title,spec.owner"
    assert params["limit"] == "7" and params["orderField"] == "metadata.name,asc"
    assert "metadata.annotations" in params["fields"] and "spec.owner" in params["fields"]
    await backend.search_entities("")
    assert "fullTextFilterTerm" not in queries[1] and "filter" not in queries[1]


async def test_search_and_lookup_against_the_demo_catalog() -> None:
    backend, _, _ = demo()
    found = await backend.search_entities("pay", kinds=SCOPE_KINDS)
    assert {e.ref.target for e in found} == {
        "component:default/payments-api", "system:default/payments", "api:default/payments-api",
        "component:default/checkout-web",  # owned by group:default/payments
    }
    checkout = await backend.get_entity(parse_entity_ref("component:checkout-web"))
    assert checkout.workflows.problem is not None and "not valid JSON" in checkout.workflows.problem
