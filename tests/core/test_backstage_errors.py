"""The Backstage adapter against every error shape and quirk of the real 8.13.2 backend."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from orch_tui.core import errors
from orch_tui.core.backstage import BackstageBackend, plugin_base_url
from orch_tui.core.filters import SearchRequest, eq, page
from orch_tui.core.models import AuthToken, RunStatus


def backend_with(handler: Any, **kwargs: Any) -> BackstageBackend:
    kwargs.setdefault("retries", 0)
    return BackstageBackend("http://backstage.test:7007", transport=httpx.MockTransport(handler), **kwargs)


def reply(status: int, body: Any = None, *, text: str | None = None) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        if text is not None:
            return httpx.Response(status, text=text)
        return httpx.Response(status, json=body)

    return handler


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://host:7007", "http://host:7007/api/orchestrator"),
        ("http://host:7007/", "http://host:7007/api/orchestrator"),
        ("https://host/api/orchestrator", "https://host/api/orchestrator"),
        ("https://host/api/orchestrator/", "https://host/api/orchestrator"),
        ("https://host/backstage", "https://host/backstage/api/orchestrator"),
        ("host:7007", "http://host:7007/api/orchestrator"),
    ],
)
def test_base_url_accepts_backend_root_or_plugin_url(url: str, expected: str) -> None:
    assert plugin_base_url(url) == expected


@pytest.mark.parametrize("url", ["", "ftp://host", "http://"])
def test_bad_base_url_is_a_config_error(url: str) -> None:
    with pytest.raises(errors.ConfigError):
        plugin_base_url(url)


async def test_backstage_error_body_gives_the_real_message() -> None:
    body = {
        "error": {"name": "Error", "message": "Couldn't fetch workflow overview for greeting"},
        "request": {"method": "GET", "url": "/v2/workflows/greeting/overview"},
        "response": {"statusCode": 500},
    }
    backend = backend_with(reply(500, body))
    with pytest.raises(errors.ServerError) as info:
        await backend.get_workflow("greeting")
    assert info.value.message == "Couldn't fetch workflow overview for greeting"
    assert info.value.status == 500


async def test_forbidden_carries_reason_and_permission() -> None:
    message = (
        "Workflow instance abc was initiated by 'user:default/bob', not by you ('user:default/alice'). "
        "The 'orchestrator.instanceAdminView' permission is required to view it."
    )
    body = {"error": {"name": "NotAllowedError", "message": message}, "response": {"statusCode": 403}}
    backend = backend_with(reply(403, body))
    with pytest.raises(errors.PermissionDenied) as info:
        await backend.get_run("abc")
    assert info.value.message == message
    assert info.value.permission == "orchestrator.instanceAdminView"


async def test_unauthorized() -> None:
    body = {"error": {"name": "AuthenticationError", "message": "Missing credentials"}}
    backend = backend_with(reply(401, body))
    with pytest.raises(errors.Unauthorized, match="Missing credentials"):
        await backend.list_workflows()


async def test_ajv_validation_errors_are_listed() -> None:
    body = {"err": [{"instancePath": "/paginationInfo/orderDirection", "message": "must be equal to one of the allowed values"}]}
    backend = backend_with(reply(400, body))
    with pytest.raises(errors.BadRequest) as info:
        await backend.list_runs()
    assert "/paginationInfo/orderDirection must be equal to one of the allowed values" in info.value.message


async def test_unknown_path_err_string() -> None:
    backend = backend_with(reply(404, {"err": "/v2/nope path not found"}))
    with pytest.raises(errors.NotFound, match="/v2/nope path not found"):
        await backend.get_run("x")


async def test_spec_error_response_with_additional_info() -> None:
    backend = backend_with(reply(500, {"message": "internal server error", "additionalInfo": "data index down"}))
    with pytest.raises(errors.ServerError, match=r"internal server error \(data index down\)"):
        await backend.list_workflows()


async def test_not_found_error_name_on_500_is_not_found() -> None:
    body = {"error": {"name": "NotFoundError", "message": "Workflow instance x not found"}}
    backend = backend_with(reply(500, body))
    with pytest.raises(errors.NotFound):
        await backend.get_run("x")


async def test_non_json_error_body_is_shown_as_text() -> None:
    backend = backend_with(reply(502, text="<html>Bad gateway from proxy</html>"))
    with pytest.raises(errors.ServerError, match="Bad gateway from proxy"):
        await backend.list_workflows()


async def test_sonataflow_multiline_message_kept_whole() -> None:
    message = "HTTP POST request to http://sf/x failed.\nStatus Code: 500\nFailed Node ID: deploy"
    backend = backend_with(reply(500, {"error": {"name": "Error", "message": message}}))
    with pytest.raises(errors.ServerError) as info:
        await backend.retrigger("wf", "run")
    assert info.value.message == message
    assert info.value.summary == "Server error: HTTP POST request to http://sf/x failed."


async def test_timeout_is_typed() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    backend = backend_with(handler, timeout=2)
    with pytest.raises(errors.BackendTimeout, match="within 2s"):
        await backend.list_workflows()


async def test_connection_refused_is_unreachable() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    backend = backend_with(handler)
    with pytest.raises(errors.Unreachable, match="Connection refused"):
        await backend.list_workflows()


async def test_invalid_json_is_malformed() -> None:
    backend = backend_with(reply(200, text="not json"))
    with pytest.raises(errors.MalformedResponse, match="Expected JSON"):
        await backend.list_workflows()


async def test_wrong_shape_is_malformed() -> None:
    backend = backend_with(reply(200, {"overviews": [{"name": "no id"}]}))
    with pytest.raises(errors.MalformedResponse, match="workflowId"):
        await backend.list_workflows()


async def test_bare_list_from_instances_means_no_visible_runs() -> None:
    backend = backend_with(reply(200, []))
    page_ = await backend.list_runs()
    assert page_.items == [] and page_.total == 0


async def test_ping_object_and_boolean() -> None:
    obj = {"isAvailable": False, "statusCode": 503, "urlToFetch": "http://sf/management", "reason": "Service Unavailable"}
    assert (await backend_with(reply(200, obj)).ping("wf")).reason == "Service Unavailable"
    assert (await backend_with(reply(200, True)).ping("wf")).isAvailable is True


async def test_abort_returns_the_json_string() -> None:
    backend = backend_with(reply(200, "Workflow instance r1 successfully aborted"))
    assert await backend.abort("r1") == "Workflow instance r1 successfully aborted"


async def test_retrigger_accepts_empty_body() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=b"")

    await backend_with(handler).retrigger("wf", "r1", auth_tokens=[AuthToken(provider="github", token="t")])
    assert seen[0].url.path == "/api/orchestrator/v2/workflows/wf/r1/retrigger"
    assert json.loads(seen[0].content) == {"authTokens": [{"provider": "github", "token": "t"}]}


async def test_runs_always_sent_with_order_newest_first() -> None:
    bodies: list[Any] = []

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.content))
        return httpx.Response(200, json={"items": [], "totalCount": 0})

    backend = backend_with(handler)
    await backend.list_runs()
    await backend.list_runs(SearchRequest(filters=eq("state", RunStatus.ERROR), paginationInfo=page(size=5, offset=10)))
    await backend.list_runs(SearchRequest(paginationInfo=page(order_by="processName", direction="ASC")))
    assert bodies[0] == {"paginationInfo": {"orderBy": "start", "orderDirection": "DESC"}}
    assert bodies[1] == {
        "filters": {"field": "state", "operator": "EQ", "value": "ERROR"},
        "paginationInfo": {"pageSize": 5, "offset": 10, "orderBy": "start", "orderDirection": "DESC"},
    }
    assert bodies[2]["paginationInfo"] == {"orderBy": "processName", "orderDirection": "ASC"}


async def test_execute_body_and_bearer_token() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"id": "run-1"})

    backend = backend_with(handler, token="s3cret-token")
    run_id = await backend.execute(
        "greet", {"name": "alice"}, target_entity="component:default/api",
        auth_tokens=[AuthToken(provider="github", token="gh")],
    )
    assert run_id == "run-1"
    assert seen[0].headers["Authorization"] == "Bearer s3cret-token"
    assert json.loads(seen[0].content) == {
        "inputData": {"name": "alice"},
        "authTokens": [{"provider": "github", "token": "gh"}],
        "targetEntity": "component:default/api",
    }


async def test_reads_are_retried_but_actions_are_not() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.method + " " + request.url.path)
        if len(calls) < 3:
            return httpx.Response(503, text="busy")
        return httpx.Response(200, json={"overviews": []})

    backend = backend_with(handler, retries=2, backoff=0)
    assert await backend.list_workflows() == []
    assert len(calls) == 3

    calls.clear()
    with pytest.raises(errors.ServerError):
        await backend.execute("greet", {})
    assert len(calls) == 1


async def test_ids_are_path_encoded() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.raw_path.decode())
        return httpx.Response(200, json={"workflowId": "a/b", "format": "yaml"})

    await backend_with(handler).get_workflow("a/b ?")
    assert seen == ["/api/orchestrator/v2/workflows/a%2Fb%20%3F/overview"]


def test_tls_verification_on_by_default_and_bad_ca_bundle_is_clear(tmp_path: Any) -> None:
    backend = BackstageBackend("https://backstage.test")
    pool = backend._client._transport._pool  # type: ignore[attr-defined]
    import ssl

    assert pool._ssl_context.verify_mode == ssl.CERT_REQUIRED
    with pytest.raises(errors.ConfigError, match="CA bundle"):
        BackstageBackend("https://backstage.test", verify=str(tmp_path / "missing.pem"))


def test_auth_token_repr_hides_secret() -> None:
    assert "gh-secret" not in repr(AuthToken(provider="github", token="gh-secret"))
