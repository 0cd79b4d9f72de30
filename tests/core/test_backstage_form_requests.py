"""Requests of the form's dynamic widgets, sent by the Backstage adapter."""

from __future__ import annotations

import httpx
import pytest

from orch_tui.core import errors
from orch_tui.core.backstage import BackstageBackend
from orch_tui.core.http import RequestRecord
from orch_tui.core.forms.dynamic import PreparedRequest

SEEN: list[httpx.Request] = []


def handler(request: httpx.Request) -> httpx.Response:
    SEEN.append(request)
    if request.url.host == "down.test":
        raise httpx.ConnectError("connection refused")
    if request.url.path.endswith("/text"):
        return httpx.Response(503, text="upstream unavailable")
    return httpx.Response(200, json={"echo": request.method})


@pytest.fixture
def backend() -> BackstageBackend:
    SEEN.clear()
    return BackstageBackend(
        "https://bs.test/portal", token="secret-token", transport=httpx.MockTransport(handler), retries=0
    )


def get(url: str, **headers: str) -> PreparedRequest:
    return PreparedRequest("GET", url, {"Content-Type": "application/json", **headers}, None)


def test_environment_names_the_backstage_root_and_identity(backend: BackstageBackend) -> None:
    environment = backend.form_environment()
    assert environment.backend_base_url == "https://bs.test/portal"
    assert environment.identity == {"token": "secret-token"}


async def test_token_goes_to_backstage_only(backend: BackstageBackend) -> None:
    response = await backend.form_request(get("https://bs.test/portal/api/proxy/teams"))
    assert (response.status, response.body, response.ok) == (200, {"echo": "GET"}, True)
    assert SEEN[-1].headers["authorization"] == "Bearer secret-token"

    for foreign in ("https://other.test/teams", "http://bs.test/portal/x", "https://bs.test/elsewhere"):
        await backend.form_request(get(foreign))
        assert "authorization" not in SEEN[-1].headers, foreign

    # A header the schema asks for explicitly is sent as asked.
    await backend.form_request(get("https://other.test/teams", Authorization="Bearer chosen"))
    assert SEEN[-1].headers["authorization"] == "Bearer chosen"


async def test_post_sends_the_json_body(backend: BackstageBackend) -> None:
    await backend.form_request(PreparedRequest("POST", "https://bs.test/portal/check", {}, {"name": "x"}))
    assert SEEN[-1].method == "POST" and SEEN[-1].content == b'{"name":"x"}'


async def test_any_status_is_an_answer_and_text_bodies_are_kept(backend: BackstageBackend) -> None:
    response = await backend.form_request(get("https://bs.test/portal/text"))
    assert (response.status, response.body, response.ok) == (503, "upstream unavailable", False)


async def test_unreachable_host_is_a_typed_error(backend: BackstageBackend) -> None:
    with pytest.raises(errors.Unreachable, match="Cannot reach down.test"):
        await backend.form_request(get("https://down.test/x"))


async def test_the_api_log_names_the_path_without_the_query(backend: BackstageBackend) -> None:
    records: list[RequestRecord] = []
    backend.add_listener(records.append)
    await backend.form_request(get("https://bs.test/portal/api/proxy/x?token=abc"))
    assert [(r.method, r.path, r.status) for r in records] == [("GET", "/portal/api/proxy/x", 200)]
