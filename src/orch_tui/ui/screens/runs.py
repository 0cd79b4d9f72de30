"""Runs: of every workflow, or of one; filtered, sorted and paged by the server, kept fresh.

Under an entity scope the list holds that entity's runs only (``variables.targetEntity``); the
scope is not one of the filters the user edits.  The Run by filter is offered only with
``orchestrator.instanceAdminView`` (without it the backend shows only one's own runs anyway).
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from textual import events, on, work
from textual.actions import parse as parse_action
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import DataTable, Input, Label, Static
from textual.worker import Worker

from orch_tui.core.backend import CAN_TASKS, RunPage
from orch_tui.core.entity import compact_ref
from orch_tui.core.formatting import single_line
from orch_tui.core.live import Invalidation, runs_affected
from orch_tui.core.models import ProcessInstance
from orch_tui.core.permissions import INSTANCE_ADMIN_VIEW
from orch_tui.core.run_query import RunView
from orch_tui.ui.engine import NO_TASKS, RETRY_TASKS_PREFIX, retry_failed_tasks, retry_tasks_blocked
from orch_tui.ui.screens.base import OrchScreen
from orch_tui.ui.widgets.failure import Failure
from orch_tui.ui.widgets.footer import OrchFooter
from orch_tui.ui.widgets.header import AppHeader, updated_ago
from orch_tui.ui.widgets.poller import Poller
from orch_tui.ui.widgets.run_filters import RunFilterDialog, RunFilters, RunListQuery
from orch_tui.ui.widgets.run_table import RunTable, matches
from orch_tui.ui.widgets.updates import set_border_title
from orch_tui.ui.widgets.value_viewer import run_values, view_values

VIEW_TITLES = {
    RunView.ALL: "All runs",
    RunView.ACTIVE: "Active runs",
    RunView.COMPLETED: "Completed runs",
    RunView.TASKS: "Tasks",
}


def binding_action(text: str) -> tuple[str, tuple[object, ...]]:
    """``view('tasks')`` → ``("view", ("tasks",))``."""
    _namespace, action, parameters = parse_action(text)
    return action, parameters


class RunListScreen(OrchScreen[None]):
    """One page of runs at a time; polls with chained timers while it is visible."""

    RESTYLE_ON_FIRST_SHOW = False

    BINDINGS = [
        Binding("escape", "clear_find", "Clear find", id="runs.clear-find"),
        Binding("escape", "back", "Back", show=False, id="runs.back"),
        Binding("backspace", "back", "Back", show=False, id="runs.back-alt"),
        Binding("slash", "find", "Find", id="runs.find"),
        Binding("f", "filters", "Filter", id="runs.filters"),
        Binding("s", "cycle_sort", "Sort", id="runs.sort"),
        Binding("o", "flip_order", "Reverse order", show=False, id="runs.order"),
        Binding("left_square_bracket", "previous_page", "Previous page", show=False, id="runs.previous-page"),
        Binding("right_square_bracket", "next_page", "Next page", show=False, id="runs.next-page"),
        Binding("z", "page_size", "Page size", show=False, id="runs.page-size"),
        Binding("i", "toggle_ids", "Full ids", show=False, id="runs.full-ids"),
        Binding("c", "copy_id", "Copy id", show=False, id="runs.copy-id"),
        Binding("v", "view_value", "View whole value", show=False, id="runs.view-value"),
        Binding("p", "pause", "Pause", id="runs.pause"),
        Binding("p", "resume", "Resume", id="runs.resume"),
        Binding("r", "refresh", "Refresh", id="runs.refresh"),
        Binding("1", "view('all')", "All runs", show=False, id="runs.view-all"),
        Binding("2", "view('active')", "Active runs", show=False, id="runs.view-active"),
        Binding("3", "view('completed')", "Completed runs", show=False, id="runs.view-completed"),
        Binding("4", "view('tasks')", "Tasks", show=False, id="runs.view-tasks"),
        Binding("t", "retry_tasks", "Retry failed tasks", id="runs.retry-tasks"),
    ]

    def __init__(
        self, workflow_id: str | None = None, workflow_name: str | None = None, *, scope: str | None = None
    ) -> None:
        super().__init__(classes="runs")
        self.workflow_id = workflow_id
        self.workflow_name = workflow_name
        self.scope = scope
        """The entity scope (``kind:namespace/name``): only its runs are listed."""
        self.query_state = RunListQuery(filters=RunFilters(entity=scope))
        self.runs: list[ProcessInstance] = []
        self.total: int | None = None
        self.loaded = False
        self.stale = False
        self.last_ok: datetime | None = None
        self._find = ""
        self._had_rows = False
        self._status_shown: tuple[str, str, str] | None = None
        self._entities: set[str] = set()
        self._initiators: set[str] = set()
        self.poller = Poller(self, self._fetch, self.orch_app.poll_interval)

    @property
    def table(self) -> RunTable:
        return self.query_one("#run-table", RunTable)

    def compose(self) -> ComposeResult:
        yield AppHeader()
        yield Static(id="runs-filters")
        yield RunTable(scoped=self.workflow_id is not None, id="run-table")
        yield Static(id="runs-empty")
        yield Input(placeholder="find on this page: id, workflow, entity, run by, status", id="runs-find", compact=True)
        with Horizontal(id="runs-status"):
            yield Label(id="runs-page")
            yield Label(id="runs-fresh")
        yield OrchFooter()

    def on_mount(self) -> None:
        self.query_one("#runs-find", Input).display = False
        self.query_one("#runs-empty", Static).display = False
        self.table.loading = True
        self._update_filters()
        self._update_title()
        self._update_status()
        self.set_interval(1.0, self._tick_status)
        self.poller.fetch_now()

    # -- polling -----------------------------------------------------------

    def refresh_now(self) -> None:
        self.poller.fetch_now()

    def live_invalidated(self, events: frozenset[Invalidation]) -> None:
        """The list, or a run on this page, changed: fetch the page again."""
        if runs_affected(events, {run.id for run in self.runs}):
            self.poller.poke()

    def on_screen_suspend(self) -> None:
        self.poller.suspend()

    def on_screen_resume(self) -> None:
        self.poller.resume()

    @work(exclusive=True, group="runs", exit_on_error=False, description="Fetching runs")
    async def _fetch(self) -> None:
        app = self.orch_app
        query = self.query_state
        page = await app.backend.list_runs(query.request(app.clock()), workflow_id=self.workflow_id)
        if not page.items and query.offset and page.total:
            # The runs shrank under us: show the last page that still has runs.
            query = query.at_page((page.total - 1) // query.page_size + 1)
            page = await app.backend.list_runs(query.request(app.clock()), workflow_id=self.workflow_id)
        self.query_state = query
        self._loaded_page(page)
        app.link_succeeded()
        self.poller.schedule()

    def _loaded_page(self, page: RunPage) -> None:
        self.runs = list(page.items)
        self.total = page.total
        self.loaded = True
        self.stale = False
        self.last_ok = self.orch_app.clock()
        for run in self.runs:
            if run.targetEntity:
                self._entities.add(run.targetEntity)
            if run.initiatorEntity:
                self._initiators.add(run.initiatorEntity)
        self.table.set_class(False, "-stale")
        self._render_rows()

    def handle_failure(self, worker: Worker[Any], failure: Failure) -> bool:
        """Keep the last page, mark it stale, retry with backoff."""
        if worker.group != "runs":
            return False
        delay = self.orch_app.link_failed(failure)
        self.stale = True
        self.table.set_class(self.loaded, "-stale")
        if not self.loaded:
            self._render_rows()
        self._update_status()
        self.poller.schedule(delay)
        return True

    # -- rendering ---------------------------------------------------------

    @property
    def has_next(self) -> bool:
        query = self.query_state
        if self.total is not None:
            return query.offset + query.page_size < self.total
        return len(self.runs) >= query.page_size

    @property
    def page_count(self) -> int | None:
        if self.total is None:
            return None
        return max(1, -(-self.total // self.query_state.page_size))

    def visible_runs(self) -> list[ProcessInstance]:
        return [run for run in self.runs if matches(run, self._find)]

    def _render_rows(self) -> None:
        table = self.table
        table.loading = False
        visible = self.visible_runs()
        table.show(visible, self.orch_app.clock())
        self._update_title(len(visible))
        self._update_empty(len(visible))
        self._update_status()
        if self._had_rows != bool(visible):
            self._had_rows = bool(visible)
            self.refresh_bindings()

    @property
    def filtered(self) -> bool:
        """Filters beyond the scope are set."""
        return self.query_state.filters != RunFilters(entity=self.scope)

    def _scope_label(self) -> Content:
        view = self.query_state.view
        if self.workflow_id is None:
            label = Content(VIEW_TITLES[view])
        else:
            label = Content("Runs · ") + Content(single_line(self.workflow_name or self.workflow_id, 40))
            if view is not RunView.ALL:
                label += Content(f" · {view.label}")
        if self.scope is not None:
            label += Content(" · for ") + Content(single_line(compact_ref(self.scope), 40))
        return label

    def _update_title(self, shown: int | None = None) -> None:
        title = self._scope_label()
        if self.loaded and self.total is not None:
            title += Content(f" ({self.total})")
        if self._find:
            title += Content(" /") + Content(single_line(self._find, 30))
            if self.loaded:
                title += Content(f" {len(self.visible_runs())}/{len(self.runs)} on page")
        title += Content(f" · sort: {self.query_state.sort_label}")
        set_border_title(self.table, title)

    def _update_filters(self) -> None:
        filters = self.query_state.filters
        text = Content.assemble(("Filters: ", "dim"), filters.describe(scope=self.scope))
        if not self.filtered:
            text += Content.styled(" · f to filter", "dim")
        self.query_one("#runs-filters", Static).update(text)

    def _update_empty(self, shown: int) -> None:
        empty = self.query_one("#runs-empty", Static)
        self.table.set_class(not shown, "-empty")
        if shown:
            empty.display = False
            return
        failure = self.orch_app.link.failure
        if not self.loaded and failure is not None:
            text = Content.assemble(
                ("Could not load runs", "bold"), "\n", failure.summary, "\n", "Press r to try again."
            )
        elif self.runs:
            text = Content.from_markup(
                "No run on this page matches [b]$needle[/b]. Press [b]Esc[/b] to clear.", needle=self._find
            )
        elif self.filtered:
            text = Content("No runs match these filters. Press f to change them.")
        elif self.query_state.view is not RunView.ALL:
            text = Content(f"Nothing in the {self.query_state.view.label} view. Press 1 for all runs.")
        elif self.scope is not None and not self.query_state.offset:
            text = Content(f"No runs for {self.scope} yet.")
        elif self.query_state.offset:
            text = Content("No runs on this page. Press [ for the previous page.")
        else:
            text = Content("No runs yet.")
        empty.update(text)
        empty.display = True

    def _tick_status(self) -> None:
        # Hidden, the age is left as it is: what changes on a screen below the top one is
        # repainted through the top one.  The first tick after it is shown again catches up.
        if self.is_active:
            self._update_status()

    def _update_status(self) -> None:
        if not self.is_mounted:
            return
        query = self.query_state
        if not self.loaded:
            page_text = "loading…"
        else:
            first = query.offset + 1 if self.runs else 0
            last = query.offset + len(self.runs)
            of = f" of {self.total}" if self.total is not None else ""
            pages = f"/{self.page_count}" if self.page_count is not None else ""
            page_text = f"Page {query.page_number}{pages} · {first}–{last}{of} · {query.page_size} per page"
            if query.offset or self.has_next:
                page_text += " · [ ] to page"
        fresh, css_class = self._freshness()
        shown = (page_text, fresh.plain, css_class)
        if shown == self._status_shown:
            return
        self._status_shown = shown
        self.query_one("#runs-page", Label).update(Content(page_text))
        label = self.query_one("#runs-fresh", Label)
        label.update(fresh)
        label.set_classes(css_class)

    def _freshness(self) -> tuple[Content, str]:
        app = self.orch_app
        now = app.clock()
        if self.stale and app.link.failure is not None:
            text = Content("▲ STALE · ") + Content(app.link.failure.summary)
            retry_at = app.link.retry_at
            if self.poller.paused:
                text += Content(" · paused")
            elif retry_at is not None:
                wait = max(0, math.ceil((retry_at - now).total_seconds()))
                text += Content(f" · retry in {wait}s" if wait else " · retrying…")
            return text, "-stale"
        age = "" if self.last_ok is None else f"updated {updated_ago((now - self.last_ok).total_seconds())}"
        if self.poller.paused:
            return Content("⏸ PAUSED" + (f" · {age}" if age else "") + " · p to resume"), "-paused"
        if self.last_ok is None:
            return Content("◌ loading…"), "-connecting"
        return Content(f"● {age}"), "-live"

    # -- actions -----------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_find":
            return bool(self._find) or self.query_one("#runs-find", Input).display
        if action == "pause":
            return not self.poller.paused
        if action == "resume":
            return self.poller.paused
        if action == "copy_id":
            return self.table.current_key is not None or None
        if action in ("view", "retry_tasks"):
            return self.blocked(action, parameters) is None
        return True

    def blocked(self, action: str, parameters: tuple[object, ...] = ()) -> str | None:
        """Why a view or Retry failed tasks is not offered here now, or None."""
        if action == "view" and parameters == (RunView.TASKS.value,):
            return NO_TASKS if CAN_TASKS not in self.orch_app.capabilities else None
        if action == "retry_tasks":
            why = retry_tasks_blocked(self.orch_app)
            if why is None and self.query_state.view is not RunView.TASKS:
                why = "only in the Tasks view (4)"
            return why
        return None

    def on_key(self, event: events.Key) -> None:
        # A key that is not offered here never reaches its action: say why instead.
        for binding in self._bindings.key_to_bindings.get(event.key, []):
            action, parameters = binding_action(binding.action)
            if action not in ("view", "retry_tasks"):
                continue
            if (why := self.blocked(action, parameters)) is not None:
                event.stop()
                prefix = "No Tasks view" if action == "view" else RETRY_TASKS_PREFIX
                self.notify(f"{prefix}: {why}", markup=False, severity="warning")
            return

    def action_view(self, name: str) -> None:
        """Active, completed, tasks or all runs (as the orchestrator-ui tabs)."""
        view = RunView(name)
        if view is not self.query_state.view:
            self.set_query(self.query_state.with_view(view))
            self.refresh_bindings()

    def action_retry_tasks(self) -> None:
        """Ask, then retry every failed task; the count is said afterwards."""
        retry_failed_tasks(self.orch_app)

    def action_back(self) -> None:
        self.dismiss()

    def action_refresh(self) -> None:
        self.refresh_now()
        self.orch_app.refresh_engine()

    def action_pause(self) -> None:
        self.poller.pause()
        self._update_status()
        self.refresh_bindings()

    def action_resume(self) -> None:
        self.poller.unpause()
        self._update_status()
        self.refresh_bindings()

    def set_query(self, query: RunListQuery) -> None:
        """Ask the server again with new filters, order or page."""
        self.query_state = query
        self._update_filters()
        self._update_title()
        self._update_status()
        self.refresh_now()

    def action_filters(self) -> None:
        dialog = RunFilterDialog(
            self.query_state.filters,
            entities=self._entities,
            initiators=self._initiators,
            show_run_by=self.orch_app.permissions.allows(INSTANCE_ADMIN_VIEW),
            scope=self.scope,
        )
        self.app.push_screen(dialog, self._filters_chosen)

    def _filters_chosen(self, filters: RunFilters | None) -> None:
        if filters is not None and filters != self.query_state.filters:
            self.set_query(self.query_state.with_filters(filters))

    def action_cycle_sort(self) -> None:
        self.set_query(self.query_state.next_sort())

    def action_flip_order(self) -> None:
        self.set_query(self.query_state.flipped())

    def action_next_page(self) -> None:
        if not self.has_next:
            self.notify("This is the last page.", markup=False)
            return
        self.set_query(self.query_state.at_page(self.query_state.page_number + 1))

    def action_previous_page(self) -> None:
        if self.query_state.offset == 0:
            self.notify("This is the first page.", markup=False)
            return
        self.set_query(self.query_state.at_page(self.query_state.page_number - 1))

    def action_page_size(self) -> None:
        self.set_query(self.query_state.next_page_size())
        self.notify(f"{self.query_state.page_size} runs per page", markup=False)

    def action_toggle_ids(self) -> None:
        self.table.set_full_ids(not self.table.full_ids)

    def action_copy_id(self) -> None:
        key = self.table.current_key
        if key is None:
            return
        self.app.copy_to_clipboard(key)
        self.notify(f"Copied run id {key}", markup=False)

    def action_view_value(self) -> None:
        key = self.table.current_key
        run = next((run for run in self.runs if run.id == key), None)
        if run is None:
            self.notify("No run selected.", markup=False)
            return
        view_values(self, f"Run {run.id}", run_values(run))

    def action_find(self) -> None:
        find = self.query_one("#runs-find", Input)
        find.display = True
        find.focus()
        self.refresh_bindings()

    def action_clear_find(self) -> None:
        find = self.query_one("#runs-find", Input)
        find.value = ""
        find.display = False
        self._set_find("")
        self.table.focus()
        self.refresh_bindings()

    @on(Input.Changed, "#runs-find")
    def _find_changed(self, event: Input.Changed) -> None:
        self._set_find(event.value)

    @on(Input.Submitted, "#runs-find")
    def _find_submitted(self, event: Input.Submitted) -> None:
        if not event.value:
            event.input.display = False
        self.table.focus()
        self.refresh_bindings()

    def _set_find(self, needle: str) -> None:
        if needle == self._find:
            return
        self._find = needle
        if self.loaded:
            self._render_rows()
        else:
            self._update_title()

    @on(DataTable.RowSelected, "#run-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.orch_app.open_run(event.row_key.value)
