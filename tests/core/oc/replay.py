"""Recorded orchestrator-core exchanges: the recording transport and the replaying MockTransport.

An exchange is one request and its response as the live server answered it (fixtures/*.json,
written by ``record_fixtures.py``).  :func:`replay` serves a list of exchanges to the adapter:
each incoming request must match an unused recorded one (method, path, query, JSON body and
If-None-Match), so a test fails when the adapter sends anything the server was not asked.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx

FIXTURES = Path(__file__).parent / "fixtures"
KEPT_HEADERS = ("content-range", "etag", "content-type")
API = "/api"


def load(group: str) -> dict[str, list[dict[str, Any]]]:
    return json.loads((FIXTURES / f"{group}.json").read_text(encoding="utf-8"))


def _body(content: bytes) -> Any:
    if not content:
        return None
    try:
        return json.loads(content)
    except ValueError:
        return content.decode("utf-8", "replace")


def request_key(request: httpx.Request) -> dict[str, Any]:
    path = request.url.path
    key: dict[str, Any] = {
        "method": request.method,
        "path": path[len(API) :] if path.startswith(API) else path,
        "query": sorted(parse_qsl(request.url.query.decode(), keep_blank_values=True)),
        "body": _body(request.content),
    }
    if "if-none-match" in request.headers:
        key["if_none_match"] = request.headers["if-none-match"]
    return key


def _same(recorded: dict[str, Any], key: dict[str, Any]) -> bool:
    recorded_query = [list(pair) for pair in recorded.get("query", [])]
    return (
        recorded["method"] == key["method"]
        and recorded["path"] == key["path"]
        and recorded_query == [list(pair) for pair in key["query"]]
        and recorded.get("body") == key["body"]
        and recorded.get("if_none_match") == key.get("if_none_match")
    )


class Replay:
    """A MockTransport handler over recorded exchanges; ``sent`` lists what the adapter asked."""

    def __init__(self, exchanges: list[dict[str, Any]]) -> None:
        self.exchanges = [dict(exchange) for exchange in exchanges]
        self.used = [False] * len(self.exchanges)
        self.sent: list[dict[str, Any]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        key = request_key(request)
        self.sent.append(key)
        for index, exchange in enumerate(self.exchanges):
            if not self.used[index] and _same(exchange["request"], key):
                self.used[index] = True
                return response_of(exchange, request)
        raise AssertionError(f"unrecorded request: {json.dumps(key)[:600]}")

    @property
    def unused(self) -> list[dict[str, Any]]:
        return [exchange["request"] for index, exchange in enumerate(self.exchanges) if not self.used[index]]


def response_of(exchange: dict[str, Any], request: httpx.Request) -> httpx.Response:
    response = exchange["response"]
    body = response.get("body")
    headers = dict(response.get("headers") or {})
    if body is None:
        content = b""
    elif isinstance(body, str) and not headers.get("content-type", "").startswith("application/json"):
        content = body.encode()
    else:
        content = json.dumps(body).encode()
    return httpx.Response(response["status"], headers=headers, content=content, request=request)


def replay(*exchange_lists: list[dict[str, Any]]) -> tuple[httpx.MockTransport, Replay]:
    handler = Replay([exchange for exchanges in exchange_lists for exchange in exchanges])
    return httpx.MockTransport(handler), handler


class Recorder(httpx.AsyncBaseTransport):
    """Wraps the real transport and keeps every exchange (see ``record_fixtures.py``)."""

    def __init__(self, inner: httpx.AsyncBaseTransport | None = None) -> None:
        self.inner = inner or httpx.AsyncHTTPTransport()
        self.log: list[dict[str, Any]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        content = await response.aread()
        headers = {name: response.headers[name] for name in KEPT_HEADERS if name in response.headers}
        self.log.append(
            {
                "request": request_key(request),
                "response": {"status": response.status_code, "headers": headers, "body": _body(content)},
            }
        )
        return httpx.Response(response.status_code, headers=response.headers, content=content, request=request)

    def mark(self) -> int:
        return len(self.log)

    def since(self, mark: int) -> list[dict[str, Any]]:
        return list(self.log[mark:])

    async def aclose(self) -> None:
        await self.inner.aclose()
