"""One run: details and results, node progress, inputs, variables, logs; abort, run again, retrigger.

The run is polled while it is going (ACTIVE, PENDING, or a state the console does not know) and
no longer once it has settled.  Abort, run again and retrigger are greyed with the reason when the
permissions deny running the workflow, and not offered at all in a read-only context; the
Variables tab is an admin view (``orchestrator.workflowAdminView`` or ``instanceAdminView``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Grid, Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import DataTable, Label, LoadingIndicator, Log, Static, TabbedContent, TabPane
from textual.worker import Worker

from orch_tui.core.auth import missing_tokens_message, tokens_for, workflow_sign_ins
from orch_tui.core.backend import CAN_DELETE, CAN_RESUME
from orch_tui.core.entity import EntityRef, EntityRefError, parse_entity_ref
from orch_tui.core.errors import NotFound, PermissionDenied, ServerError, Unauthorized
from orch_tui.core import live
from orch_tui.core.live import Invalidation
from orch_tui.core.formatting import absolute_time, clean_text, duration, relative_time, single_line
from orch_tui.core.models import AuthToken, InputSchemaResponse, ProcessInstance, RunStatus
from orch_tui.core.permissions import INSTANCE_ADMIN_VIEW, WORKFLOW_ADMIN_VIEW, PermissionSet
from orch_tui.core.status import status_look
from orch_tui.ui.commands import PaletteCommand, command
from orch_tui.ui.screens.base import OrchScreen
from orch_tui.ui.widgets.confirm import ConfirmDialog
from orch_tui.ui.widgets.failure import ErrorPanel, Failure
from orch_tui.ui.widgets.footer import OrchFooter
from orch_tui.ui.widgets.header import AppHeader
from orch_tui.ui.widgets.poller import Poller
from orch_tui.ui.widgets.run_data import InputTable, VariablesTree, input_rows
from orch_tui.ui.widgets.run_progress import NodeTable, node_detail
from orch_tui.ui.widgets.run_results import NextWorkflowTable, RunResults
from orch_tui.ui.widgets.run_table import short_id
from orch_tui.ui.widgets.updates import update_static
from orch_tui.ui.widgets.value_viewer import clipped, run_detail_values, view_values

POLLED_STATES = frozenset({RunStatus.ACTIVE, RunStatus.PENDING, RunStatus.UNKNOWN})
"""States in which a run still changes by itself."""

ABORTABLE = frozenset({RunStatus.ACTIVE, RunStatus.ERROR})
RERUNNABLE = frozenset({RunStatus.COMPLETED, RunStatus.ABORTED, RunStatus.ERROR})

FIELDS: tuple[tuple[str, str], ...] = (
    ("id", "ID"),
    ("workflow", "Workflow"),
    ("status", "Status"),
    ("started", "Started"),
    ("ended", "Ended"),
    ("duration", "Duration"),
    ("run-by", "Run by"),
    ("entity", "Entity"),
    ("version", "Version"),
    ("description", "Description"),
)

TABS = ("overview", "progress", "inputs", "variables", "logs")
WIDE = 110
"""From this width on, details and results sit side by side."""

READ_ONLY = "read-only context"
GO_ENTITY_PREFIX = "Cannot open the entity"
NO_LOG_PROVIDER = "No log provider"
FAILED_AGAIN = "Failed Node ID"


def failed_again_message(message: str) -> str:
    """The backend's own words from a retrigger that failed at a node again."""
    for line in message.splitlines():
        if line.startswith("Message:"):
            return line.removeprefix("Message:").strip()
    return message.strip().splitlines()[0] if message.strip() else "The run failed again."


class RunDetailScreen(OrchScreen[None]):
    """A run, refreshed while it is going."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="run.back"),
        Binding("backspace", "back", "Back", show=False, id="run.back-alt"),
        Binding("r", "refresh", "Refresh", id="run.refresh"),
        Binding("a", "abort", "Abort", id="run.abort"),
        Binding("x", "run_again", "Run again", id="run.run-again"),
        Binding("t", "retrigger", "Retrigger", id="run.retrigger"),
        Binding("u", "resume", "Resume", id="run.resume"),
        Binding("delete", "delete_run", "Delete", id="run.delete"),
        Binding("g", "go_entity", "Entity", show=False, id="run.go-entity"),
        Binding("d", "entity_detail", "Entity details", show=False, id="run.entity-detail"),
        Binding("c", "copy_id", "Copy id", show=False, id="run.copy-id"),
        Binding("v", "view_value", "View whole value", show=False, id="run.view-value"),
        Binding("1", "show_tab('overview')", "Overview", show=False, id="run.tab-overview"),
        Binding("2", "show_tab('progress')", "Progress", show=False, id="run.tab-progress"),
        Binding("3", "show_tab('inputs')", "Inputs", show=False, id="run.tab-inputs"),
        Binding("4", "show_tab('variables')", "Variables", show=False, id="run.tab-variables"),
        Binding("5", "show_tab('logs')", "Logs", show=False, id="run.tab-logs"),
    ]

    BLOCKED_PREFIX = {
        "abort": "Cannot abort",
        "run_again": "Cannot run again",
        "retrigger": "Cannot retrigger",
        "resume": "Cannot resume",
        "delete_run": "Cannot delete",
    }
    CAPABILITY_ACTIONS = {
        "resume": (CAN_RESUME, "this orchestrator has no runs that await input"),
        "delete_run": (CAN_DELETE, "this orchestrator does not delete runs"),
    }
    """Actions only some backends offer: hidden unless the backend has the capability."""

    def __init__(self, run_id: str) -> None:
        super().__init__(classes="run-detail")
        self.run_id = run_id
        self.run: ProcessInstance | None = None
        self.inputs: InputSchemaResponse | None = None
        self.stale = False
        self.unavailable = False
        """The run cannot be shown (not found, not permitted): no tabs, no actions."""
        self._inputs_failure: Failure | None = None
        self._logs_requested = False
        self._log_keys: list[str] = []
        self._binding_state: tuple[str | None, ...] = ()
        self.poller = Poller(self, self._fetch, self.orch_app.poll_interval)

    # -- layout --------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield AppHeader()
        with Horizontal(id="run-title-bar"):
            yield Static(id="run-title")
            yield Label(id="run-title-status")
        yield Vertical(id="run-problem")
        with TabbedContent(id="run-tabs", initial="overview"):
            with TabPane("Overview", id="overview"):
                with VerticalScroll(id="overview-scroll"):
                    with Container(id="overview-columns"):
                        with Vertical(id="run-details", classes="run-card") as details:
                            details.border_title = Content("Details")
                            with Grid(id="run-fields"):
                                for key, label in FIELDS:
                                    yield Label(Content(label), classes="field-label")
                                    yield Static(id=f"run-field-{key}", classes="field-value")
                        with Vertical(id="run-results-card", classes="run-card") as results:
                            results.border_title = Content("Results")
                            yield RunResults(id="run-results")
            with TabPane("Progress", id="progress"):
                yield NodeTable(id="node-table")
                yield Static(id="node-detail")
                yield Static(id="execution-summary")
            with TabPane("Inputs", id="inputs"):
                yield VerticalScroll(LoadingIndicator(), id="inputs-body")
            with TabPane("Variables", id="variables"):
                yield VariablesTree(id="variables-tree")
            with TabPane("Logs", id="logs"):
                with Vertical(id="logs-body"):
                    yield Vertical(id="logs-error")
                    yield Static(id="logs-note", classes="note")
                    yield Log(id="run-log", highlight=False)
        yield OrchFooter()

    def on_mount(self) -> None:
        self._arrange(self.app.size.width)
        self.query_one("#logs-note", Static).display = False
        self.query_one("#node-detail", Static).display = False
        self.query_one("#overview-scroll").loading = True
        self._show_title()
        self._apply_permissions(self.orch_app.permissions)
        self.orch_app.permissions_changed.subscribe(self, self._apply_permissions)
        self.poller.fetch_now()

    @property
    def may_see_variables(self) -> bool:
        permissions = self.orch_app.permissions
        return permissions.allows(WORKFLOW_ADMIN_VIEW) or permissions.allows(INSTANCE_ADMIN_VIEW)

    def _apply_permissions(self, permissions: PermissionSet) -> None:
        tabs = self.query_one("#run-tabs", TabbedContent)
        if self.may_see_variables:
            tabs.show_tab("variables")
        else:
            if tabs.active == "variables":
                tabs.active = "overview"
            tabs.hide_tab("variables")
        self._binding_state = ()
        self._bindings_changed()

    def on_resize(self, event: events.Resize) -> None:
        self._arrange(event.size.width)

    def _arrange(self, width: int) -> None:
        """Side by side when wide (details first); stacked when narrow, results first."""
        wide = width >= WIDE
        self.set_class(wide, "-wide")
        columns = self.query_one("#overview-columns")
        details = self.query_one("#run-details")
        results = self.query_one("#run-results-card")
        details_first = columns.children.index(details) < columns.children.index(results)
        if wide and not details_first:
            columns.move_child(details, before=results)
        elif not wide and details_first:
            columns.move_child(results, before=details)

    # -- polling -----------------------------------------------------------

    def refresh_now(self) -> None:
        self.poller.start()
        self.poller.fetch_now()

    def live_invalidated(self, events: frozenset[Invalidation]) -> None:
        """This run changed (or every run may have): fetch it again, even when it had ended (it
        may have been retried or resumed elsewhere)."""
        if any(event.affects(live.RUNS, self.run_id) for event in events):
            self.poller.poke()

    def on_screen_suspend(self) -> None:
        self.poller.suspend()

    def on_screen_resume(self) -> None:
        self.poller.resume()

    @work(exclusive=True, group="run", exit_on_error=False, description="Fetching run")
    async def _fetch(self) -> None:
        app = self.orch_app
        run = await app.backend.get_run(self.run_id)
        app.link_succeeded()
        first = self.run is None
        self.run = run
        self.stale = False
        await self._show(run)
        if first:
            self._load_inputs()
            if run.processId:
                app.ensure_permissions([run.processId])
        if self._logs_requested and (first or self._active_tab() == "logs"):
            self._load_logs()
        if run.status in POLLED_STATES:
            self.poller.start()
            self.poller.schedule()
        else:
            self.poller.stop()
        self._bindings_changed()

    def _bindings_changed(self) -> None:
        """Grey or ungrey the actions, when what they depend on has changed."""
        state = tuple(self.blocked(action) for action in self.BLOCKED_PREFIX)
        if state != self._binding_state:
            self._binding_state = state
            self.refresh_bindings()

    def handle_failure(self, worker: Worker[Any], failure: Failure) -> bool:
        group = worker.group
        if group == "run":
            return self._run_failed(worker, failure)
        if group == "run-inputs":
            self._inputs_failure = failure
            self._bindings_changed()
            self._replace("inputs-body", ErrorPanel(failure, classes="error-panel"))
            return True
        if group == "run-logs":
            self._replace("logs-error", ErrorPanel(failure, classes="error-panel"))
            return True
        if group == "run-action":
            # The backend may have changed the run even so: show what it is now.
            self.refresh_now()
        return False

    def _run_failed(self, worker: Worker[Any], failure: Failure) -> bool:
        if self.run is None and isinstance(worker.error, (NotFound, PermissionDenied, Unauthorized)):
            # Nothing to show and nothing a retry will fix: the panel is the page.
            self.poller.stop()
            self.unavailable = True
            self.query_one("#overview-scroll").loading = False
            self.query_one("#run-tabs").display = False
            self._replace("run-problem", ErrorPanel(failure, classes="error-panel"))
            self.refresh_bindings()
            return True
        delay = self.orch_app.link_failed(failure)
        self.stale = True
        self.query_one("#run-tabs").set_class(self.run is not None, "-stale")
        if self.run is None:
            self.query_one("#overview-scroll").loading = False
            self._replace("run-problem", ErrorPanel(failure, classes="error-panel"))
        self._show_title()
        self.poller.start()
        self.poller.schedule(delay)
        return True

    def _replace(self, container_id: str, widget: Widget) -> None:
        async def swap() -> None:
            container = self.query_one(f"#{container_id}")
            await container.remove_children()
            await container.mount(widget)

        self.run_worker(swap(), exit_on_error=False, group="run-ui")

    # -- rendering ---------------------------------------------------------

    async def _show(self, run: ProcessInstance) -> None:
        now = self.orch_app.clock()
        problem = self.query_one("#run-problem")
        if problem.children:
            await problem.remove_children()
        if self.unavailable:
            self.unavailable = False
            self.query_one("#run-tabs").display = True
            self.refresh_bindings()
        self.query_one("#run-tabs").set_class(False, "-stale")
        self.query_one("#overview-scroll").loading = False
        self._show_title()
        self._show_fields(run, now)
        await self.query_one("#run-results", RunResults).show(run, now)
        self.query_one("#node-table", NodeTable).show(run, now)
        self._show_node_detail()
        summary = [clean_text(line).strip() for line in run.executionSummary if line.strip()]
        self.query_one("#execution-summary", Static).update(
            Content("\n").join(Content(line) for line in summary) if summary else Content("No execution summary.")
        )
        self.query_one("#variables-tree", VariablesTree).show(run.workflowdata)

    @on(DataTable.RowHighlighted, "#node-table")
    def _node_highlighted(self) -> None:
        self._show_node_detail()

    def _show_node_detail(self) -> None:
        """Below the steps: what the highlighted step recorded, when the backend keeps that."""
        panel = self.query_one("#node-detail", Static)
        table = self.query_one("#node-table", NodeTable)
        run = self.run
        text = None
        if run is not None and table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            node = next((node for node in run.nodes if node.id == key), None)
            text = node_detail(node, run) if node is not None else None
        panel.display = text is not None
        if text is not None:
            panel.update(text)

    def _show_title(self) -> None:
        run = self.run
        title = Content.styled("Runs › ", "dim")
        if run is not None and run.workflow_label:
            title += Content(single_line(run.workflow_label, 60)) + Content.styled(" › ", "dim")
        title += Content(short_id(self.run_id))
        self.query_one("#run-title", Static).update(title)
        status = self.query_one("#run-title-status", Label)
        if run is None:
            status.update(Content("▲ STALE" if self.stale else ""))
            status.set_classes("status-error" if self.stale else "")
            return
        look = status_look(run.status)
        text = Content(look.label())
        if run.status in POLLED_STATES and not self.stale:
            text += Content.styled(" · live", "dim")
        if self.stale:
            text += Content(" · ▲ STALE")
        status.update(text)
        status.set_classes(look.style_class)

    def _show_fields(self, run: ProcessInstance, now: Any) -> None:
        look = status_look(run.status)
        workflow = Content(single_line(run.processName or run.processId or "—"))
        if run.processName and run.processId:
            workflow += Content.styled(f" ({single_line(run.processId)})", "dim")
        self._field("id", Content(single_line(run.id)))
        self._field("workflow", workflow)
        self._field("status", Content(look.label()), look.style_class)
        started = Content("—")
        if run.start is not None:
            started = Content(f"{absolute_time(run.start)} · {relative_time(run.start, now)}")
        self._field("started", started)
        if run.end is not None:
            ended = Content(f"{absolute_time(run.end)} · {relative_time(run.end, now)}")
        else:
            ended = Content("— (still going)" if run.status in POLLED_STATES else "—")
        self._field("ended", ended)
        elapsed = duration(run.elapsed_seconds(now))
        if run.end is None and run.status in POLLED_STATES and run.start is not None:
            elapsed += " so far"
        elif run.end is None:
            elapsed = "—"
        self._field("duration", Content(elapsed))
        self._field("run-by", Content(single_line(run.initiatorEntity) or "—"))
        # The entity is a link: g (or a click) scopes the console to it.
        self._field("entity", Content(single_line(run.targetEntity) or "—"), "entity-link" if run.targetEntity else None)
        self._field("version", Content(single_line(run.version) or "—"))
        self._field("description", clipped(run.description))

    def _field(self, key: str, value: Content, css_class: str | None = None) -> None:
        field = self.query_one(f"#run-field-{key}", Static)
        update_static(field, value)
        field.set_classes(f"field-value {css_class}" if css_class else "field-value")

    # -- inputs and logs ---------------------------------------------------

    @work(exclusive=True, group="run-inputs", exit_on_error=False, description="Fetching run inputs")
    async def _load_inputs(self) -> None:
        run = self.run
        body = self.query_one("#inputs-body")
        if run is None or not run.processId:
            await body.remove_children()
            await body.mount(Static(Content("The run does not name its workflow."), classes="note"))
            return
        response = await self.orch_app.backend.get_input_schema(run.processId, instance_id=run.id)
        self.inputs = response
        self._inputs_failure = None
        await body.remove_children()
        if not response.inputSchema:
            await body.mount(Static(Content("This workflow has no input schema."), id="inputs-none", classes="note"))
        else:
            rows = input_rows(response.inputSchema, response.data)
            if rows:
                await body.mount(InputTable(rows, id="inputs-table"))
            else:
                await body.mount(Static(Content("The run had no inputs."), id="inputs-none", classes="note"))
        self._bindings_changed()

    @work(exclusive=True, group="run-logs", exit_on_error=False, description="Fetching run logs")
    async def _load_logs(self) -> None:
        note = self.query_one("#logs-note", Static)
        log_view = self.query_one("#run-log", Log)
        try:
            logs = await self.orch_app.backend.get_logs(self.run_id)
        except ServerError as exc:
            if NO_LOG_PROVIDER.casefold() not in exc.message.casefold():
                raise
            await self.query_one("#logs-error").remove_children()
            note.update(
                Content(
                    "Logs are not available: this backend has no log provider configured "
                    "(orchestrator.workflowLogProvider)."
                )
            )
            note.display = True
            log_view.display = False
            return
        await self.query_one("#logs-error").remove_children()
        keys = [line.id or f"#{index}" for index, line in enumerate(logs.logs)]
        if keys[: len(self._log_keys)] != self._log_keys:
            log_view.clear()
            self._log_keys = []
        new = logs.logs[len(self._log_keys) :]
        if new:
            log_view.write_lines([clean_text(line.log).rstrip("\n") for line in new])
        self._log_keys = keys
        log_view.display = True
        if not keys:
            note.update(Content("No log lines for this run yet."))
        note.display = not keys

    def _active_tab(self) -> str:
        return self.query_one("#run-tabs", TabbedContent).active

    @on(TabbedContent.TabActivated, "#run-tabs")
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "logs" and not self._logs_requested:
            self._logs_requested = True
            self._load_logs()

    # -- actions -----------------------------------------------------------

    def blocked(self, action: str) -> str | None:
        """Why an action cannot be taken on this run now, or None when it can."""
        run = self.run
        if action in self.CAPABILITY_ACTIONS:
            capability, missing = self.CAPABILITY_ACTIONS[action]
            if capability not in self._capabilities:
                return missing
        if run is None:
            return "the run has not loaded yet"
        read_only = self.orch_app.read_only
        word = status_look(run.status).word.lower()
        denied = self.orch_app.run_denied(run.processId)
        if action == "abort":
            if read_only:
                return READ_ONLY
            if denied:
                return denied
            if run.status not in ABORTABLE:
                return f"only running or failed runs can be aborted; this run is {word}"
        elif action == "run_again":
            if read_only:
                return f"{READ_ONLY}: runs cannot be started"
            if not run.processId:
                return "the run does not name its workflow"
            if denied:
                return denied
            if run.status not in RERUNNABLE:
                return f"this run is {word}; it can be run again once it has finished"
        elif action == "retrigger":
            if read_only:
                return READ_ONLY
            if denied:
                return denied
            if run.status is not RunStatus.ERROR:
                return f"only failed runs can be retriggered; this run is {word}"
            if not run.processId:
                return "the run does not name its workflow"
            if self._inputs_failure is not None:
                return f"the input schema could not be loaded ({self._inputs_failure.summary})"
            if self.inputs is None:
                return "the input schema is still loading"
            if not self.inputs.inputSchema:
                return "the workflow has no input schema"
        elif action == "resume":
            if read_only:
                return READ_ONLY
            if denied:
                return denied
            if run.status is not RunStatus.SUSPENDED:
                return f"only a suspended run awaits input; this run is {word}"
            if not run.processId:
                return "the run does not name its workflow"
        elif action == "delete_run":
            if read_only:
                return READ_ONLY
            if run.status in POLLED_STATES:
                return f"this run is {word}; it can be deleted once it has stopped"
            if run.delete_refusal:
                return run.delete_refusal
        elif action in ("go_entity", "entity_detail"):
            if not run.targetEntity:
                return "the run has no target entity"
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.unavailable and (
            action in self.BLOCKED_PREFIX or action in ("go_entity", "entity_detail", "show_tab", "copy_id")
        ):
            return False
        if action in self.CAPABILITY_ACTIONS and self.CAPABILITY_ACTIONS[action][0] not in self._capabilities:
            return False  # this backend has no such action: not offered
        if action in self.BLOCKED_PREFIX:
            if self.orch_app.read_only:
                return False  # not offered at all; pressing the key still says why
            return None if self.blocked(action) is not None else True
        if action in ("go_entity", "entity_detail"):
            return None if self.blocked(action) is not None else True
        if action == "show_tab" and parameters == ("variables",):
            return self.may_see_variables or False
        return True

    def on_key(self, event: events.Key) -> None:
        # A greyed-out (or, read-only, hidden) binding never reaches its action: say why instead.
        if self.unavailable:
            return  # the panel on screen says it all
        for binding in self._bindings.key_to_bindings.get(event.key, []):
            entity_action = binding.action in ("go_entity", "entity_detail")
            prefix = self.BLOCKED_PREFIX.get(binding.action, GO_ENTITY_PREFIX if entity_action else "")
            if not prefix:
                continue
            if self.check_action(binding.action, ()) is not True and (why := self.blocked(binding.action)):
                event.stop()
                self.notify(f"{prefix}: {why}", markup=False, severity="warning")
            return

    def palette_commands(self) -> Iterator[PaletteCommand]:
        """This run's actions, the ones that can be taken now (never any in a read-only context)."""
        offered = (
            ("abort", "Abort this run", self.action_abort),
            ("run_again", "Run this workflow again (form prefilled from this run)", self.action_run_again),
            ("retrigger", "Retrigger this run from its failed node", self.action_retrigger),
            ("resume", "Resume this run: fill in the input it awaits", self.action_resume),
            ("delete_run", "Delete this run", self.action_delete_run),
            ("go_entity", "Scope to this run's entity", self.action_go_entity),
            ("entity_detail", "Details of this run's entity", self.action_entity_detail),
        )
        for action, text, callback in offered:
            if self.check_action(action, ()) is True:
                yield command(text, callback)

    def action_back(self) -> None:
        self.dismiss()

    @on(events.Click, "#run-field-entity")
    def _entity_clicked(self) -> None:
        if self.blocked("go_entity") is None:
            self.action_go_entity()

    def _target_entity(self) -> EntityRef | None:
        """The run's target entity, or None (said why when its reference cannot be read)."""
        run = self.run
        if run is None or not run.targetEntity:
            return None
        try:
            return parse_entity_ref(run.targetEntity)
        except EntityRefError as exc:
            self.notify(f"{GO_ENTITY_PREFIX}: {exc}", markup=False, severity="warning")
            return None

    def action_go_entity(self) -> None:
        """The run's entity becomes the console's scope: its workflows, its runs."""
        ref = self._target_entity()
        if ref is not None:
            self.orch_app.set_scope(ref)

    def action_entity_detail(self) -> None:
        """The run's entity's detail screen (its facts, parts, workflows and runs)."""
        from orch_tui.ui.screens.entity_detail import open_entity_detail

        ref = self._target_entity()
        if ref is not None:
            open_entity_detail(self.orch_app, ref)

    def action_refresh(self) -> None:
        self.refresh_now()
        self.orch_app.refresh_engine()
        if self.run is not None and (self.inputs is None or self._inputs_failure is not None):
            self._load_inputs()
        if self._logs_requested and self._active_tab() != "logs":
            self._load_logs()

    def action_show_tab(self, tab: str) -> None:
        if tab in TABS:
            self.query_one("#run-tabs", TabbedContent).active = tab

    def action_copy_id(self) -> None:
        self.app.copy_to_clipboard(self.run_id)
        self.notify(f"Copied run id {self.run_id}", markup=False)

    def action_view_value(self) -> None:
        run = self.run
        if run is None:
            self.notify("The run has not loaded yet.", markup=False)
            return
        table = self.query_one("#node-table", NodeTable)
        node = None
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            node = next((node for node in run.nodes if node.id == key), None)
        variable = self.query_one("#variables-tree", VariablesTree).cursor_node
        values, start = run_detail_values(
            run,
            self._active_tab(),
            node=node,
            inputs=self.inputs.data if self.inputs is not None else None,
            variable=variable.data if variable is not None else None,
            log_lines=self.query_one("#run-log", Log).lines,
        )
        view_values(self, f"Run {run.id}", values, start=start)

    def action_abort(self) -> None:
        run = self.run
        if run is None:
            return
        self._confirm(run, "Abort", "The run stops where it is and cannot be resumed.", self._abort)

    def _confirm(self, run: ProcessInstance, verb: str, consequence: str, then: Callable[[], object]) -> None:
        """Ask before ``verb``-ing the run (naming it and what follows); ``then`` runs on yes."""
        message = Content.assemble(
            f"{verb} ",
            (single_line(run.workflow_label, 60) or "this run", "bold"),
            " · run ",
            (short_id(run.id), "bold"),
            f"?\n\n{consequence}",
        )

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                then()

        dialog = ConfirmDialog(Content(f"{verb} run?"), message, confirm=f"{verb} run")
        self.app.push_screen(dialog, answered)

    @work(exclusive=True, group="run-action", exit_on_error=False, description="Aborting run")
    async def _abort(self) -> None:
        message = await self.orch_app.backend.abort(self.run_id)
        # The backend's own words in full: they may warn that a running step can still finish.
        self.notify(single_line(message, 600) or "Run aborted.", title="Aborted", markup=False, timeout=12)
        self.refresh_now()

    @property
    def _capabilities(self) -> frozenset[str]:
        backend = self.orch_app.backend
        return backend.info.capabilities if backend is not None else frozenset()

    def action_resume(self) -> None:
        """The form the suspended run awaits, in the run form; the run is fetched again after."""
        run = self.run
        if run is None or not run.processId or self.blocked("resume") is not None:
            return
        from orch_tui.ui.screens.execute import ExecuteScreen

        self.app.push_screen(
            ExecuteScreen(run.processId, resume_run_id=run.id), lambda _result: self.refresh_now()
        )

    def action_delete_run(self) -> None:
        run = self.run
        if run is None or self.blocked("delete_run") is not None:
            return
        self._confirm(run, "Delete", "The run and its history are removed from the orchestrator.", self._delete)

    @work(exclusive=True, group="run-action", exit_on_error=False, description="Deleting run")
    async def _delete(self) -> None:
        await self.orch_app.backend.delete_run(self.run_id)
        self.notify(f"Run {short_id(self.run_id)} deleted.", title="Deleted", markup=False)
        self.poller.stop()
        if self.is_current:
            self.dismiss()

    def action_run_again(self) -> None:
        self._run_again()

    @work(exclusive=True, group="run-action", exit_on_error=False, description="Preparing run again")
    async def _run_again(self) -> None:
        run = self.run
        if run is None or not run.processId:
            return
        inputs = self.inputs
        if inputs is None:
            inputs = await self.orch_app.backend.get_input_schema(run.processId, instance_id=run.id)
        self.orch_app.open_execute(
            run.processId, initial_data=dict(inputs.data or {}), target_entity=run.targetEntity
        )

    @on(NextWorkflowTable.Chosen)
    def _next_workflow(self, event: NextWorkflowTable.Chosen) -> None:
        event.stop()
        why = READ_ONLY if self.orch_app.read_only else self.orch_app.run_denied(event.workflow.id)
        if why:
            self.notify(f"Cannot run: {why}", markup=False, severity="warning")
            return
        self._open_next(event.workflow.id)

    @work(exclusive=True, group="run-action", exit_on_error=False, description="Preparing next workflow")
    async def _open_next(self, workflow_id: str) -> None:
        # Like the web UI: the next workflow's form is prefilled from this run's data.
        response = await self.orch_app.backend.get_input_schema(workflow_id, instance_id=self.run_id)
        target = self.run.targetEntity if self.run is not None else None
        self.orch_app.open_execute(workflow_id, initial_data=dict(response.data or {}), target_entity=target)

    def action_retrigger(self) -> None:
        self._retrigger()

    async def _auth_tokens(self, workflow_id: str) -> list[AuthToken]:
        """Tokens for the sign-ins the workflow's form asks for, as the web UI sends on retrigger."""
        descriptors = await workflow_sign_ins(self.orch_app.backend, workflow_id)
        tokens, missing = tokens_for(descriptors, self.orch_app.provider_tokens)
        if missing:
            self.notify(missing_tokens_message(missing, "retriggering without it"), severity="warning", markup=False)
        return tokens

    @work(exclusive=True, group="run-action", exit_on_error=False, description="Retriggering run")
    async def _retrigger(self) -> None:
        run = self.run
        if run is None or not run.processId:
            return
        tokens = await self._auth_tokens(run.processId)
        try:
            await self.orch_app.backend.retrigger(run.processId, run.id, auth_tokens=tokens or None)
        except ServerError as exc:
            if FAILED_AGAIN not in exc.message:
                raise
            self.notify(
                failed_again_message(exc.message), title="Run failed again", severity="error", timeout=10, markup=False
            )
        else:
            self.notify("Retriggered from the failed node.", title="Retriggered", markup=False)
        self.refresh_now()
