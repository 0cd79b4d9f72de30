"""Cold start to an interactive list: orch-tui against a bare Textual app, in the same run.

Run: python bench/tui_start.py [runs]

Each sample is a new process started headless at 80×24 with a probe that ends the app the moment
its list is interactive: a DataTable with rows, laid out and painted, and a key (down) that
moves the table's cursor.  The probe is the same for both apps; it is Textual's own
``auto_pilot`` hook, started when the app is ready.

* bare: a Textual app with a Header, a DataTable of 12 workflows and a Footer;
* orch-tui: ``orch-tui`` exactly as typed (``orch_tui.cli.main``), with no configuration, so on
  the embedded demo orchestrator, started again as a user starts it again: the list it loaded
  the last time is in its start snapshot, shown at once while the configuration is read, the
  demo built and the list fetched over the ASGI transport (in a thread, meanwhile);
* orch-tui, first start: the same with no start snapshot (a state directory of its own for each
  sample), through the full path before anything shows: config, demo built in-process, the
  workflow list fetched.

The samples alternate between the apps so that load from elsewhere hits them alike.  A third app,
the bare one after importing the libraries orch-tui cannot start without (httpx for the Backstage
adapter and the ASGI transport, pydantic for the models and the configuration, starlette for the
embedded demo), shows what those libraries cost before any orch-tui code runs.
Target: orch-tui's median within 1.25× the bare app's.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET = 1.25

PROBE = f"""
import asyncio, os, sys
from textual.app import App
sys.path.append({str(Path(__file__).resolve().parent)!r})
from frames import Frames

async def _probe(pilot):
    from textual.widgets import DataTable
    app = pilot.app
    painted = Frames(app).painted

    while True:
        tables = [t for t in app.screen.query(DataTable) if t.row_count and t.region.height]
        if tables:
            break
        await asyncio.sleep(0.001)
    table = tables[0]
    await painted()
    before = table.cursor_row
    app.simulate_key("down")
    while table.cursor_row == before:
        await asyncio.sleep(0.001)
    await painted()
    os.write(_FD, b"interactive\\n")
    app.exit()

_FD = os.dup(1)
_run = App.run

def _headless_run(self, *args, **kwargs):
    kwargs.update(headless=True, auto_pilot=_probe)
    return _run(self, *args, **kwargs)

App.run = _headless_run
"""

BARE = """
from textual.app import App
from textual.widgets import DataTable, Footer, Header

class Bare(App):
    def compose(self):
        yield Header()
        yield DataTable(cursor_type="row")
        yield Footer()

    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("Name", "Last run", "Status", "Success", "Description")
        for n in range(12):
            table.add_row(f"workflow {n}", "2 h ago", "Completed", "93%", "A workflow", key=str(n))

Bare().run()
"""

ORCH = """
from orch_tui.cli import main
main([])
"""

LIBRARIES = """
import httpx, pydantic, starlette.applications, starlette.responses, starlette.routing
from pydantic import BaseModel, SecretStr
""" + BARE


def sample(code: str, env: dict[str, str]) -> tuple[float, float]:
    """Seconds from spawning the process to its list being interactive, and to its exit."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", PROBE + code], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env)
    assert process.stdout is not None
    line = process.stdout.readline()
    interactive = time.perf_counter() - started
    _, err = process.communicate()
    ended = time.perf_counter() - started
    if b"interactive" not in line or process.returncode != 0:
        raise SystemExit(f"probe failed (exit {process.returncode}): {err.decode(errors='replace')[-2000:]}")
    return interactive, ended


def line(label: str, samples: list[float]) -> str:
    return f"{label:<44} {min(samples) * 1000:6.0f} ms {statistics.median(samples) * 1000:7.0f} ms"


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 11
    with tempfile.TemporaryDirectory() as home:
        env = {
            "HOME": home, "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TERM": "xterm-256color",
            "ORCH_TUI_CONFIG": os.path.join(home, "none.toml"),
        }
        # Warm the file cache and the bytecode; orch-tui's first start writes its start snapshot.
        sample(BARE, env), sample(ORCH, env), sample(LIBRARIES, env)
        bare: list[tuple[float, float]] = []
        orch: list[tuple[float, float]] = []
        first: list[tuple[float, float]] = []
        libraries: list[tuple[float, float]] = []
        for n in range(runs):
            bare.append(sample(BARE, env))
            orch.append(sample(ORCH, env))
            first.append(sample(ORCH, {**env, "XDG_STATE_HOME": os.path.join(home, f"fresh-{n}")}))
            libraries.append(sample(LIBRARIES, env))
    print(f"cold start to an interactive list, {runs} runs each, alternating")
    print(f"{'':<44} {'best':>9} {'median':>10}")
    print(line("bare Textual app (header, table, footer)", [s[0] for s in bare]))
    print(line("orch-tui on the embedded demo", [s[0] for s in orch]))
    print(line("orch-tui, first start (no start snapshot)", [s[0] for s in first]))
    print(line("  whole process, bare (to exit)", [s[1] for s in bare]))
    print(line("  whole process, orch-tui (to exit)", [s[1] for s in orch]))
    print(line("bare app + httpx, pydantic, starlette imported", [s[0] for s in libraries]))
    floor = statistics.median(s[0] for s in libraries) / statistics.median(s[0] for s in bare)
    print(f"  (what orch-tui's own libraries cost before any of its code runs: {floor:.2f}× the bare app)")
    ratio = statistics.median(s[0] for s in orch) / statistics.median(s[0] for s in bare)
    best = min(s[0] for s in orch) / min(s[0] for s in bare)
    verdict = "PASS" if ratio <= TARGET else "MISS"
    first_ratio = statistics.median(s[0] for s in first) / statistics.median(s[0] for s in bare)
    print(f"  first start / bare: median {first_ratio:.2f}×")
    print(f"ratio orch-tui / bare: median {ratio:.2f}×, best {best:.2f}×   target ≤ {TARGET}×   {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
