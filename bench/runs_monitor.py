"""Live run monitoring against a demo server seeded with 10,000 runs.

Prints: time from data to a usable runs list, the longest event-loop stall during live
refresh, peak memory, and the requests and bytes per minute spent polling the runs list and
one run's detail.

    python bench/runs_monitor.py [--seconds 60] [--seed-runs 10000] [--interval 5]
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from orch_tui.core.backstage import BackstageBackend
from orch_tui.ui.app import OrchApp
from orch_tui.ui.screens.run_detail import RunDetailScreen
from orch_tui.ui.screens.runs import RunListScreen


@dataclass
class Traffic:
    requests: int = 0
    bytes: int = 0
    paths: dict[str, int] = field(default_factory=dict)


class CountingTransport(httpx.AsyncHTTPTransport):
    def __init__(self, traffic: Traffic) -> None:
        super().__init__()
        self.traffic = traffic

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await super().handle_async_request(request)
        self.traffic.requests += 1
        self.traffic.bytes += len(request.content or b"") + int(response.headers.get("content-length", 0))
        path = request.url.path.rsplit("/api/orchestrator", 1)[-1]
        self.traffic.paths[path] = self.traffic.paths.get(path, 0) + 1
        return response


class StallMeter:
    """Longest lateness of a 10 ms ticker on the app's event loop."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _tick(self) -> None:
        while True:
            started = time.perf_counter()
            await asyncio.sleep(0.01)
            self.longest = max(self.longest, time.perf_counter() - started - 0.01)

    def start(self) -> None:
        self.longest = 0.0
        self._task = asyncio.get_running_loop().create_task(self._tick())

    def stop(self) -> float:
        if self._task is not None:
            self._task.cancel()
        return self.longest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(port: int, seed_runs: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [sys.executable, "-m", "orch_tui", "demo-server", "--port", str(port), "--seed-runs", str(seed_runs)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("demo server did not start")


async def wait_until(predicate: Any, pilot: Any, timeout: float = 60) -> float:
    started = time.perf_counter()
    while not predicate():
        if time.perf_counter() - started > timeout:
            raise SystemExit("timed out waiting for the screen")
        await pilot.pause(0.01)
    return time.perf_counter() - started


async def measure(url: str, seconds: float, interval: float) -> None:
    traffic = Traffic()
    backend = BackstageBackend(url, transport=CountingTransport(traffic))
    app = OrchApp(backend, refresh_interval=interval)
    meter = StallMeter()
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        started = time.perf_counter()
        app.open_runs()
        def usable_list() -> bool:
            tables = app.screen.query("#run-table") if isinstance(app.screen, RunListScreen) else None
            return bool(tables) and tables.first().row_count > 0

        await wait_until(usable_list, pilot)
        usable = time.perf_counter() - started
        screen = app.screen
        assert isinstance(screen, RunListScreen)
        print(f"runs list usable after        {usable * 1000:8.0f} ms  ({screen.table.row_count} rows shown)")

        before = Traffic(traffic.requests, traffic.bytes)
        meter.start()
        await asyncio.sleep(seconds)
        stall_list = meter.stop()
        list_requests, list_bytes = traffic.requests - before.requests, traffic.bytes - before.bytes

        run_id = await backend.execute("data-migration", {})
        app.open_run(run_id)
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, RunDetailScreen)
        await wait_until(lambda: detail.run is not None, pilot)
        before = Traffic(traffic.requests, traffic.bytes)
        meter.start()
        await asyncio.sleep(seconds)
        stall_run = meter.stop()
        run_requests, run_bytes = traffic.requests - before.requests, traffic.bytes - before.bytes

    per_minute = 60 / seconds
    print(f"longest stall, runs list      {stall_list * 1000:8.1f} ms  over {seconds:g} s")
    print(f"longest stall, run detail     {stall_run * 1000:8.1f} ms  over {seconds:g} s")
    print(f"runs list polling             {list_requests * per_minute:8.1f} requests/min  "
          f"{list_bytes * per_minute / 1024:8.1f} KiB/min")
    print(f"one run's detail polling      {run_requests * per_minute:8.1f} requests/min  "
          f"{run_bytes * per_minute / 1024:8.1f} KiB/min")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak memory (client process)  {peak / 1024:8.1f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60, help="live refresh measured for this long, per screen")
    parser.add_argument("--seed-runs", type=int, default=10_000)
    parser.add_argument("--interval", type=float, default=5.0, help="refresh interval (default 5 s)")
    args = parser.parse_args()
    port = free_port()
    server = start_server(port, args.seed_runs)
    try:
        print(f"demo server: {args.seed_runs} seeded runs, refresh every {args.interval:g} s")
        asyncio.run(measure(f"http://127.0.0.1:{port}", args.seconds, args.interval))
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
