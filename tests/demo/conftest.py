"""Fixtures for the demo orchestrator tests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from orch_tui.demo import ManualClock, create_app

API = "/api/orchestrator"
FROZEN = datetime(2025, 6, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(FROZEN)


@pytest.fixture
def make_app(clock: ManualClock) -> Callable[..., Starlette]:
    def factory(**kwargs: Any) -> Starlette:
        kwargs.setdefault("clock", clock)
        return create_app(**kwargs)

    return factory


@pytest.fixture
def app(make_app: Callable[..., Starlette]) -> Starlette:
    return make_app()


def client_for(app: Starlette, **kwargs: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://demo", **kwargs)


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(app) as http:
        yield http


@pytest.fixture
def empty_app(make_app: Callable[..., Starlette]) -> Starlette:
    """The default catalogue without any history."""
    return make_app(seed_runs=0)


@pytest.fixture
async def empty_client(empty_app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(empty_app) as http:
        yield http
