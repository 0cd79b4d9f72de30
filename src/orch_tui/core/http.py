"""HTTP plumbing both adapters share: the API log record, path segments, JSON and model parsing,
transport failure reasons, TLS verification settings."""

from __future__ import annotations

import ssl
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

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


def redact(error: errors.OrchError, secret: str | None) -> errors.OrchError:
    """The error with ``secret`` (a token a backend echoed back) cut out of its text."""
    if secret:
        error.message = error.message.replace(secret, REDACTED)
        if error.detail:
            error.detail = error.detail.replace(secret, REDACTED)
        error.args = (error.message,)
    return error


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
