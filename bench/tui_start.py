"""Cold start to an interactive workflow list, against a bare Textual app in the same run.

Run: python bench/tui_start.py [runs]

Each sample is a new process, run headless, that exits as soon as its table has rows: the bare
app (Header, DataTable with one row, Footer) and orch-tui on the embedded demo orchestrator.
Target: orch-tui within 1.25× the bare app.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

BARE = """
from textual.app import App
from textual.widgets import DataTable, Footer, Header

class Bare(App):
    def compose(self):
        yield Header()
        yield DataTable()
        yield Footer()

    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("Name", "Status")
        table.add_row("greeting", "ok")
        self.call_after_refresh(self.exit)

Bare().run(headless=True)
"""

ORCH = """
from orch_tui.core.connect import demo_backend
from orch_tui.ui.app import OrchApp
from orch_tui.ui.widgets.workflow_table import WorkflowTable

class Timed(OrchApp):
    def on_ready(self):
        self.set_interval(0.002, self._check)

    def _check(self):
        tables = self.screen.query(WorkflowTable)
        if tables and tables.first().row_count:
            self.exit()

Timed(demo_backend()).run(headless=True)
"""


def measure(code: str, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                       env={"ORCH_TUI_CONFIG": "/nonexistent/orch-tui.toml", "PATH": "/usr/bin:/bin", "TERM": "xterm"})
        samples.append(time.perf_counter() - started)
    return samples


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    bare = measure(BARE, runs)
    orch = measure(ORCH, runs)
    print(f"{'start to an interactive list':<36} {'best':>7} {'median':>8}")
    for label, samples in (("bare Textual app (header, table, footer)", bare), ("orch-tui on the embedded demo", orch)):
        print(f"{label:<36} {min(samples) * 1000:6.0f}ms {statistics.median(samples) * 1000:7.0f}ms")
    print(f"ratio (median): {statistics.median(orch) / statistics.median(bare):.2f}x   (target ≤ 1.25x)")


if __name__ == "__main__":
    main()
