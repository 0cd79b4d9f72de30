"""The first screen: every workflow the backend knows, filterable, sortable, kept fresh.

Scoped to an entity it is that entity's Workflows tab: the workflows its
``orchestrator.io/workflows`` annotation names and those that already ran for it, with a note
when the annotation could not be used (the web UI silently shows nothing then).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static
from textual.worker import Worker

from orch_tui.core.entity import EntityRef, compact_ref
from orch_tui.core import live
from orch_tui.core.formatting import single_line
from orch_tui.core.live import Invalidation
from orch_tui.core.run_status import RunStatus
from orch_tui.ui.screens.base import LOADING_DELAY, OrchScreen
from orch_tui.ui.warmup import warm_up
from orch_tui.ui.widgets.failure import Failure
from orch_tui.ui.widgets.footer import OrchFooter
from orch_tui.ui.widgets.header import AppHeader, updated_ago
from orch_tui.ui.widgets.updates import set_border_title, update_static
from orch_tui.ui.widgets.workflow_table import WorkflowTable, run_state

if TYPE_CHECKING:
    from orch_tui.core.catalog import EntityLookup
    from orch_tui.core.models import WorkflowOverview

SETTLE_FRAMES = 5
"""Frames the first screen waits for its footer's keys before it counts as painted."""

WARM_UP_DELAY = 0.5
"""Seconds after the first list is shown before the other screens are imported in the background."""

_STATUS_RANK = {
    RunStatus.ERROR: 0,
    RunStatus.ABORTED: 1,
    RunStatus.SUSPENDED: 2,
    RunStatus.ACTIVE: 3,
    RunStatus.PENDING: 4,
    RunStatus.UNKNOWN: 5,
    RunStatus.COMPLETED: 6,
}


def _by_name(wf: WorkflowOverview) -> Any:
    return (wf.display_name.casefold(), wf.workflowId)


def _by_last_run(wf: WorkflowOverview) -> Any:
    # Most recent first; never-run workflows last.
    return (wf.last_triggered is None, -(wf.lastTriggeredMs or 0), *_by_name(wf))


def _by_status(wf: WorkflowOverview) -> Any:
    # Failures first, then the rest, never-run last.
    rank = len(_STATUS_RANK) + 1 if wf.last_triggered is None else _STATUS_RANK.get(
        wf.lastRunStatus or RunStatus.UNKNOWN, len(_STATUS_RANK)
    )
    return (rank, *_by_name(wf))


def _by_success(wf: WorkflowOverview) -> Any:
    # Least successful first; no data last.
    stats = wf.workflowRunStats
    value = stats.successRatio if stats is not None else None
    return (value is None, value or 0.0, *_by_name(wf))


SORTS: tuple[tuple[str, Callable[[WorkflowOverview], Any]], ...] = (
    ("name", _by_name),
    ("last run", _by_last_run),
    ("status", _by_status),
    ("success", _by_success),
)


def matches(workflow: WorkflowOverview, needle: str) -> bool:
    """Case-insensitive substring match over id, name and description."""
    if not needle:
        return True
    folded = needle.casefold()
    fields = (workflow.workflowId, workflow.name, workflow.description)
    return any(folded in (value or "").casefold() for value in fields)


class WorkflowListScreen(OrchScreen[None]):
    """The workflow list; refreshes itself with chained timers while it is visible."""

    RESTYLE_ON_FIRST_SHOW = False

    BINDINGS = [
        Binding("slash", "filter", "Filter", id="workflows.filter"),
        Binding("escape", "clear_filter", "Clear filter", id="workflows.clear-filter"),
        Binding("s", "cycle_sort", "Sort", id="workflows.sort"),
        Binding("r", "refresh", "Refresh", id="workflows.refresh"),
        Binding("x", "run", "Run", id="workflows.run"),
        Binding("R", "all_runs", "Runs", id="workflows.all-runs"),
        Binding("v", "view_value", "View whole value", show=False, id="workflows.view-value"),
        Binding("q", "app.quit", "Quit", id="workflows.quit"),
    ]

    def __init__(self) -> None:
        super().__init__(id="workflows")
        self._workflows: list[WorkflowOverview] = []
        self._loaded = False
        self._remembered = False
        """The rows are the start snapshot's, shown until the backend's answer replaces them."""
        self._filter = ""
        self._sort_index = 0
        self._timer: Timer | None = None
        self._due = False
        self._lookup: EntityLookup | None = None
        """The catalog's answer about the scope's entity, asked once per scope (again on r)."""
        self._loading_timer: Timer | None = None

    @property
    def table(self) -> WorkflowTable:
        return self.query_one("#workflow-table", WorkflowTable)

    @property
    def sort_name(self) -> str:
        return SORTS[self._sort_index][0]

    def compose(self) -> ComposeResult:
        yield AppHeader()
        yield Static(id="workflows-scope-note")
        yield WorkflowTable(id="workflow-table")
        yield Static(id="workflows-empty")
        yield Input(placeholder="filter: id, name or description", id="workflows-filter", compact=True)
        yield OrchFooter()

    def on_mount(self) -> None:
        self.query_one("#workflows-filter", Input).display = False
        self.query_one("#workflows-empty", Static).display = False
        self._show_notes()
        self._loading_soon()
        self._update_title()
        self.orch_app.scope_changed.subscribe(self, self._scope_changed)
        self.orch_app.permissions_changed.subscribe(self, lambda _p: self.refresh_bindings())
        self._show_remembered()
        self.refresh_now()

    @property
    def _listed(self) -> bool:
        """There are rows to show: the backend's, or the start snapshot's until those come."""
        return self._loaded or self._remembered

    def _show_remembered(self) -> None:
        """Paint the list the start snapshot remembers, marked so, until the backend answers."""
        app = self.orch_app
        snapshot = app.remembered
        if snapshot is None or self._loaded or not app.as_started:
            return
        self._workflows = list(snapshot.workflows)
        self._remembered = True
        self._render_rows()
        self.call_after_refresh(self._when_settled)

    def _scope_changed(self, scope: EntityRef | None) -> None:
        """Another entity (or none): start over with its list."""
        self._workflows = []
        self._loaded = False
        self._remembered = False
        self._lookup = None
        self.table.show([], self.orch_app.clock(), longest_name=0)
        self._loading_soon()
        self._show_notes()
        self._update_title()
        self.query_one("#workflows-empty", Static).display = False
        self.refresh_now()

    def _when_settled(self, frames: int = SETTLE_FRAMES) -> None:
        """The first list is painted: once the footer's keys are too (they follow the first
        frame), tell the app, which then turns to the work kept for after the first screen."""
        footer = self.query_one(OrchFooter)
        if not footer.keys_shown and frames > 0:
            self.call_after_refresh(self._when_settled, frames - 1)
            return
        self.call_after_refresh(self.orch_app.first_screen_painted)

    def _loading_soon(self) -> None:
        """Show the loading indicator unless the list arrives first (most backends answer sooner,
        and an indicator that flashes for a few milliseconds costs two layouts)."""
        if self._loading_timer is not None:
            self._loading_timer.stop()
        self._loading_timer = self.set_timer(LOADING_DELAY, self._show_loading)

    def _show_loading(self) -> None:
        self._loading_timer = None
        self.table.loading = True

    # -- polling -----------------------------------------------------------

    def refresh_now(self) -> None:
        """Fetch now, replacing any pending timer."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._due = False
        self._fetch()

    def _schedule(self, delay: float) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(delay, self._on_timer)

    def _on_timer(self) -> None:
        self._timer = None
        if self.is_active:
            self._fetch()
        else:
            self._due = True

    def on_screen_resume(self) -> None:
        # Catch up on a refresh missed while hidden, or on a recovery seen elsewhere.
        if self._due or self.table.has_class("-stale"):
            self.refresh_now()

    @work(exclusive=True, group="workflows", exit_on_error=False, description="Fetching workflows")
    async def _fetch(self) -> None:
        app = self.orch_app
        scope = app.scope
        if scope is None:
            workflows = await app.backend.list_workflows()
        else:
            from orch_tui.core.catalog import entity_workflows

            self._lookup, workflows = await entity_workflows(app.backend, scope, self._lookup)
            if scope != app.scope:
                return  # the scope changed meanwhile: a newer fetch is on its way
        self._show_notes()
        self._workflows = workflows
        self._remembered = False
        if not self._loaded:
            self.call_after_refresh(self._when_settled)
            self.set_timer(WARM_UP_DELAY, warm_up)
            self.set_timer(WARM_UP_DELAY, self.orch_app.load_all_styles)
        self._loaded = True
        self.orch_app.workflows_loaded(workflows)
        self.orch_app.link_succeeded()
        self.table.set_class(False, "-stale")
        self._render_rows()
        self._schedule(self.orch_app.poll_interval())

    def live_invalidated(self, events: frozenset[Invalidation]) -> None:
        """The workflows, or the runs their last-run column shows, changed: fetch now (or when
        shown again)."""
        if not any(event.type in (live.WORKFLOWS, live.RUNS) and (event.id is None or event.is_list) for event in events):
            return
        if self.is_active:
            self.refresh_now()
        else:
            self._due = True

    def handle_failure(self, worker: Worker[Any], failure: Failure) -> bool:
        """Keep the last data, mark it stale, retry with backoff."""
        if worker.group != "workflows":
            return False
        delay = self.orch_app.link_failed(failure)
        self.table.set_class(self._listed, "-stale")
        if not self._loaded:
            self._render_rows()
        self._schedule(delay)
        return True

    # -- rendering ---------------------------------------------------------

    def _visible(self) -> list[WorkflowOverview]:
        key = SORTS[self._sort_index][1]
        return sorted((wf for wf in self._workflows if matches(wf, self._filter)), key=key)

    def _render_rows(self) -> None:
        table = self.table
        if self._loading_timer is not None:
            self._loading_timer.stop()
            self._loading_timer = None
        table.loading = False
        visible = self._visible()
        longest = max((len(single_line(wf.display_name)) for wf in self._workflows), default=0)
        table.show(visible, self.orch_app.clock(), longest_name=longest)
        self._update_title(len(visible))
        self._update_empty(len(visible))
        self.refresh_bindings()

    def _show_notes(self) -> None:
        """How the entity's list was made, when that is worth knowing (a bad annotation…)."""
        note = self.query_one("#workflows-scope-note", Static)
        lookup = self._lookup if self.orch_app.scope is not None else None
        notes = lookup.notes if lookup is not None else []
        text = Content("\n").join(Content("▲ " + line) if i == 0 else Content(line) for i, line in enumerate(notes))
        update_static(note, text)
        note.display = bool(notes)

    def _update_title(self, shown: int | None = None) -> None:
        total = len(self._workflows)
        count = "" if not self._listed else (
            f" ({shown}/{total})" if self._filter else f" ({total})"
        )
        title = Content(f"Workflows{count}")
        snapshot = self.orch_app.remembered
        if self._remembered and snapshot is not None:
            title += Content(f" · remembered {updated_ago(snapshot.age())}, connecting…")
        scope = self.orch_app.scope
        if scope is not None:
            title += Content(" · for ") + Content(compact_ref(scope.target))
        if self._filter:
            title += Content(" /") + Content(single_line(self._filter, 40))
        title += Content(f" · sort: {self.sort_name}")
        set_border_title(self.table, title)

    def _update_empty(self, shown: int) -> None:
        empty = self.query_one("#workflows-empty", Static)
        failure = self.orch_app.link.failure
        self.table.set_class(not shown, "-empty")
        if shown:
            empty.display = False
            return
        if not self._loaded and failure is not None:
            text = Content.assemble(
                ("Could not load workflows", "bold"), "\n", failure.summary, "\n", "Press r to try again."
            )
        elif self._workflows:
            text = Content.from_markup(
                "No workflow matches [b]$needle[/b]. Press [b]Esc[/b] to clear the filter.",
                needle=self._filter,
            )
        elif (scope := self.orch_app.scope) is not None:
            text = Content(
                f"No workflows for {scope.target}: its annotation names none and none has run for it. "
                "Press 0 to see every workflow."
            )
        else:
            text = Content("No workflows are deployed on this backend yet.")
        update_static(empty, text)
        empty.display = True

    # -- actions -----------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":
            filter_input = self.query_one("#workflows-filter", Input)
            return bool(self._filter) or filter_input.display
        if action == "run":
            if self.orch_app.read_only:
                return False
            return None if self._run_blocked() is not None else True
        return True

    def _run_blocked(self) -> str | None:
        """Why the highlighted workflow cannot be run, or None when it can."""
        key = self.table.current_key
        workflow = self.orch_app.workflows.get(key) if key is not None else None
        if workflow is None and self._remembered:
            workflow = next((wf for wf in self._workflows if wf.key == key), None)
        if workflow is None:
            return "no workflow selected"
        can_run, why = run_state(workflow, self.orch_app.read_only, self.orch_app.run_denied(workflow.key))
        return None if can_run else why

    def on_key(self, event: events.Key) -> None:
        # A greyed-out binding never reaches its action: say why instead of doing nothing.
        if event.key == "x" and (why := self._run_blocked()) is not None:
            event.stop()
            self.notify(f"Cannot run: {why}", markup=False, severity="warning")

    def action_run(self) -> None:
        key = self.table.current_key
        if key is not None:
            self.orch_app.open_execute(key)

    @on(DataTable.RowHighlighted, "#workflow-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.refresh_bindings()

    def action_filter(self) -> None:
        filter_input = self.query_one("#workflows-filter", Input)
        filter_input.display = True
        filter_input.focus()
        self.refresh_bindings()

    def action_clear_filter(self) -> None:
        filter_input = self.query_one("#workflows-filter", Input)
        filter_input.value = ""
        filter_input.display = False
        self._set_filter("")
        self.table.focus()
        self.refresh_bindings()

    def action_cycle_sort(self) -> None:
        self._sort_index = (self._sort_index + 1) % len(SORTS)
        if self._listed:
            self._render_rows()
        else:
            self._update_title()

    def action_refresh(self) -> None:
        self._lookup = None
        self.orch_app.reload_permissions()
        self.refresh_now()
        self.orch_app.refresh_engine()

    def action_all_runs(self) -> None:
        self.orch_app.open_runs()

    def action_view_value(self) -> None:
        key = self.table.current_key
        workflow = next((wf for wf in self._workflows if wf.key == key), None)
        if workflow is None:
            self.notify("No workflow selected.", markup=False)
            return
        from orch_tui.ui.widgets.value_viewer import view_values, workflow_values

        view_values(self, f"Workflow {workflow.workflowId}", workflow_values(workflow))

    @on(Input.Changed, "#workflows-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._set_filter(event.value)

    @on(Input.Submitted, "#workflows-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        if not event.value:
            event.input.display = False
        self.table.focus()
        self.refresh_bindings()

    def _set_filter(self, needle: str) -> None:
        if needle == self._filter:
            return
        self._filter = needle
        if self._listed:
            self._render_rows()
        else:
            self._update_title()

    @on(DataTable.RowSelected, "#workflow-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.orch_app.open_workflow(event.row_key.value)
