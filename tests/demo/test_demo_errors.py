"""Error bodies: request validation (400 err), unknown paths (404 err), handler errors, auth."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .conftest import API, client_for


async def test_unknown_path_and_method(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{API}/v2/unknown")
    assert response.status_code == 404
    assert response.json() == {"err": "/v2/unknown path not found"}

    response = await client.get(f"{API}/v2/workflows/overview")  # the operation is POST only
    assert response.status_code == 404
    assert response.json() == {"err": "/v2/workflows/overview path not found"}

    response = await client.get("/api/elsewhere")
    assert response.status_code == 404


async def test_statuses_is_not_an_instance_id(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{API}/v2/workflows/instances/statuses")
    assert response.status_code == 200
    assert isinstance(response.json(), list)


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"inputData": "not an object"}, "/requestBody/inputData"),
        ({"authTokens": [{"provider": "github"}]}, "/requestBody/authTokens/0"),
        ({"authTokens": [{"provider": "github", "token": "t", "extra": 1}]}, "/requestBody/authTokens/0"),
        ({"targetEntity": 5}, "/requestBody/targetEntity"),
        (
            {"providerTokenGrants": [{"grantId": "", "provider": "github"}]},
            "/requestBody/providerTokenGrants/0/grantId",
        ),
    ],
)
async def test_execute_body_validation(client: httpx.AsyncClient, body: dict[str, Any], path: str) -> None:
    response = await client.post(f"{API}/v2/workflows/greeting/execute", json=body)
    assert response.status_code == 400
    error = response.json()["err"][0]
    assert error["instancePath"] == path
    assert error["message"].startswith("must ")


async def test_execute_accepts_an_empty_body(client: httpx.AsyncClient) -> None:
    response = await client.post(f"{API}/v2/workflows/nightly-cleanup/execute")
    assert response.status_code == 200


async def test_entity_overview_validation(client: httpx.AsyncClient) -> None:
    response = await client.post(f"{API}/v2/workflows/overview/entity", json={"annotationWorkflowIds": "greeting"})
    assert response.status_code == 400
    assert response.json()["err"][0]["instancePath"] == "/requestBody/annotationWorkflowIds"
    response = await client.post(f"{API}/v2/workflows/overview/entity", json={})
    assert response.status_code == 500
    assert response.json()["error"] == {
        "name": "TypeError",
        "message": "Cannot read properties of undefined (reading 'length')",
    }


async def test_query_parameter_validation(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{API}/v2/workflows/greeting/inputSchema", params={"unexpected": "1"})
    assert response.status_code == 400
    assert response.json()["err"][0]["params"] == {"additionalProperty": "unexpected"}
    instance_id = (await client.post(f"{API}/v2/workflows/instances", json={"paginationInfo": {"pageSize": 1}})).json()[
        "items"
    ][0]["id"]
    response = await client.get(f"{API}/v2/workflows/instances/{instance_id}/logs", params={"rawlog": "maybe"})
    assert response.status_code == 400
    assert response.json()["err"][0]["instancePath"] == "/query/rawlog"


async def test_malformed_json(client: httpx.AsyncClient) -> None:
    response = await client.post(
        f"{API}/v2/workflows/instances", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    body = response.json()
    assert body["error"]["name"] == "SyntaxError"
    assert body["response"] == {"statusCode": 400}


async def test_missing_instance(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{API}/v2/workflows/instances/does-not-exist?")
    assert response.status_code == 404
    body = response.json()
    assert body["error"]["name"] == "NotFoundError"
    assert body["request"]["method"] == "GET"
    assert body["request"]["url"].startswith(f"{API}/v2/workflows/instances/does-not-exist")
    assert body["response"] == {"statusCode": 404}


async def test_token_is_required_when_configured(make_app: Any) -> None:
    app = make_app(seed_runs=5, token="demo-token-123")
    async with client_for(app) as http:
        response = await http.get(f"{API}/health")
        assert response.status_code == 200

        response = await http.post(f"{API}/v2/workflows/overview", json={})
        assert response.status_code == 401
        assert response.json() == {
            "error": {"name": "AuthenticationError", "message": "Missing credentials"},
            "request": {"method": "POST", "url": f"{API}/v2/workflows/overview"},
            "response": {"statusCode": 401},
        }

        response = await http.get(f"{API}/v2/unknown", headers={"Authorization": "Bearer wrong"})
        assert response.status_code == 401
        assert response.json()["error"] == {"name": "AuthenticationError", "message": "Invalid token"}

        response = await http.get(f"{API}/v2/workflows/instances/statuses", headers={"Authorization": "Basic abc"})
        assert response.status_code == 401

        response = await http.post(
            f"{API}/v2/workflows/overview", json={}, headers={"Authorization": "Bearer demo-token-123"}
        )
        assert response.status_code == 200
