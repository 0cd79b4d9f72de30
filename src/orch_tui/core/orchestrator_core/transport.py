"""HTTP to orchestrator-core: its error bodies, GraphQL errors and typed errors.

orchestrator-core answers errors as problem details (``{"detail", "status", "title"}``); FastAPI's
own 422 carries ``detail`` as a list; GraphQL reports bad arguments with HTTP 200 and an
``errors`` list next to (unfiltered!) data.  Everything becomes an :mod:`orch_tui.core.errors`
exception with the server's own words.  Tokens never appear in messages or logs.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from orch_tui.core import errors
from orch_tui.core.http import ApiClient, api_url, json_of


API_PATH = "/api"
DEFAULT_TIMEOUT = 15.0


def api_base_url(url: str) -> str:
    """The ``/api`` URL of an orchestrator-core: ``http://host:8080`` and ``http://host:8080/api/``
    both give ``http://host:8080/api`` (a base path before ``/api`` is kept)."""
    return api_url(url, API_PATH, "orchestrator-core")


def websocket_url(api_url: str) -> str:
    """``http://host/api`` → ``ws://host/api/ws/events`` (``https`` → ``wss``)."""
    parts = urlsplit(api_url)
    scheme = "wss" if parts.scheme == "https" else "ws"
    return urlunsplit((scheme, parts.netloc, parts.path.rstrip("/") + "/ws/events", "", ""))


def problem_message(response: httpx.Response) -> str:
    """The server's words from an error response (problem detail, FastAPI 422, plain text)."""
    text = response.text
    try:
        body = json.loads(text) if text else None
    except ValueError:
        return text.strip()[:2000]
    if isinstance(body, dict):
        detail = body.get("detail")
        if isinstance(detail, str) and detail.strip():
            return detail.strip()
        if isinstance(detail, list):
            return "; ".join(_fastapi_problem(item) for item in detail) or "invalid request"
        for key in ("message", "title"):
            if isinstance(body.get(key), str) and body[key].strip():
                return body[key].strip()
        return ""
    if isinstance(body, str):
        return body
    return text.strip()[:2000]


def _fastapi_problem(item: Any) -> str:
    if not isinstance(item, dict):
        return str(item)
    loc = item.get("loc")
    where = ".".join(str(part) for part in loc if part not in ("body", "path", "query")) if isinstance(loc, list) else ""
    message = str(item.get("msg") or item.get("type") or "invalid")
    return f"{where}: {message}" if where else message


def error_from_response(response: httpx.Response, *, what: str | None = None) -> errors.OrchError:
    """A typed error for an HTTP error answer; ``what`` names the thing for a bare 404."""
    status = response.status_code
    message = problem_message(response)
    if not message or message in ("Not Found", "Bad Request"):
        fallback = {404: f"{what} not found" if what else "", 400: ""}.get(status, "")
        message = fallback or message or f"HTTP {status} {response.reason_phrase}".strip()
    if status == 401:
        return errors.Unauthorized(message, status=status)
    if status == 403:
        return errors.PermissionDenied(message, status=status)
    if status == 404:
        return errors.NotFound(message, status=status)
    if status in (400, 409, 412, 422, 510):
        return errors.BadRequest(message, status=status)
    return errors.ServerError(message, status=status)


def graphql_error(problems: list[Any]) -> errors.OrchError:
    """The typed error for a GraphQL ``errors`` list (sent with HTTP 200)."""
    messages: list[str] = []
    kinds: list[str] = []
    for problem in problems:
        if isinstance(problem, dict):
            messages.append(str(problem.get("message") or "GraphQL error"))
            extensions = problem.get("extensions")
            if isinstance(extensions, dict) and isinstance(extensions.get("error_type"), str):
                kinds.append(extensions["error_type"])
        else:
            messages.append(str(problem))
    message = "; ".join(messages) or "GraphQL error"
    kind = kinds[0] if kinds else ""
    if kind == "not_authenticated":
        return errors.Unauthorized(message, status=401)
    if kind in ("not_authorized", "forbidden", "no_permission"):
        return errors.PermissionDenied(message, status=403)
    if kind == "not_found":
        return errors.NotFound(message, status=404)
    if kind in ("bad_request", "invalid", "validation_error") or not kind:
        return errors.BadRequest(message, status=400)
    return errors.ServerError(message)


class CoreHttp(ApiClient):
    """The shared client under the adapter, with orchestrator-core's read-only rule, its answers
    that are not errors (304, a form's 510 and 400) and GraphQL."""

    def __init__(
        self,
        url: str,
        *,
        label: str,
        token: str | None = None,
        verify: bool | str = True,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = 2,
        backoff: float = 0.25,
        transport: httpx.AsyncBaseTransport | None = None,
        read_only: bool = False,
    ) -> None:
        super().__init__(
            api_base_url(url), label=label, token=token, verify=verify, timeout=timeout,
            retries=retries, backoff=backoff, transport=transport,
        )
        self.read_only = read_only

    async def send(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        params: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        idempotent: bool,
        accept: frozenset[int] = frozenset(),
        what: str | None = None,
    ) -> httpx.Response:
        """One call; statuses in ``accept`` (e.g. 510, 400 of a form) are answers, not errors."""
        self.refuse_if_read_only(method, path, json_body)
        return await self.call(
            method, path, json_body=json_body, params=params, headers=headers, idempotent=idempotent,
            accept=lambda response: response.is_success or response.status_code == 304 or response.status_code in accept,
            error_of=lambda response: error_from_response(response, what=what),
        )

    def refuse_if_read_only(self, method: str, path: str, body: Any) -> None:
        """Read-only: only reads leave the client — GETs, GraphQL queries (the adapter sends no
        mutations) and the first-page form request (``POST /processes/{wf}`` with ``[]``, which
        orchestrator-core answers with a 510 and never starts anything on)."""
        if not self.read_only or method.upper() in ("GET", "HEAD", "OPTIONS"):
            return
        if method.upper() == "POST" and (path == "/graphql" or (path.startswith("/processes/") and body == [])):
            return
        raise errors.ReadOnly(f"This context is read-only: {method.upper()} {path} was not sent.")

    async def graphql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """``data`` of a GraphQL query; an ``errors`` list (HTTP 200 or not) raises."""
        response = await self.send(
            "POST", "/graphql", json_body={"query": query, "variables": variables or {}}, idempotent=True,
            accept=frozenset({400}),
        )
        body = json_of(response)
        if not isinstance(body, dict):
            raise errors.MalformedResponse("Expected a GraphQL response object.")
        problems = body.get("errors")
        if problems:
            raise graphql_error(problems if isinstance(problems, list) else [problems])
        if response.status_code == 400:
            raise errors.BadRequest(problem_message(response) or "GraphQL request rejected", status=400)
        data = body.get("data")
        if not isinstance(data, dict):
            raise errors.MalformedResponse("GraphQL response without data.")
        return data
