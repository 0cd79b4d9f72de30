"""One workflow: overview and statistics, its definition, its input schema.

The definition is an admin view (``orchestrator.workflowAdminView``): its tab is shown only when
the permissions allow it (or are unknown).
"""

from __future__ import annotations

import json
from typing import Any

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Label, LoadingIndicator, Static, TabbedContent, TabPane, TextArea
from textual.widgets.text_area import LanguageDoesNotExist
from textual.worker import Worker

from orch_tui.core.formatting import absolute_time, clean_text, duration, ratio, relative_time, single_line
from orch_tui.core.models import WorkflowOverview, WorkflowRunStats
from orch_tui.core.permissions import WORKFLOW_ADMIN_VIEW, PermissionSet
from orch_tui.core.status import availability_look
from orch_tui.ui.screens.base import OrchScreen
from orch_tui.ui.widgets.failure import ErrorPanel, Failure
from orch_tui.ui.widgets.footer import OrchFooter
from orch_tui.ui.widgets.header import AppHeader
from orch_tui.ui.widgets.value_viewer import clipped, start_at, view_values, workflow_values
from orch_tui.ui.widgets.workflow_table import last_status_look, run_state

FIELDS: tuple[tuple[str, str], ...] = (
    ("id", "ID"),
    ("description", "Description"),
    ("availability", "Availability"),
    ("run", "Run"),
    ("version", "Version"),
    ("format", "Format"),
    ("last-run", "Last run"),
    ("last-status", "Last status"),
    ("runs", "Runs last month"),
    ("success", "Success ratio"),
    ("counts", "Results"),
    ("average", "Avg. duration"),
)

SOURCE_LANGUAGES = {"yaml": "yaml", "yml": "yaml", "json": "json"}


def code_view(text: str, language: str | None, *, id: str) -> TextArea:
    """A read-only code view; plain text when no highlighter for ``language`` is installed."""
    options: dict[str, Any] = {"read_only": True, "show_line_numbers": True, "soft_wrap": False, "id": id}
    try:
        return TextArea(text, language=language, **options)
    except LanguageDoesNotExist:
        return TextArea(text, language=None, **options)


class WorkflowDetailScreen(OrchScreen[None]):
    """Details of one workflow; each tab loads in its own worker."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="detail.back"),
        Binding("backspace", "back", "Back", show=False, id="detail.back-alt"),
        Binding("r", "reload", "Reload", id="detail.reload"),
        Binding("x", "run", "Run", id="detail.run"),
        Binding("u", "runs", "Runs", id="detail.runs"),
        Binding("l", "last_run", "Last run", id="detail.last-run"),
        Binding("v", "view_value", "View whole value", show=False, id="detail.view-value"),
        Binding("1", "show_tab('overview')", "Overview", show=False, id="detail.tab-overview"),
        Binding("2", "show_tab('definition')", "Definition", show=False, id="detail.tab-definition"),
        Binding("3", "show_tab('schema')", "Input schema", show=False, id="detail.tab-schema"),
    ]

    def __init__(self, workflow_id: str, workflow: WorkflowOverview | None = None) -> None:
        super().__init__(classes="workflow-detail")
        self.workflow_id = workflow_id
        self.workflow = workflow
        self._requested: set[str] = set()

    def compose(self) -> ComposeResult:
        yield AppHeader()
        yield Static(id="detail-title")
        with TabbedContent(id="detail-tabs", initial="overview"):
            with TabPane("Overview", id="overview"):
                with VerticalScroll(id="overview-body"):
                    yield Vertical(id="overview-error")
                    with Grid(id="overview-fields"):
                        for key, label in FIELDS:
                            yield Label(Content(label), classes="field-label")
                            yield Static(id=f"field-{key}", classes="field-value")
            with TabPane("Definition", id="definition"):
                yield Vertical(LoadingIndicator(), id="definition-body", classes="tab-body")
            with TabPane("Input schema", id="schema"):
                yield Vertical(LoadingIndicator(), id="schema-body", classes="tab-body")
        yield OrchFooter()

    def on_mount(self) -> None:
        self._show_overview()
        self._apply_permissions(self.orch_app.permissions)
        self.orch_app.permissions_changed.subscribe(self, self._apply_permissions)
        self._load_overview()

    def _apply_permissions(self, permissions: PermissionSet) -> None:
        """Admin-only parts only for admins; the Run field and key follow what the user may do."""
        tabs = self.query_one("#detail-tabs", TabbedContent)
        if permissions.allows(WORKFLOW_ADMIN_VIEW):
            tabs.show_tab("definition")
        else:
            if tabs.active == "definition":
                tabs.active = "overview"
            tabs.hide_tab("definition")
        self._show_overview()

    # -- overview ----------------------------------------------------------

    @work(exclusive=True, group="detail-overview", exit_on_error=False, description="Fetching workflow")
    async def _load_overview(self) -> None:
        workflow = await self.orch_app.backend.get_workflow(self.workflow_id)
        self.workflow = workflow
        self.orch_app.link_succeeded()
        await self.query_one("#overview-error").remove_children()
        self._show_overview()

    def _show_overview(self) -> None:
        workflow = self.workflow
        title = self.query_one("#detail-title", Static)
        if workflow is None:
            title.update(Content.assemble(("Workflows › ", "dim"), single_line(self.workflow_id)))
            self.query_one("#overview-fields").display = False
            return
        self.query_one("#overview-fields").display = True
        title.update(Content.assemble(("Workflows › ", "dim"), single_line(workflow.display_name)))
        now = self.orch_app.clock()

        available = availability_look(workflow.available)
        availability = Content(available.label())
        if workflow.unavailable_reason:
            availability += Content(" — ") + Content(single_line(workflow.unavailable_reason))
        self._field("availability", availability, available.style_class)

        can_run, why = run_state(workflow, self.orch_app.read_only, self.orch_app.run_denied(workflow.key))
        if can_run:
            self._field("run", Content("available"), "run-available")
        else:
            self._field("run", Content("unavailable — ") + Content(single_line(why)), "run-unavailable")

        self.refresh_bindings()

        self._field("id", Content(single_line(workflow.workflowId)))
        self._field("description", clipped(workflow.description))
        self._field("version", Content(single_line(workflow.version) or "—"))
        self._field("format", Content(single_line(workflow.format) or "—"))

        when = workflow.last_triggered
        if when is None:
            self._field("last-run", Content("never"))
        else:
            self._field("last-run", Content(f"{relative_time(when, now)} · {absolute_time(when)}"))
        status = last_status_look(workflow)
        status_text = Content(status.label())
        if when is not None and workflow.lastRunId:
            status_text += Content.assemble(("  run ", "dim"), single_line(workflow.lastRunId))
        self._field("last-status", status_text, status.style_class)

        stats = workflow.workflowRunStats
        runs = stats.runsLastMonth if stats else None
        self._field("runs", Content("—" if runs is None else str(runs)))
        self._field("success", Content(ratio(stats.successRatio if stats else None)))
        self._field("counts", Content(_results(stats)))
        self._field("average", Content(duration(self._average_seconds(stats.averageTimeToComplete if stats else None))))

    @staticmethod
    def _average_seconds(value: float | None) -> float | None:
        # The API reports the average time to complete in milliseconds.
        return None if value is None else value / 1000

    def _field(self, key: str, value: Content, css_class: str | None = None) -> None:
        field = self.query_one(f"#field-{key}", Static)
        field.update(value)
        field.set_classes(f"field-value {css_class}" if css_class else "field-value")

    # -- definition and schema --------------------------------------------

    @on(TabbedContent.TabActivated, "#detail-tabs")
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self._load_tab(event.pane.id or "")

    def _load_tab(self, tab: str, *, force: bool = False) -> None:
        if tab not in ("definition", "schema") or (tab in self._requested and not force):
            return
        self._requested.add(tab)
        if tab == "definition":
            self._load_source()
        else:
            self._load_schema()

    @work(exclusive=True, group="detail-source", exit_on_error=False, description="Fetching definition")
    async def _load_source(self) -> None:
        await self._show_in("definition-body", LoadingIndicator())
        source = await self.orch_app.backend.get_source(self.workflow_id)
        fmt = (self.workflow.format if self.workflow else None) or _guess_format(source)
        language = SOURCE_LANGUAGES.get(fmt.lower())
        await self._show_in("definition-body", code_view(clean_text(source), language, id="definition-source"))

    @work(exclusive=True, group="detail-schema", exit_on_error=False, description="Fetching input schema")
    async def _load_schema(self) -> None:
        await self._show_in("schema-body", LoadingIndicator())
        response = await self.orch_app.backend.get_input_schema(self.workflow_id)
        if not response.inputSchema:
            note = Static(Content("This workflow has no input schema."), id="schema-none", classes="note")
            await self._show_in("schema-body", note)
            return
        text = json.dumps(response.inputSchema, indent=2, ensure_ascii=False)
        await self._show_in("schema-body", code_view(clean_text(text), "json", id="schema-source"))

    async def _show_in(self, body_id: str, widget: Widget) -> None:
        body = self.query_one(f"#{body_id}")
        await body.remove_children()
        await body.mount(widget)

    def handle_failure(self, worker: Worker[Any], failure: Failure) -> bool:
        """Show a failed load in place of what it was loading."""
        if worker.group == "detail-overview":
            target = "overview-error"
        elif worker.group == "detail-source":
            target = "definition-body"
        elif worker.group == "detail-schema":
            target = "schema-body"
        else:
            return False
        self.run_worker(self._show_in(target, ErrorPanel(failure, classes="error-panel")), exit_on_error=False)
        return True

    # -- actions -----------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss()

    def _run_blocked(self) -> str | None:
        """Why this workflow cannot be run from here, or None when it can."""
        denied = self.orch_app.run_denied(self.workflow_id)
        if self.workflow is None:
            return "read-only context" if self.orch_app.read_only else denied
        can_run, why = run_state(self.workflow, self.orch_app.read_only, denied)
        return None if can_run else why

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "run" and self.orch_app.read_only:
            return False
        if action == "run" and self._run_blocked() is not None:
            return None
        if action == "show_tab" and parameters == ("definition",):
            return self.orch_app.permissions.allows(WORKFLOW_ADMIN_VIEW) or False
        return True

    def on_key(self, event: events.Key) -> None:
        # A greyed-out binding never reaches its action: say why instead of doing nothing.
        if event.key == "x" and (why := self._run_blocked()) is not None:
            event.stop()
            self.notify(f"Cannot run: {why}", markup=False, severity="warning")

    def action_run(self) -> None:
        self.orch_app.open_execute(self.workflow_id)

    def action_runs(self) -> None:
        self.orch_app.open_runs(self.workflow_id)

    def action_last_run(self) -> None:
        workflow = self.workflow
        if workflow is None or workflow.last_triggered is None or not workflow.lastRunId:
            self.notify("This workflow has not run yet.", markup=False)
            return
        self.orch_app.open_run(workflow.lastRunId)

    def action_view_value(self) -> None:
        workflow = self.workflow
        if workflow is None:
            self.notify("The workflow has not loaded yet.", markup=False)
            return
        values = workflow_values(workflow)
        view_values(self, f"Workflow {workflow.workflowId}", values, start=start_at(values, "Description"))

    def action_reload(self) -> None:
        self._load_overview()
        self.orch_app.refresh_engine()
        for tab in list(self._requested):
            self._load_tab(tab, force=True)

    def action_show_tab(self, tab: str) -> None:
        if tab == "definition" and not self.orch_app.permissions.allows(WORKFLOW_ADMIN_VIEW):
            return
        self.query_one("#detail-tabs", TabbedContent).active = tab


def _results(stats: WorkflowRunStats | None) -> str:
    if stats is None or stats.totalCount is None:
        return "—"

    def count(value: int | None) -> str:
        return "—" if value is None else str(value)

    return f"{count(stats.successCount)} succeeded · {count(stats.errorCount)} failed · {stats.totalCount} total"


def _guess_format(source: str) -> str:
    return "json" if source.lstrip().startswith(("{", "[")) else "yaml"
