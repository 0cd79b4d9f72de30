"""What a run produced: status banner, error with the failed node, message, outputs, next workflows.

Everything from the backend is shown literally: Content for text, Text for table cells, and a
Markdown view whose links never fire anything (they are only listed, copied or opened on a key).
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Label, Markdown, Static

from orch_tui.core.formatting import absolute_time, clean_text, clip_text, relative_time, single_line
from orch_tui.core.models import NextWorkflow, ProcessInstance, RunStatus, WorkflowOutput
from orch_tui.core.status import status_look
from orch_tui.core.progress import failed_node
from orch_tui.ui.widgets.updates import update_static
from orch_tui.ui.widgets.value_viewer import clipped

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?")
OPENABLE_SCHEMES = ("http://", "https://")
MARKDOWN_LIMIT = 20_000
MARKDOWN_LINES = 400


class SafeMarkdown(Markdown):
    """Markdown whose links do nothing when clicked."""

    def __init__(self, markdown: str, *, id: str | None = None, classes: str | None = None) -> None:
        text, cut = clip_text(markdown, MARKDOWN_LIMIT, MARKDOWN_LINES)
        if cut:
            text += f"\n\n*({len(markdown):,} characters · v shows it whole)*"
        super().__init__(text, id=id, classes=classes, open_links=False)

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        event.prevent_default()


def summary_time(run: ProcessInstance, word: str) -> datetime | None:
    """The time on the last executionSummary line that mentions ``word`` (``failed``, ``completed``…)."""
    for line in reversed(run.executionSummary):
        if word in line.lower():
            found = _ISO.search(line)
            if found:
                try:
                    return datetime.fromisoformat(found.group(0).replace("Z", "+00:00"))
                except ValueError:
                    return None
    return None


def waiting_line(run: ProcessInstance) -> str | None:
    for line in reversed(run.executionSummary):
        if "waiting" in line.lower():
            return line
    return None


def banner(run: ProcessInstance, now: datetime) -> tuple[Content, str]:
    """One line saying where the run stands, and the class that colours it."""
    status = run.status
    look = status_look(status)

    def at(moment: datetime | None) -> Content:
        if moment is None:
            return Content("")
        return Content(f" at {absolute_time(moment)} ({relative_time(moment, now)})")

    if run.error is not None and status is not RunStatus.ACTIVE:
        failed_at = summary_time(run, "failed") or run.end
        if status is RunStatus.COMPLETED:
            return Content("▲ Completed with an error") + at(run.end), "status-pending"
        return Content(f"{look.glyph} Failed") + at(failed_at), look.style_class
    if status is RunStatus.ABORTED:
        return Content(f"{look.glyph} Run has aborted") + at(run.end), look.style_class
    if status in (RunStatus.COMPLETED, RunStatus.ERROR):
        ended = run.end or summary_time(run, status.value.lower())
        return Content(f"{look.glyph} {look.word}") + at(ended), look.style_class
    if status is RunStatus.SUSPENDED:
        return Content(f"{look.glyph} Suspended") + at(summary_time(run, "suspended")), look.style_class
    waiting = waiting_line(run)
    if waiting is not None:
        text = Content(f"{status_look(RunStatus.PENDING).glyph} ") + Content(single_line(waiting))
        return text, status_look(RunStatus.PENDING).style_class
    if status is RunStatus.PENDING:
        return Content(f"{look.glyph} Pending since {absolute_time(run.start)}"), look.style_class
    since = f" since {absolute_time(run.start)}" if run.start else ""
    return Content(f"{look.glyph} Running{since}"), look.style_class


def output_text(value: Any) -> str:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if value is None:
        return "—"
    return json.dumps(value, ensure_ascii=False)


def _link_cell(text: str) -> Text:
    return Text(text, no_wrap=True, overflow="ellipsis", end="")


class LinkTable(DataTable[Text]):
    """Output links: ``c`` copies (OSC 52), ``o`` opens with the system opener; nothing else opens them."""

    BINDINGS = [
        Binding("c", "copy_link", "Copy link", id="run-links.copy"),
        Binding("enter", "copy_link", "Copy link", show=False, id="run-links.copy-enter"),
        Binding("o", "open_link", "Open link", id="run-links.open"),
    ]

    def __init__(self, links: list[tuple[str, str]], *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", show_header=False, cursor_foreground_priority="renderable")
        self.links = links
        self._widths: tuple[int | None, int | None] = (None, None)
        self._fill(self._widths)
        self.styles.height = len(links)  # one line per link, known before the first layout

    def _fill(self, widths: tuple[int | None, int | None]) -> None:
        self.clear(columns=True)
        self.add_column("Link", key="label", width=widths[0])
        self.add_column("URL", key="url", width=widths[1])
        for index, (label, url) in enumerate(self.links):
            self.add_row(_link_cell(single_line(label, 60)), _link_cell(single_line(url, 300)), key=str(index))

    def on_resize(self, event: events.Resize) -> None:
        # Fit the width: a long URL is cut with an ellipsis (c copies it whole), never scrolled sideways.
        room = max(20, event.size.width - 5)
        longest = max((len(single_line(label, 60)) for label, _ in self.links), default=4)
        label_width = min(longest, 30, room // 3)
        widths = (label_width, room - label_width)
        if widths == self._widths:
            return
        self._widths = widths
        cursor = self.cursor_row
        self._fill(widths)
        self.move_cursor(row=cursor, animate=False)

    @property
    def current_url(self) -> str | None:
        if not self.row_count:
            return None
        return self.links[self.cursor_row][1]

    def action_copy_link(self) -> None:
        url = self.current_url
        if url is None:
            return
        self.app.copy_to_clipboard(url)
        self.notify(f"Copied {single_line(url, 200)}", title="Link", markup=False)

    def action_open_link(self) -> None:
        url = self.current_url
        if url is None:
            return
        if not url.strip().lower().startswith(OPENABLE_SCHEMES):
            self.notify(
                f"Not opening {single_line(url, 200)}: only http and https links are opened.",
                severity="warning",
                markup=False,
            )
            return
        self.app.open_url(url.strip())
        self.notify(f"Opening {single_line(url, 200)}", title="Link", markup=False)


class NextWorkflowTable(DataTable[Text]):
    """Suggested next workflows; Enter opens the chosen one's run form, prefilled from this run."""

    BINDINGS = [Binding("enter", "choose", "Run next workflow", id="run-next.choose")]

    class Chosen(Message):
        def __init__(self, workflow: NextWorkflow) -> None:
            super().__init__()
            self.workflow = workflow

    def __init__(self, workflows: list[NextWorkflow], *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", show_header=False, cursor_foreground_priority="renderable")
        self.workflows = workflows
        self.styles.height = len(workflows)  # one line per workflow, known before the first layout
        self.add_column("Workflow", key="name")
        self.add_column("Id", key="id")
        for index, workflow in enumerate(self.workflows):
            self.add_row(
                _link_cell("▶ " + single_line(workflow.name or workflow.id, 60)),
                _link_cell(single_line(workflow.id, 60)),
                key=str(index),
            )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose" and getattr(self.app, "read_only", False):
            return False  # a read-only context offers no run
        return True

    def action_choose(self) -> None:
        if self.row_count:
            self.post_message(self.Chosen(self.workflows[self.cursor_row]))


class RunResults(Vertical):
    """The results card; rebuilt only when the run's outcome changes."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._signature: object = None

    def compose(self) -> ComposeResult:
        yield Static(id="results-banner")
        yield Vertical(id="results-body")

    def update_banner(self, run: ProcessInstance, now: datetime) -> None:
        text, css_class = banner(run, now)
        widget = self.query_one("#results-banner", Static)
        update_static(widget, text)
        widget.set_classes(css_class)

    async def show(self, run: ProcessInstance, now: datetime) -> None:
        self.update_banner(run, now)
        result = run.result
        signature = (
            run.status,
            run.error.model_dump() if run.error else None,
            result.model_dump() if result else None,
            tuple(node.id for node in run.nodes) if run.error else None,
        )
        if signature == self._signature:
            return
        body = self.query_one("#results-body", Vertical)
        await body.remove_children()
        await body.mount_all(self._parts(run))
        self._signature = signature

    def _parts(self, run: ProcessInstance) -> list[Any]:
        parts: list[Any] = []
        if run.error is not None:
            parts.append(self._error_panel(run))
        result = run.result
        finished = run.status in (RunStatus.COMPLETED, RunStatus.ERROR, RunStatus.SUSPENDED)
        if result is not None and result.message:
            parts.append(SafeMarkdown(result.message, id="results-message"))
        elif finished and run.error is None:
            parts.append(Static(Content("No additional info."), classes="results-note"))
        if result is None:
            if not run.status.is_final:
                waiting = Content("Results will be shown here once the run is complete.")
                parts.append(Static(waiting, classes="results-note"))
            return parts
        if result.nextWorkflows:
            parts.append(Label(Content("Suggested next workflows"), classes="results-heading"))
            parts.append(NextWorkflowTable(list(result.nextWorkflows), id="results-next"))
        links = [output for output in result.outputs if (output.format or "").lower() == "link"]
        markdown = [output for output in result.outputs if (output.format or "").lower() == "markdown"]
        values = [output for output in result.outputs if output not in links and output not in markdown]
        if links:
            parts.append(Label(Content("Links"), classes="results-heading"))
            parts.append(LinkTable([(output.key, output_text(output.value)) for output in links], id="results-links"))
        if values:
            parts.append(Label(Content("Values"), classes="results-heading"))
            parts.append(self._values(values))
        for output in markdown:
            parts.append(Label(Content(single_line(output.key, 80)), classes="results-heading"))
            parts.append(SafeMarkdown(output_text(output.value), classes="results-markdown"))
        return parts

    @staticmethod
    def _values(values: list[WorkflowOutput]) -> Grid:
        cells: list[Label] = []
        for output in values:
            cells.append(Label(Content(single_line(output.key, 80)), classes="results-key"))
            value = output.value
            text = value if isinstance(value, str) else output_text(value)
            cells.append(Label(clipped(text), classes="results-value"))
        return Grid(*cells, id="results-values")

    @staticmethod
    def _error_panel(run: ProcessInstance) -> Vertical:
        error = run.error
        assert error is not None
        node = failed_node(run)
        if node is not None:
            where = Content.assemble(("Failed node: ", "bold"), single_line(node.name or node.definitionId or node.id))
            if node.type:
                where += Content(f" ({single_line(node.type, 40)})")
            if node.enter is not None:
                where += Content(f" · entered {absolute_time(node.enter)}")
        else:
            where = Content.assemble(("Failed node: ", "bold"), single_line(error.nodeDefinitionId or "unknown"))
        message = error.message or (node.errorMessage if node else None) or "No error message."
        return Vertical(
            Static(Content("✖ Error"), classes="error-title"),
            Static(where, classes="error-node"),
            Static(clipped(message), classes="error-message"),
            id="results-error",
            classes="error-panel",
        )
