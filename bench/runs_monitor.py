"""Watching live: orch-tui in a real terminal (a pty) against a demo server seeded with 10,000 runs.

    python bench/runs_monitor.py [--seconds 60] [--opens 5] [--seed-runs 10000] [--size 120x40]

The demo server runs in this process (uvicorn, on a free port) behind a counter of requests and
bytes (request and response bodies).  orch-tui runs as ``orch-tui --url http://127.0.0.1:PORT``
in its own process on a pseudo-terminal; every byte it writes to the terminal is counted.  A
probe inside that process (Textual's ``auto_pilot`` hook, which starts when the app is ready)
measures the event loop: a 10 ms ticker records how late it wakes up (the stall), and it says
which screen is shown and how many rows its table has.  Keys are typed into the terminal.

Phases, each watched for ``--seconds`` once its data is on screen, a refresh has passed (6 s) and the
terminal has been quiet for two seconds (at most 20 s in all), with the default refresh (5 s):

1. the workflow list;
2. all runs (``R``), newest first: the 10,000-run list, paged by the server.  Its first page holds
   the demo's runs in progress, whose durations keep growing, so it is live, not idle;
3. all runs, oldest first (``o``): a page of runs that ended long ago;
4. a completed run's detail (``:run ID``).

The list's opening is measured ``--opens`` times, each in a new orch-tui process (so that each one
is the screen's first opening, as a user meets it), the last one being phase 2's: the time from
the key ``R`` to rows on screen (the "10,000-run list" figure) and the longest stall from the key
until a second after the rows (the screen's first compose, layout and paints, and the first page
of runs), as medians and worst.  Each process is left on the workflow list for three seconds
first, as a user would be before pressing a key, so that what the console does once it has
started (importing the other screens in the background) is over.

A screen is idle when it shows no run in progress and no answer from the server changed while it
was watched.  Targets: no event-loop stall over 100 ms, during live refresh (every phase) and while
the list opens (the worst opening); idle terminal output ≤ 2 KB/min.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import os
import pty
import select
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from dataclasses import dataclass, field
from typing import Any

STALL_TARGET_MS = 100.0
IDLE_OUTPUT_TARGET = 2048.0  # bytes per minute

PROBE = """
import asyncio, os, time
from textual.app import App

_SIDE = os.fdopen(int(os.environ.pop("BENCH_SIDE_FD")), "w", buffering=1)

async def _probe(pilot):
    from textual.widgets import DataTable
    app = pilot.app
    last_state = None
    last_report = 0.0
    while True:
        started = time.monotonic()
        await asyncio.sleep(0.01)
        now = time.monotonic()
        late = now - started - 0.01
        if late > 0.005:
            _SIDE.write(f"stall {now:.4f} {late:.4f}\\n")
        if now - last_report >= 0.05:
            last_report = now
            screen = app.screen
            rows = sum(t.row_count for t in screen.query(DataTable) if t.region.height)
            state = (type(screen).__name__, rows)
            if state != last_state:
                last_state = state
                _SIDE.write(f"screen {now:.4f} {state[0]} {rows}\\n")

_run = App.run

def _run_probed(self, *args, **kwargs):
    kwargs["auto_pilot"] = _probe
    return _run(self, *args, **kwargs)

App.run = _run_probed
from orch_tui.cli import main
raise SystemExit(main())
"""


@dataclass
class Traffic:
    """Requests seen by the server: (monotonic time, request body bytes, response body bytes,
    whether the answer differs from the last answer to the same request)."""

    calls: list[tuple[float, int, int, bool]] = field(default_factory=list)
    answers: dict[bytes, bytes] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, request: bytes, size_in: int, answer: bytes) -> None:
        digest = hashlib.sha256(answer).digest()
        with self.lock:
            changed = self.answers.get(request) != digest
            self.answers[request] = digest
            self.calls.append((time.monotonic(), size_in, len(answer), changed))

    def between(self, start: float, end: float) -> tuple[int, int, int]:
        """Requests, bytes, and answers that changed, in [start, end)."""
        with self.lock:
            inside = [c for c in self.calls if start <= c[0] < end]
        return len(inside), sum(c[1] + c[2] for c in inside), sum(c[3] for c in inside)


def counting(app: Any, traffic: Traffic) -> Any:
    """The ASGI app, with every HTTP request and its body bytes counted."""

    async def wrapped(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        request = [scope["method"].encode(), scope["raw_path"], scope.get("query_string", b"")]
        answer: list[bytes] = []

        async def counted_receive() -> Any:
            message = await receive()
            request.append(message.get("body", b""))
            return message

        async def counted_send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.body":
                answer.append(message.get("body", b""))
            await send(message)

        await app(scope, counted_receive, counted_send)
        traffic.record(b"\0".join(request), sum(len(part) for part in request[3:]), b"".join(answer))

    return wrapped


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(seed_runs: int, traffic: Traffic) -> tuple[Any, int]:
    import uvicorn

    from orch_tui.demo import create_app

    port = free_port()
    config = uvicorn.Config(counting(create_app(seed_runs=seed_runs), traffic), host="127.0.0.1", port=port,
                            log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    threading.Thread(target=server.run, daemon=True).start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline:
            raise SystemExit("the demo server did not start")
        time.sleep(0.05)
    return server, port


class Console:
    """orch-tui on a pseudo-terminal, with its output and its probe's reports collected."""

    def __init__(self, url: str, size: tuple[int, int], home: str) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        side_read, side_write = os.pipe()
        env = {
            "HOME": home, "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TERM": "xterm-256color",
            "COLORTERM": "truecolor", "ORCH_TUI_CONFIG": os.path.join(home, "none.toml"),
            "BENCH_SIDE_FD": str(side_write), "LANG": "C.UTF-8",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-c", PROBE, "--url", url], stdin=slave, stdout=slave, stderr=slave,
            env=env, pass_fds=(side_write,), start_new_session=True,
        )
        os.close(slave)
        os.close(side_write)
        self.side = side_read
        self.output: list[tuple[float, int]] = []
        self.stalls: list[tuple[float, float]] = []
        self.screens: list[tuple[float, str, int]] = []
        self._side_buffer = b""

    def pump(self, seconds: float) -> None:
        """Read the terminal and the probe for this long."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([self.master, self.side], [], [], min(left, 0.05))
            now = time.monotonic()
            if self.master in ready:
                try:
                    data = os.read(self.master, 65536)
                except OSError:
                    data = b""
                if data:
                    self.output.append((now, len(data)))
            if self.side in ready:
                chunk = os.read(self.side, 65536)
                self._side_buffer += chunk
                *lines, self._side_buffer = self._side_buffer.split(b"\n")
                for line in lines:
                    self._report(line.decode())
            if self.process.poll() is not None:
                raise SystemExit(f"orch-tui exited ({self.process.returncode})")

    def _report(self, line: str) -> None:
        kind, *rest = line.split()
        if kind == "stall":
            self.stalls.append((float(rest[0]), float(rest[1])))
        elif kind == "screen":
            self.screens.append((float(rest[0]), rest[1], int(rest[2])))

    def wait_for(self, screen: str, timeout: float = 60) -> float:
        """Pump until ``screen`` shows rows; return when it did (monotonic)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for when, name, rows in reversed(self.screens):
                if name == screen and rows > 0:
                    return when
            self.pump(0.05)
        raise SystemExit(f"no {screen} with rows within {timeout:g} s")

    def settle(self, least: float = 6.0, quiet: float = 2.0, limit: float = 20.0) -> None:
        """Pump for ``least`` seconds (one refresh and then some), then until the terminal has been
        quiet for ``quiet`` seconds (``limit`` in all at most)."""
        started = time.monotonic()
        self.pump(least)
        while time.monotonic() < started + limit:
            self.pump(0.1)
            last = self.output[-1][0] if self.output else 0.0
            if time.monotonic() - last >= quiet:
                return

    def type(self, text: str) -> float:
        now = time.monotonic()
        os.write(self.master, text.encode())
        return now

    def output_between(self, start: float, end: float) -> int:
        return sum(n for when, n in self.output if start <= when < end)

    def longest_stall(self, start: float, end: float) -> float:
        return max((late for when, late in self.stalls if start <= when < end), default=0.0)

    def peak_memory(self) -> float:
        try:
            with open(f"/proc/{self.process.pid}/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            pass
        return float("nan")

    def close(self) -> None:
        if self.process.poll() is None:
            os.write(self.master, b"\x11")  # ctrl+q
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        os.close(self.master)
        os.close(self.side)


def open_runs_list(console: Console) -> tuple[float, float]:
    """Press ``R`` on the workflow list: (seconds to rows on screen, longest stall from the key
    until a second after the rows)."""
    pressed = console.type("R")
    shown = console.wait_for("RunListScreen")
    console.pump(1.0)
    return shown - pressed, console.longest_stall(pressed, time.monotonic())


def opened_once(url: str, size: tuple[int, int]) -> tuple[float, float]:
    """The list's opening in a new orch-tui process (three seconds after its workflow list)."""
    with tempfile.TemporaryDirectory() as home:
        console = Console(url, size, home)
        try:
            console.wait_for("WorkflowListScreen")
            console.pump(3.0)
            return open_runs_list(console)
        finally:
            console.close()


def completed_run(port: int) -> str:
    import httpx

    body = {
        "filters": {"field": "state", "operator": "EQ", "value": "COMPLETED"},
        "paginationInfo": {"pageSize": 1, "offset": 0, "orderBy": "start", "orderDirection": "DESC"},
    }
    response = httpx.post(f"http://127.0.0.1:{port}/api/orchestrator/v2/workflows/instances", json=body)
    response.raise_for_status()
    data = response.json()
    items = data.get("items", []) if isinstance(data, dict) else data
    return str(items[0]["id"])


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60, help="each screen is watched this long (default 60)")
    parser.add_argument("--opens", type=int, default=5,
                        help="the list's opening is measured this many times, each in a new process (default 5)")
    parser.add_argument("--seed-runs", type=int, default=10_000)
    parser.add_argument("--size", default="120x40", help="terminal size, COLUMNSxROWS (default 120x40)")
    args = parser.parse_args()
    columns, rows = (int(n) for n in args.size.split("x"))
    traffic = Traffic()
    server, port = start_server(args.seed_runs, traffic)
    run_id = completed_run(port)
    url = f"http://127.0.0.1:{port}"
    print(f"demo server: {args.seed_runs} seeded runs; orch-tui --url {url} on a {columns}×{rows} pty, "
          f"refresh 5 s; each screen watched {args.seconds:g} s once its output has settled")
    opens = [opened_once(url, (columns, rows)) for _ in range(max(0, args.opens - 1))]
    phases: list[tuple[str, float, float, bool]] = []
    with tempfile.TemporaryDirectory() as home:
        console = Console(url, (columns, rows), home)

        def watch(label: str, idle: bool = True) -> None:
            console.settle()
            start = time.monotonic()
            console.pump(args.seconds)
            phases.append((label, start, time.monotonic(), idle))

        try:
            console.wait_for("WorkflowListScreen")
            watch("workflow list")

            opens.append(open_runs_list(console))
            watch("all runs, newest first", idle=False)

            console.type("o")
            watch("all runs, oldest first")

            console.type(":")
            console.pump(0.5)
            console.type(f"run {run_id}\r")
            console.wait_for("RunDetailScreen")
            watch("a completed run's detail")
            memory = console.peak_memory()
        finally:
            console.close()
            server.should_exit = True

    times = [1000 * list_time for list_time, _ in opens]
    stalls = [1000 * stall for _, stall in opens]
    opening_stall = max(stalls)
    print(f"\n{args.seed_runs:,}-run list, opened {len(opens)} times (each the first opening in its process):")
    for label, figures in (("key R to rows on screen", times), ("longest event-loop stall", stalls)):
        print(f"  {label:<32} median {statistics.median(figures):5.0f} ms   worst {max(figures):5.0f} ms"
              f"   ({' '.join(f'{figure:.0f}' for figure in figures)})")
    print(f"\n{'while watching':<26}{'requests/min':>13}{'KB/min':>8}{'changed':>9}{'terminal B/min':>16}"
          f"{'longest stall':>15}")
    worst_stall, worst_idle = 0.0, None
    for label, start, end, idle_screen in phases:
        minutes = (end - start) / 60
        requests, size, changed = traffic.between(start, end)
        output = console.output_between(start, end) / minutes
        stall = console.longest_stall(start, end)
        worst_stall = max(worst_stall, stall)
        idle = idle_screen and changed == 0
        if idle:
            worst_idle = output if worst_idle is None else max(worst_idle, output)
        note = "" if idle else "   (not idle: runs in progress)" if not idle_screen else "   (not idle: data changed)"
        print(f"{label:<26}{requests / minutes:>13.1f}{size / 1024 / minutes:>8.1f}{changed:>9d}{output:>16.0f}"
              f"{stall * 1000:>12.0f} ms{note}")
    print("changed: answers that differed from the previous answer to the same request")
    print(f"\npeak memory of the orch-tui process: {memory:.0f} MiB")
    print(f"longest event-loop stall while the {args.seed_runs:,}-run list opens: {opening_stall:.0f} ms (worst of "
          f"{len(opens)})   target ≤ {STALL_TARGET_MS:.0f} ms   {verdict(opening_stall <= STALL_TARGET_MS)}")
    print(f"longest event-loop stall during live refresh: {worst_stall * 1000:.0f} ms   "
          f"target ≤ {STALL_TARGET_MS:.0f} ms   {verdict(worst_stall * 1000 <= STALL_TARGET_MS)}")
    if worst_idle is None:
        print("idle terminal output: no screen was idle (every one saw its data change)")
    else:
        print(f"idle terminal output: {worst_idle:.0f} B/min (worst idle screen)   "
              f"target ≤ {IDLE_OUTPUT_TARGET:.0f} B/min   {verdict(worst_idle <= IDLE_OUTPUT_TARGET)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
