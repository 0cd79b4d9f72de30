"""HTTP plumbing both adapters share: the client with its retry loop and API log, path segments,
JSON and model parsing, transport failure reasons, TLS verification settings."""

from __future__ import annotations

import asyncio
import logging
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import httpx
from pydantic import ValidationError

from orch_tui.core import errors


@dataclass(frozen=True)
class RequestRecord:
    """One API call, for the API log: never carries headers or bodies."""

    method: str
    path: str
    status: int | None
    elapsed_ms: float
    error: str | None = None


RequestListener = Callable[[RequestRecord], None]

REDACTED = "‹redacted›"
RETRYABLE_STATUS = frozenset({502, 503, 504})

log = logging.getLogger(__name__)


def redact(error: errors.OrchError, secret: str | None) -> errors.OrchError:
    """The error with ``secret`` (a token a backend echoed back) cut out of its text."""
    if secret:
        error.message = error.message.replace(secret, REDACTED)
        if error.detail:
            error.detail = error.detail.replace(secret, REDACTED)
        error.args = (error.message,)
    return error


def api_url(url: str, suffix: str, what: str) -> str:
    """``url`` (scheme optional, any base path kept) ending in ``suffix``, e.g. a Backstage root or
    its ``/api/orchestrator`` URL both give the latter; ConfigError naming ``what`` otherwise."""
    raw = url.strip()
    if not raw:
        raise errors.ConfigError(f"The {what} URL is empty.")
    if "://" not in raw:
        raw = "http://" + raw
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise errors.ConfigError(f"Not an http(s) URL: {url!r}")
    path = parts.path.rstrip("/")
    if not path.endswith(suffix):
        path = path + suffix
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def seg(value: str | None) -> str:
    if not value:
        raise errors.BadRequest("An id is required.")
    return quote(value, safe="")


def json_of(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError as exc:
        snippet = response.text[:200]
        raise errors.MalformedResponse(
            f"Expected JSON from {response.request.method} {response.request.url.path}, got: {snippet!r}"
        ) from exc


def parse(model: type[Any], data: Any) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['msg']}" for e in exc.errors()[:5]
        )
        raise errors.MalformedResponse(f"Unexpected {model.__name__} shape: {problems}") from exc


def transport_reason(exc: BaseException) -> str:
    text = str(exc).strip()
    return text or type(exc).__name__


def verify_arg(verify: bool | str) -> bool | ssl.SSLContext:
    if isinstance(verify, str):
        try:
            return ssl.create_default_context(cafile=verify)
        except (OSError, ssl.SSLError) as exc:
            raise errors.ConfigError(f"Cannot load CA bundle {verify}: {exc}") from exc
    return verify


class ApiClient:
    """The HTTP client both adapters send through: bearer token, timeouts, TLS settings, retries
    of idempotent calls (with backoff, on 502/503/504 and transport failures), typed errors with
    any echoed token cut out, and a record of every call for the API log."""

    def __init__(
        self,
        base_url: str,
        *,
        label: str,
        token: str | None = None,
        verify: bool | str = True,
        timeout: float,
        retries: int = 2,
        backoff: float = 0.25,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url
        self.label = label
        self.token = token or None
        self.retries = max(0, retries)
        self.backoff = backoff
        self.listeners: list[RequestListener] = []
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.client = httpx.AsyncClient(
            base_url=base_url,
            headers=headers,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            verify=verify_arg(verify),
            transport=transport,
            follow_redirects=False,
        )

    async def aclose(self) -> None:
        await self.client.aclose()

    async def call(
        self,
        method: str,
        path: str,
        *,
        error_of: Callable[[httpx.Response], errors.OrchError],
        idempotent: bool,
        json_body: Any = None,
        params: Any = None,
        headers: dict[str, str] | None = None,
        accept: Callable[[httpx.Response], bool] = lambda response: response.is_success,
    ) -> httpx.Response:
        """Send one call (retried when idempotent); an answer ``accept`` refuses becomes
        ``error_of`` of it."""
        attempts = 1 + (self.retries if idempotent else 0)
        last: errors.OrchError | None = None
        for attempt in range(attempts):
            if attempt:
                await asyncio.sleep(self.backoff * (2 ** (attempt - 1)))
            started = time.perf_counter()
            try:
                kwargs: dict[str, Any] = {"params": params, "headers": headers}
                if json_body is not None:
                    kwargs["json"] = json_body
                response = await self.client.request(method, path, **kwargs)
            except httpx.TimeoutException as exc:
                last = errors.BackendTimeout(
                    f"No answer from {self.label} within {self.client.timeout.read:g}s ({method} {path})."
                )
                self.notify(method, path, None, started, type(exc).__name__)
                continue
            except (httpx.TransportError, OSError) as exc:
                last = errors.Unreachable(f"Cannot reach {self.label}: {transport_reason(exc)}")
                self.notify(method, path, None, started, type(exc).__name__)
                continue
            self.notify(method, path, response.status_code, started, None)
            if accept(response):
                return response
            last = redact(error_of(response), self.token)
            if response.status_code not in RETRYABLE_STATUS:
                break
        assert last is not None
        raise last

    def notify(self, method: str, path: str, status: int | None, started: float, error: str | None) -> None:
        """Tell the API log about a call: method, path (never a query or a host), status, time."""
        if "://" in path:
            path = urlsplit(path).path
        record = RequestRecord(method, path, status, (time.perf_counter() - started) * 1000, error)
        log.debug("%s %s -> %s in %.0f ms", method, path, status or error, record.elapsed_ms)
        for listener in self.listeners:
            listener(record)
