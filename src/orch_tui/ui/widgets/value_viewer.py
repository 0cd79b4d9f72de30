"""A value whole: what a table cell or a field cut short, in a read-only, searchable view.

Nothing in the value reaches the terminal as it is: control characters show as their control
pictures (``␛``, ``␇``), invisible and bidi characters as ``\\u202e``-style escapes
(:func:`orch_tui.core.formatting.visible_text`).  A long value is shown a part at a time (``[``
``]``) so the view opens at once even for megabytes; ``/`` finds across the whole value and ``c``
copies all of it, as it is.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option
from textual.widgets.text_area import Selection

from orch_tui.core.formatting import clip_text, hidden_count, single_line, visible_text
from orch_tui.ui.widgets.footer import OrchFooter

if TYPE_CHECKING:
    from orch_tui.core.catalog import CatalogEntity
    from orch_tui.core.models import NodeInstance, ProcessInstance, WorkflowOverview

PART = 32_768
"""Characters shown at a time: a soft-wrapped TextArea stays quick up to about this size."""

CLIP_LIMIT = 1_000
"""Characters a field shows in place before it is cut (``v`` shows the rest)."""


@dataclass(frozen=True)
class ViewedValue:
    """One value the viewer can show: its label and its full text, as the backend sent it."""

    label: str
    value: str


def value_text(value: Any) -> str:
    """A value as text: strings as they are, anything else as (indented) JSON."""
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, indent=2, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return str(value)


def clipped(text: str | None, *, limit: int = CLIP_LIMIT, lines: int = 20, empty: str = "—") -> Content:
    """A field's text for display in place: cleaned, cut at ``limit`` characters or ``lines`` lines
    with a note saying so and how to see it whole."""
    shown, cut = clip_text(text, limit, lines)
    if not shown:
        return Content(empty)
    content = Content(shown)
    if cut:
        content += Content.styled(f"  ({len(text or ''):,} characters · v shows it whole)", "dim italic")
    return content


def _values(pairs: Iterable[tuple[str, Any]]) -> list[ViewedValue]:
    return [ViewedValue(label, value_text(value)) for label, value in pairs if value not in (None, "")]


def workflow_values(workflow: WorkflowOverview) -> list[ViewedValue]:
    return _values(
        (
            ("Name", workflow.name),
            ("Description", workflow.description),
            ("ID", workflow.workflowId),
            ("Version", workflow.version),
            ("Availability", workflow.unavailable_reason),
            ("Last run", workflow.lastRunId),
        )
    )


def run_values(run: ProcessInstance) -> list[ViewedValue]:
    """A run's own fields, its error and its results."""
    pairs: list[tuple[str, Any]] = [
        ("Workflow", run.processName),
        ("Workflow ID", run.processId),
        ("ID", run.id),
        ("Entity", run.targetEntity),
        ("Run by", run.initiatorEntity),
        ("Version", run.version),
        ("Description", run.description),
    ]
    if run.error is not None:
        pairs.append(("Error", run.error.message))
        pairs.append(("Failed node", run.error.nodeDefinitionId))
    result = run.result
    if result is not None:
        pairs.append(("Result message", result.message))
        pairs.extend((f"Output: {output.key}", output.value) for output in result.outputs)
        pairs.extend((f"Next: {workflow.id}", workflow.name) for workflow in result.nextWorkflows)
    if run.executionSummary:
        pairs.append(("Execution summary", "\n".join(run.executionSummary)))
    return _values(pairs)


def node_values(node: NodeInstance) -> list[ViewedValue]:
    return _values(
        (
            ("Node", node.name),
            ("Node error", node.errorMessage),
            ("Node type", node.type),
            ("Node definition", node.definitionId),
            ("Node detail", node.detail),
        )
    )


def data_values(data: Mapping[str, Any] | None, prefix: str = "") -> list[ViewedValue]:
    """Every leaf of a JSON document under its dot path (lists by index), and the document whole."""
    leaves: list[tuple[str, Any]] = []

    def walk(value: Any, path: str) -> None:
        if isinstance(value, Mapping):
            for key, item in value.items():
                walk(item, f"{path}.{key}" if path else str(key))
        elif isinstance(value, list) and any(isinstance(item, (Mapping, list)) for item in value):
            for index, item in enumerate(value):
                walk(item, f"{path}[{index}]")
        else:
            leaves.append((f"{prefix}{path}", value))

    walk(data or {}, "")
    return _values(leaves)


def entity_values(entity: CatalogEntity) -> list[ViewedValue]:
    metadata = entity.metadata
    return _values(
        (
            ("Reference", entity.ref.target),
            ("Title", metadata.title),
            ("Description", metadata.description),
            ("Owner", entity.owner),
            ("Kind", entity.kind),
            ("Namespace", metadata.namespace),
            ("Name", metadata.name),
            ("Workflows annotation", entity.workflows_annotation),
        )
    )


def run_detail_values(
    run: ProcessInstance,
    tab: str,
    *,
    node: NodeInstance | None = None,
    inputs: Mapping[str, Any] | None = None,
    variable: str | None = None,
    log_lines: Sequence[str] = (),
) -> tuple[list[ViewedValue], int]:
    """What ``v`` shows on a run's tab, and which value first: the highlighted step, input or
    variable, the logs; on the overview the error, else the first value too long to show."""
    own = run_values(run)
    if tab == "progress" and node is not None:
        values = node_values(node) + own
        return values, start_at(values, "Node error", "Node")
    if tab == "inputs" and inputs:
        return data_values(inputs, "Input: ") + own, 0
    if tab == "variables":
        data = {key: value for key, value in (run.workflowdata or {}).items() if key != "result"}
        values = data_values(data, "Variable: ") + own
        path = variable or ""
        while path:
            index = start_at(values, f"Variable: {path}")
            if values[index].label == f"Variable: {path}":
                return values, index
            path = path[: max(path.rfind("."), path.rfind("["), 0)]
        return values, 0
    if tab == "logs" and log_lines:
        return [ViewedValue("Logs", "\n".join(log_lines)), *own], 0
    if run.error is not None and run.error.message:
        return own, start_at(own, "Error")
    return own, next((index for index, value in enumerate(own) if len(value.value) > 200), 0)


def start_at(values: Sequence[ViewedValue], *labels: str) -> int:
    """The index of the first value with one of ``labels`` (in that order of preference), else 0."""
    for label in labels:
        for index, value in enumerate(values):
            if value.label == label:
                return index
    return 0


def _location(text: str) -> tuple[int, int]:
    """Row and column just after ``text``, as a TextArea counts them."""
    row = text.count("\n")
    return row, len(text) - (text.rfind("\n") + 1)


class ValueViewer(ModalScreen[None]):
    """One or more values, one shown at a time; closed with Esc."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="value-viewer.close"),
        Binding("c", "copy", "Copy whole value", id="value-viewer.copy"),
        Binding("slash", "find", "Find", id="value-viewer.find"),
        Binding("n", "find_next", "Next match", id="value-viewer.find-next"),
        Binding("left_square_bracket", "part(-1)", "Previous part", id="value-viewer.previous-part"),
        Binding("right_square_bracket", "part(1)", "Next part", id="value-viewer.next-part"),
    ]

    def __init__(self, title: str, values: Sequence[ViewedValue], *, start: int = 0) -> None:
        super().__init__(classes="value-viewer")
        self.title_text = title
        self.values = list(values) or [ViewedValue("Value", "")]
        self.index = min(max(start, 0), len(self.values) - 1)
        self.part = 0
        self.needle = ""
        self._find_from = 0
        self._counts: dict[int, tuple[int, int]] = {}
        self._keys: tuple[bool, bool] | None = None

    @property
    def current(self) -> ViewedValue:
        return self.values[self.index]

    @property
    def parts(self) -> int:
        return max(1, -(-len(self.current.value) // PART))

    def compose(self) -> ComposeResult:
        with Vertical(id="value-viewer-box") as box:
            box.border_title = Content(single_line(self.title_text, 80))
            with Horizontal(id="value-viewer-main"):
                if len(self.values) > 1:
                    yield OptionList(id="value-viewer-fields")
                with Vertical(id="value-viewer-pane"):
                    yield Static(id="value-viewer-about")
                    yield TextArea(
                        "", read_only=True, soft_wrap=True, show_line_numbers=False, id="value-viewer-text"
                    )
                    yield Input(placeholder="find in the whole value · Enter: next match · Esc: done",
                                id="value-viewer-find", compact=True)
        yield OrchFooter()

    def on_mount(self) -> None:
        self.query_one("#value-viewer-find", Input).display = False
        self._show()
        if len(self.values) > 1:
            fields = self.query_one("#value-viewer-fields", OptionList)
            # Filled once mounted, so that the only highlight reported is the start value's.
            fields.add_options(
                Option(Content(single_line(value.label, 40) or "—"), id=str(index))
                for index, value in enumerate(self.values)
            )
            fields.highlighted = self.index
            fields.focus()
        else:
            self.query_one("#value-viewer-text", TextArea).focus()

    # -- showing -------------------------------------------------------------

    def _show(self, part: int = 0) -> None:
        value = self.current.value
        self.part = min(max(part, 0), self.parts - 1)
        start = self.part * PART
        chunk = value[start : start + PART]
        text_area = self.query_one("#value-viewer-text", TextArea)
        text_area.load_text(visible_text(chunk))
        text_area.scroll_home(animate=False)
        self._describe()
        self._keys_changed()

    def _keys_changed(self) -> None:
        keys = (self.parts > 1, bool(self.needle))
        if keys != self._keys:
            self._keys = keys
            self.refresh_bindings()

    def _describe(self) -> None:
        value = self.current.value
        length = len(value)
        about = Content(single_line(self.current.label, 40) or "Value").stylize("bold")
        about += Content(f" · {length:,} character{'' if length == 1 else 's'}")
        if self.index not in self._counts:
            self._counts[self.index] = (value.count("\n") + 1 if value else 0, hidden_count(value))
        lines, hidden = self._counts[self.index]
        if lines > 1:
            about += Content(f" · {lines:,} lines")
        if hidden:
            plural = "" if hidden == 1 else "s"
            about += Content(f" · {hidden:,} control or invisible character{plural} shown as ␛… or \\u…")
        if self.parts > 1:
            first = self.part * PART + 1
            last = min(length, first + PART - 1)
            if self.part == 0:
                part = f"showing the first {last:,} of {length:,} characters"
            else:
                part = f"showing characters {first:,}–{last:,} of {length:,}"
            about += Content("\n") + Content.styled(
                f"{part} (part {self.part + 1} of {self.parts}) · [ ] other parts · / finds in all · c copies all",
                "italic",
            )
        self.query_one("#value-viewer-about", Static).update(about)

    @on(OptionList.OptionHighlighted, "#value-viewer-fields")
    def _field_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index != self.index:
            self.index = event.option_index
            self._find_from = 0
            self._show()

    @on(OptionList.OptionSelected, "#value-viewer-fields")
    def _field_selected(self) -> None:
        self.query_one("#value-viewer-text", TextArea).focus()

    # -- actions -------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "part":
            return self.parts > 1
        if action == "find_next":
            return bool(self.needle)
        return True

    def action_close(self) -> None:
        find = self.query_one("#value-viewer-find", Input)
        if find.has_focus:
            find.display = False
            self.query_one("#value-viewer-text", TextArea).focus()
            return
        self.dismiss(None)

    def action_copy(self) -> None:
        value = self.current.value
        self.app.copy_to_clipboard(value)
        label = single_line(self.current.label, 40) or "value"
        self.notify(f"Copied {label}: {len(value):,} characters", title="Copied", markup=False)

    def action_part(self, step: int) -> None:
        if self.parts > 1:
            self._show(self.part + step)

    def action_find(self) -> None:
        find = self.query_one("#value-viewer-find", Input)
        find.display = True
        find.focus()

    @on(Input.Submitted, "#value-viewer-find")
    def _find_submitted(self, event: Input.Submitted) -> None:
        if event.value != self.needle:
            self.needle = event.value
            self._find_from = 0
        self.action_find_next()
        self._keys_changed()

    def action_find_next(self) -> None:
        if not self.needle:
            return
        value = self.current.value
        pattern = re.compile(re.escape(self.needle), re.IGNORECASE)
        found = pattern.search(value, self._find_from) or pattern.search(value)
        if found is None:
            self.notify(f"No match for {single_line(self.needle, 60)}", markup=False, severity="warning")
            return
        self._find_from = found.end() if found.end() > found.start() else found.start() + 1
        self._select(found.start(), found.end())

    def _select(self, start: int, end: int) -> None:
        """Show the part holding characters ``start``–``end`` of the value, and select them."""
        part = start // PART
        if part != self.part:
            self._show(part)
        base = part * PART
        chunk = self.current.value[base : base + PART]
        end = min(end, base + len(chunk))
        text_area = self.query_one("#value-viewer-text", TextArea)
        text_area.selection = Selection(
            _location(visible_text(chunk[: start - base])), _location(visible_text(chunk[: end - base]))
        )
        text_area.scroll_cursor_visible(center=True, animate=False)


def view_values(screen: Any, title: str, values: Sequence[ViewedValue], *, start: int = 0) -> None:
    """Open the viewer over ``screen`` (says so when there is nothing to show)."""
    if not values:
        screen.notify("Nothing to show here.", markup=False)
        return
    screen.app.push_screen(ValueViewer(title, values, start=start))


__all__ = [
    "CLIP_LIMIT",
    "PART",
    "ValueViewer",
    "ViewedValue",
    "clipped",
    "data_values",
    "entity_values",
    "node_values",
    "run_detail_values",
    "run_values",
    "start_at",
    "value_text",
    "view_values",
    "workflow_values",
]
