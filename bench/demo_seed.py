"""Timing figures for the demo orchestrator with a large seeded history.

Run with ``PYTHONPATH=src python bench/demo_seed.py [runs]`` (default 10 000 runs).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from orch_tui.demo import create_app

API = "/api/orchestrator"
REPEATS = 5


async def timed(label: str, call: Callable[[], Awaitable[httpx.Response]]) -> None:
    samples = []
    size = 0
    for _ in range(REPEATS):
        started = time.perf_counter()
        response = await call()
        samples.append(time.perf_counter() - started)
        response.raise_for_status()
        size = len(response.content)
    first, median = samples[0] * 1000, statistics.median(samples) * 1000
    print(f"{label:<48} first {first:8.1f} ms   median {median:8.1f} ms   {size / 1024:9.1f} KiB")


async def main(runs: int) -> None:
    started = time.perf_counter()
    app = create_app(seed_runs=runs)
    print(f"create_app(seed_runs={runs})".ljust(48), f"{(time.perf_counter() - started) * 1000:8.1f} ms")

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://demo") as http:

        def post(path: str, body: dict[str, Any]) -> Callable[[], Awaitable[httpx.Response]]:
            return lambda: http.post(f"{API}{path}", json=body)

        page = {"paginationInfo": {"pageSize": 21, "offset": 0, "orderBy": "start", "orderDirection": "DESC"}}
        filtered = {
            "filters": {
                "operator": "AND",
                "filters": [
                    {"field": "state", "operator": "EQ", "value": "COMPLETED"},
                    {
                        "field": "variables",
                        "nested": {
                            "field": "targetEntity",
                            "operator": "EQ",
                            "value": "component:default/payments-api",
                        },
                    },
                ],
            },
            **page,
        }
        await timed("overview list", post("/v2/workflows/overview", {}))
        await timed(
            "overview for entity",
            post(
                "/v2/workflows/overview/entity",
                {"targetEntity": "system:default/payments", "annotationWorkflowIds": []},
            ),
        )
        await timed("instances, newest page of 21", post("/v2/workflows/instances", page))
        await timed("instances, state+entity filter, page of 21", post("/v2/workflows/instances", filtered))
        await timed(
            "instances, ordered by processName, page of 21",
            post("/v2/workflows/instances", {"paginationInfo": {"pageSize": 21, "orderBy": "processName"}}),
        )
        await timed("instances of one workflow, page of 21", post("/v2/workflows/greeting/instances", page))
        await timed("instances, everything (no pagination)", post("/v2/workflows/instances", {}))


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000))
