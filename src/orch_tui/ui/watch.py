"""``orch-tui watch`` on a terminal: an inline live view of one run (no alternate screen).

It shows the run's status, timing and nodes, redrawn in place as they change, and ends by
itself when the run reaches a final state; ctrl+c stops watching and leaves the run alone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

from orch_tui.core.backend import Backend
from orch_tui.core.formatting import absolute_time, clean_text, duration, single_line, utcnow
from orch_tui.core.models import ProcessInstance
from orch_tui.core.progress import failed_node, node_state, visible_nodes
from orch_tui.core.status import status_look
from orch_tui.headless import WATCH_OTHER, watch_run
from orch_tui.resources import stylesheets

MAX_NODES = 12


def run_summary(run: ProcessInstance, now: datetime) -> Content:
    look = status_look(run.status)
    elapsed = duration(run.elapsed_seconds(now))
    return Content.assemble(
        (look.label(), "bold"),
        "  ",
        (single_line(run.workflow_label, 60), "bold"),
        ("  run ", "dim"),
        run.id,
        ("  started ", "dim"),
        absolute_time(run.start),
        ("  ", "dim"),
        elapsed,
    )


def node_lines(run: ProcessInstance) -> Content:
    lines: list[Content] = []
    nodes = visible_nodes(run)
    shown = nodes[-MAX_NODES:]
    if len(nodes) > len(shown):
        lines.append(Content(f"  … {len(nodes) - len(shown)} earlier nodes"))
    error_node = failed_node(run)
    for node in shown:
        look = node_state(node, run, error_node)
        name = single_line(node.name or node.definitionId or node.id, 50)
        line = Content.assemble(f"  {look.glyph} ", name)
        if node.errorMessage:
            line += Content.assemble(("  " + single_line(node.errorMessage, 80), "bold"))
        lines.append(line)
    if run.error is not None and run.error.message and not any(n.errorMessage for n in shown):
        lines.append(Content.assemble(("  ✖ ", "bold"), single_line(clean_text(run.error.message), 100)))
    return Content("\n").join(lines) if lines else Content("  (no nodes yet)")


class WatchApp(App[tuple[int, ProcessInstance | None]]):
    """The live view; its return value is (exit code, last state of the run)."""

    CSS_PATH = [str(path) for path in stylesheets()]
    BINDINGS = [Binding("ctrl+c", "stop", "Stop watching", priority=True)]

    def __init__(
        self,
        backend: Backend,
        run: ProcessInstance,
        *,
        interval: float,
        timeout: float | None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        super().__init__()
        self.backend = backend
        self.run_state = run
        self.interval = interval
        self.timeout = timeout
        self.clock = clock
        self.problem = ""

    def compose(self) -> ComposeResult:
        yield Static(id="watch-summary")
        yield Static(id="watch-nodes")
        yield Static(Content("ctrl+c stops watching; the run goes on"), id="watch-hint")

    def on_mount(self) -> None:
        self._show(self.run_state)
        self._follow()

    def _show(self, run: ProcessInstance) -> None:
        self.run_state = run
        self.query_one("#watch-summary", Static).update(run_summary(run, self.clock()))
        self.query_one("#watch-nodes", Static).update(node_lines(run))
        hint = Content(self.problem) if self.problem else Content("ctrl+c stops watching; the run goes on")
        self.query_one("#watch-hint", Static).update(hint)

    def _emit(self, line: str) -> None:
        if line.startswith("!") or line.startswith("Timed out"):
            self.problem = line
            self.query_one("#watch-hint", Static).update(Content(line))

    @work(exclusive=True, exit_on_error=False)
    async def _follow(self) -> None:
        try:
            result = await watch_run(
                self.backend, self.run_state.id, interval=self.interval, timeout=self.timeout,
                emit=self._emit, on_run=self._show,
            )
        except Exception as exc:  # any failure ends the watch with "other", said plainly
            self.problem = f"! {exc}"
            result = (WATCH_OTHER, self.run_state)
        self.exit(result)

    def action_stop(self) -> None:
        self.exit((WATCH_OTHER, self.run_state))


async def watch_inline(
    backend: Backend, run: ProcessInstance, *, interval: float, timeout: float | None
) -> tuple[int, ProcessInstance | None]:
    app = WatchApp(backend, run, interval=interval, timeout=timeout)
    result: Any = await app.run_async(inline=True, inline_no_clear=True)
    if result is None:
        return WATCH_OTHER, app.run_state
    return result  # type: ignore[no-any-return]
