"""Seeded history, determinism, scale and packaging constraints."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from orch_tui.demo import ManualClock, create_app
from orch_tui.demo.timeutil import human_duration

from .conftest import API, FROZEN, client_for

SRC = Path(__file__).resolve().parents[2] / "src"


async def snapshot(app: Any) -> list[bytes]:
    async with client_for(app) as http:
        listing = await http.post(f"{API}/v2/workflows/instances", json={})
        first = listing.json()["items"][0]["id"]
        return [
            (await http.post(f"{API}/v2/workflows/overview", json={})).content,
            listing.content,
            (await http.get(f"{API}/v2/workflows/instances/{first}")).content,
            (await http.get(f"{API}/v2/workflows/instances/{first}/logs")).content,
            (
                await http.post(
                    f"{API}/v2/workflows/overview/entity",
                    json={"targetEntity": "system:default/payments", "annotationWorkflowIds": []},
                )
            ).content,
        ]


async def test_same_seed_and_clock_give_identical_bytes() -> None:
    first = await snapshot(create_app(clock=ManualClock(FROZEN)))
    second = await snapshot(create_app(clock=ManualClock(FROZEN)))
    assert first == second
    other = await snapshot(create_app(clock=ManualClock(FROZEN), seed=8))
    assert other[1] != first[1]


async def test_frozen_clock_answers_do_not_change(app: Any) -> None:
    assert await snapshot(app) == await snapshot(app)


async def test_executed_runs_are_deterministic_too() -> None:
    ids = []
    for _ in range(2):
        async with client_for(create_app(clock=ManualClock(FROZEN), seed_runs=0)) as http:
            ids.append((await http.post(f"{API}/v2/workflows/greeting/execute", json={})).json()["id"])
    assert ids[0] == ids[1]


async def test_history_is_varied(client: httpx.AsyncClient) -> None:
    items = (await client.post(f"{API}/v2/workflows/instances", json={})).json()["items"]
    states = Counter(item["state"] for item in items)
    assert set(states) == {"COMPLETED", "ERROR", "ABORTED", "ACTIVE", "SUSPENDED", "PENDING"}
    assert states["COMPLETED"] > len(items) / 2
    initiators = {item.get("initiatorEntity") for item in items}
    assert len(initiators - {None}) >= 4
    targets = Counter(item.get("targetEntity") for item in items)
    assert targets[None] > 0 and len(targets) >= 4
    oldest = datetime.fromisoformat(items[0]["start"].replace("Z", "+00:00"))
    assert FROZEN - timedelta(days=46) < oldest < FROZEN - timedelta(days=30)
    assert any(any(line.startswith("Workflow retriggered") for line in item["executionSummary"]) for item in items)


async def test_ten_thousand_runs() -> None:
    app = create_app(seed_runs=10_000, clock=ManualClock(FROZEN))
    async with client_for(app) as http:
        overviews = (await http.post(f"{API}/v2/workflows/overview", json={})).json()["overviews"]
        assert sum(o.get("workflowRunStats", {}).get("totalCount", 0) for o in overviews) > 5_000
        page = (
            await http.post(
                f"{API}/v2/workflows/instances",
                json={"paginationInfo": {"pageSize": 21, "offset": 0, "orderBy": "start", "orderDirection": "DESC"}},
            )
        ).json()
        assert page["totalCount"] == 10_000 and len(page["items"]) == 21
        filtered = (
            await http.post(
                f"{API}/v2/workflows/instances",
                json={
                    "filters": {
                        "operator": "AND",
                        "filters": [
                            {"field": "state", "operator": "EQ", "value": "ERROR"},
                            {
                                "field": "variables",
                                "nested": {
                                    "field": "targetEntity",
                                    "operator": "EQ",
                                    "value": "system:default/payments",
                                },
                            },
                        ],
                    },
                    "paginationInfo": {"pageSize": 20, "offset": 0, "orderBy": "start", "orderDirection": "DESC"},
                },
            )
        ).json()
        assert 0 < filtered["totalCount"] < 10_000


@pytest.mark.parametrize(
    ("ms", "text"),
    [
        (63_500, "0 hours, 1 minute, 3.5 seconds"),
        (1_000, "0 hours, 0 minutes, 1 second"),
        (3_600_000, "1 hour, 0 minutes, 0 seconds"),
        (7_322_250, "2 hours, 2 minutes, 2.25 seconds"),
        (0, "0 hours, 0 minutes, 0 seconds"),
    ],
)
def test_durations_read_like_luxon(ms: int, text: str) -> None:
    assert human_duration(ms) == text


def test_package_does_not_pull_in_the_ui_stack() -> None:
    code = (
        "import sys; import orch_tui.demo as demo; demo.create_app(seed_runs=5); "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')]; "
        "assert not bad, bad"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=60)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_over_http() -> None:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    code = f"from orch_tui.demo import serve; serve(port={port}, seed_runs=20)"
    server = subprocess.Popen([sys.executable, "-c", code], env=env)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}{API}/health", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.1)
        assert response.json() == {"status": "ok"}
        listing = httpx.post(
            f"http://127.0.0.1:{port}{API}/v2/workflows/instances", json={"paginationInfo": {"pageSize": 2}}
        )
        assert listing.json()["totalCount"] == 20
        run_id = httpx.post(f"http://127.0.0.1:{port}{API}/v2/workflows/greeting/execute", json={}).json()["id"]
        run = httpx.get(f"http://127.0.0.1:{port}{API}/v2/workflows/instances/{run_id}").json()
        assert run["state"] == "ACTIVE"
        now = datetime.now(UTC)
        started = datetime.fromisoformat(run["start"].replace("Z", "+00:00"))
        assert abs((now - started).total_seconds()) < 10
    finally:
        server.terminate()
        server.wait(timeout=10)
