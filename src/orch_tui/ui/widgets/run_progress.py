"""A run's progress: its node timeline, keyed by node instance, updated in place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from rich.text import Text
from textual import events
from textual.widgets import DataTable

from orch_tui.core.formatting import duration, single_line
from orch_tui.core.models import NodeInstance, ProcessInstance, RunStatus
from orch_tui.core.status import STATUS_LOOKS

TYPE_WIDTH = 14
TIME_WIDTH = 8
NAME_MIN = 20
NAME_MAX = 60


def visible_nodes(run: ProcessInstance) -> list[NodeInstance]:
    """The nodes the web UI shows: failures of earlier attempts are hidden.

    A node carrying an ``errorMessage`` is kept only when it is the run's current error
    (``error.nodeInstanceId``).
    """
    current = run.error.nodeInstanceId if run.error is not None else None
    shown = [node for node in run.nodes if not node.errorMessage or node.id == current]
    never = datetime.max.replace(tzinfo=timezone.utc)
    return sorted(shown, key=lambda node: node.enter or never)


def failed_node(run: ProcessInstance) -> NodeInstance | None:
    """The node the run's error points at, if the run has one."""
    error = run.error
    if error is None:
        return None
    for node in run.nodes:
        if error.nodeInstanceId and node.id == error.nodeInstanceId:
            return node
    if error.nodeDefinitionId:
        for node in reversed(run.nodes):
            if node.definitionId == error.nodeDefinitionId:
                return node
    return None


def clock_time(moment: datetime | None) -> str:
    return "—" if moment is None else f"{moment:%H:%M:%S}"


@dataclass(frozen=True)
class NodeState:
    glyph: str
    word: str
    style_class: str


DONE = NodeState("✔", "done", STATUS_LOOKS[RunStatus.COMPLETED].style_class)
RUNNING = NodeState("●", "running", STATUS_LOOKS[RunStatus.ACTIVE].style_class)
FAILED = NodeState("✖", "failed", STATUS_LOOKS[RunStatus.ERROR].style_class)
STOPPED = NodeState("⊘", "stopped", STATUS_LOOKS[RunStatus.ABORTED].style_class)


def node_state(node: NodeInstance, run: ProcessInstance, error_node: NodeInstance | None) -> NodeState:
    if node.errorMessage or (error_node is not None and node.id == error_node.id):
        return FAILED
    if node.exit is not None:
        return DONE
    if run.status in (RunStatus.ACTIVE, RunStatus.PENDING, RunStatus.SUSPENDED, RunStatus.UNKNOWN):
        return RUNNING
    return STOPPED


class NodeTable(DataTable[Text]):
    """Node, type, entered, exited, duration; the failed node marked with ✖."""

    COMPONENT_CLASSES = {state.style_class for state in (DONE, RUNNING, FAILED, STOPPED)}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", cursor_foreground_priority="renderable", zebra_stripes=False)
        self._cells: dict[str, list[Text]] = {}
        self._name_width = 0
        self._rows: list[tuple[str, list[Text]]] = []

    def _name_width_for(self) -> int:
        width = self.scrollable_content_region.width or self.app.size.width - 3
        fixed = TYPE_WIDTH + 3 * TIME_WIDTH + 5 * 2
        return max(NAME_MIN, min(NAME_MAX, width - fixed))

    def show(self, run: ProcessInstance, now: datetime) -> None:
        error_node = failed_node(run)
        rows: list[tuple[str, list[Text]]] = []
        for node in visible_nodes(run):
            rows.append((node.id, self._cells_for(node, run, error_node, now)))
        self._rows = rows
        width = self._name_width_for()
        if width != self._name_width:
            self._name_width = width
            self._rebuild()
            return
        if [key for key, _ in rows if key in self._cells] != [key for key in self._cells if key in dict(rows)]:
            self._rebuild()  # the backend reordered its nodes: rare, and the table is short
            return
        with self.app.batch_update():
            self._apply(rows)

    def on_resize(self, event: events.Resize) -> None:
        width = self._name_width_for()
        if self._rows and width != self._name_width:
            self._name_width = width
            self._rebuild()

    def _rebuild(self) -> None:
        with self.app.batch_update():
            self.clear(columns=True)
            self._cells.clear()
            for key, label, width in (
                ("node", "Node", self._name_width),
                ("type", "Type", TYPE_WIDTH),
                ("entered", "Entered", TIME_WIDTH),
                ("exited", "Exited", TIME_WIDTH),
                ("duration", "Duration", TIME_WIDTH),
            ):
                self.add_column(Text(label, no_wrap=True), width=width, key=key)
            self._apply(self._rows)

    def _apply(self, rows: list[tuple[str, list[Text]]]) -> None:
        wanted = {key for key, _ in rows}
        for key in [key for key in self._cells if key not in wanted]:
            self.remove_row(key)
            del self._cells[key]
        columns = ("node", "type", "entered", "exited", "duration")
        for key, cells in rows:
            old = self._cells.get(key)
            if old is None:
                self.add_row(*cells, key=key)
            else:
                for column, before, after in zip(columns, old, cells, strict=True):
                    if before.plain != after.plain or before.style != after.style:
                        self.update_cell(key, column, after)
            self._cells[key] = cells

    def _cells_for(
        self, node: NodeInstance, run: ProcessInstance, error_node: NodeInstance | None, now: datetime
    ) -> list[Text]:
        state = node_state(node, run, error_node)
        style = self.get_component_rich_style(state.style_class, partial=True)
        name = Text(f"{state.glyph} ", style=style, no_wrap=True, overflow="ellipsis", end="")
        name.append(single_line(node.name or node.definitionId or node.id))
        if state is FAILED:
            name.stylize(style)
        end = node.exit
        if end is None and state is RUNNING:
            end = now
        elapsed = None if node.enter is None or end is None else max(0.0, (end - node.enter).total_seconds())

        def cell(text: str, *, right: bool = False) -> Text:
            return Text(text, no_wrap=True, overflow="ellipsis", end="", justify="right" if right else None)

        return [
            name,
            cell(single_line(node.type, 40) or "—"),
            cell(clock_time(node.enter)),
            cell(clock_time(node.exit)),
            cell(duration(elapsed), right=True),
        ]
