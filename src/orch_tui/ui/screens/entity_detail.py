"""One entity: its facts, its parts, the workflows that apply to it, and its runs.

For orchestrator-core the entity is a subscription (``subscription:default/<id>``): its status,
in-sync flag, product, customer and dates, its product block tree, and the workflows it offers now
(modify, terminate, validate …), each usable or blocked with the server's reason.  For Backstage it
is a catalog entity: kind, owner, lifecycle, its relations, and the workflows its
``orchestrator.io/workflows`` annotation names or that already ran for it.

Enter on a usable workflow opens its run form for this entity; on a blocked one it says why.
Enter on a run opens the run; ``s`` scopes the console to the entity.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Input, Label, Static, Tree
from textual.widgets.tree import TreeNode
from textual.worker import Worker

from orch_tui.core import live
from orch_tui.core.entity import EntityRef, compact_ref
from orch_tui.core.entity_overview import EntityOverview, EntityPart, EntityWorkflow
from orch_tui.core.formatting import single_line
from orch_tui.core.live import Invalidation, runs_affected
from orch_tui.core.models import ProcessInstance
from orch_tui.core.permissions import PermissionSet
from orch_tui.core.run_query import RunQuery
from orch_tui.core.status import StatusLook
from orch_tui.ui.commands import PaletteCommand, command
from orch_tui.ui.screens.base import OrchScreen
from orch_tui.ui.widgets.failure import ErrorPanel, Failure
from orch_tui.ui.widgets.footer import OrchFooter
from orch_tui.ui.widgets.header import AppHeader
from orch_tui.ui.widgets.poller import Poller
from orch_tui.ui.widgets.run_table import RunTable, matches
from orch_tui.ui.widgets.value_viewer import CLIP_LIMIT, ViewedValue, clipped, start_at, view_values

if TYPE_CHECKING:
    from orch_tui.ui.app import OrchApp

USABLE = StatusLook("✓", "+", "usable", "entity-workflow--usable")
BLOCKED = StatusLook("⊘", "-", "blocked", "entity-workflow--blocked")
RUNS_SHOWN = 50
"""The newest runs of the entity the screen lists (the runs list, ``u``, pages through all)."""
READ_ONLY = "read-only context"
MAX_TREE_CHILDREN = 500

NAME_WIDTH = 32
TARGET_WIDTH = 9
MIN_STATUS_WIDTH = 16
CELL_PADDING = 1


def open_entity_detail(app: OrchApp, ref: EntityRef) -> None:
    """Open the detail screen of an entity on top of the current screen (or refresh it when the
    entity's screen is already the current one)."""
    screen = app.screen
    if isinstance(screen, EntityDetailScreen) and screen.ref == ref:
        screen.action_refresh()
        return
    app.push_screen(EntityDetailScreen(ref))


class WorkflowChoices(DataTable[Text]):
    """The workflows that apply to the entity: name, target, usable or blocked with the reason."""

    COMPONENT_CLASSES = {USABLE.style_class, BLOCKED.style_class}
    BINDINGS = [Binding("enter", "select_cursor", "Run", id="entity.run")]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", cursor_foreground_priority="renderable")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "select_cursor":
            screen = self.screen
            if isinstance(screen, EntityDetailScreen):
                if screen.orch_app.read_only:
                    return False  # nothing is started from a read-only context: not offered
                workflow = screen.current_workflow
                if workflow is None:
                    return None
                return None if screen.run_blocked(workflow) is not None else True
        return True

    def status_cell(self, look: StatusLook, text: str, ascii_only: bool) -> Text:
        style = self.get_component_rich_style(look.style_class, partial=True)
        return Text(look.label(ascii_only) + text, style=style, no_wrap=True, overflow="ellipsis", end="")


class EntityDetailScreen(OrchScreen[None]):
    """An entity's overview and its runs; each part loads in its own worker."""

    AUTO_FOCUS = "#entity-workflows"
    BINDINGS = [
        Binding("escape", "back", "Back", id="entity.back"),
        Binding("backspace", "back", "Back", show=False, id="entity.back-alt"),
        Binding("r", "refresh", "Refresh", id="entity.refresh"),
        Binding("s", "scope", "Scope to it", id="entity.scope"),
        Binding("u", "runs", "All its runs", show=False, id="entity.runs"),
        Binding("v", "view_value", "View whole value", show=False, id="entity.view-value"),
        Binding("slash", "filter", "Filter", id="entity.filter"),
        Binding("escape", "clear_filter", "Clear filter", id="entity.clear-filter"),
    ]

    def __init__(self, ref: EntityRef) -> None:
        super().__init__(classes="entity-detail")
        self.ref = ref
        self.overview: EntityOverview | None = None
        self.runs: list[ProcessInstance] = []
        self.runs_total: int | None = None
        self.runs_loaded = False
        self.failure: Failure | None = None
        """Why the overview could not be loaded (last attempt), or None."""
        self.runs_failure: Failure | None = None
        self._left_for: Screen[Any] | None = None
        self._live_due = False
        """A change hint arrived while another screen was on top: refresh when shown again."""
        self.runs_poller = Poller(self, self._load_runs, lambda: self.orch_app.poll_interval())
        """Keeps the runs fresh, as the runs list does (slowly while change hints arrive)."""
        self._filter = ""
        """What ``/`` narrows both lists to (a case-insensitive substring), or empty."""

    # -- layout --------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield AppHeader()
        yield Static(id="entity-title")
        yield Static(id="entity-notes")
        yield Input(placeholder="filter: workflow, target, reason, run, status", id="entity-filter", compact=True)
        yield Vertical(id="entity-error")
        with Horizontal(id="entity-top"):
            with VerticalScroll(id="entity-facts-box"):
                yield Grid(id="entity-facts")
            yield Tree(Text("Parts"), id="entity-parts")
        yield WorkflowChoices(id="entity-workflows")
        yield Static(id="entity-workflow-why")
        yield RunTable(id="entity-runs")
        yield Static(id="entity-runs-empty")
        yield OrchFooter()

    def on_mount(self) -> None:
        self.query_one("#entity-notes", Static).display = False
        self.query_one("#entity-filter", Input).display = False
        self.query_one("#entity-runs-empty", Static).display = False
        tree = self.query_one("#entity-parts", Tree)
        tree.show_root = True
        tree.guide_depth = 2
        self.query_one("#entity-workflows", WorkflowChoices).loading = True
        self.query_one("#entity-runs", RunTable).loading = True
        self.orch_app.permissions_changed.subscribe(self, self._permissions_changed)
        self._show_title()
        self._show_sections()
        self.action_refresh()

    def on_screen_suspend(self) -> None:
        self._left_for = self.app.screen if self.app.screen is not self else None
        self.runs_poller.suspend()

    def on_screen_resume(self) -> None:
        # Back from a run form or a run (not from a dialog): what was started there shows up here.
        left_for, self._left_for = self._left_for, None
        live_due, self._live_due = self._live_due, False
        if live_due or (left_for is not None and not isinstance(left_for, ModalScreen)):
            self.action_refresh()
        else:
            self.runs_poller.resume()

    def live_invalidated(self, events: frozenset[Invalidation]) -> None:
        """The entity, or its runs, changed on the server: fetch what changed (on return, when
        another screen is on top)."""
        changed = any(event.affects(live.ENTITIES, self.ref.target) for event in events)
        runs = runs_affected(events, {run.id for run in self.runs})
        if not (changed or runs):
            return
        if not self.is_active:
            self._live_due = True
            return
        if changed:
            self._load_overview()
        if runs:
            self.runs_poller.poke()

    @property
    def workflow_table(self) -> WorkflowChoices:
        return self.query_one("#entity-workflows", WorkflowChoices)

    @property
    def run_table(self) -> RunTable:
        return self.query_one("#entity-runs", RunTable)

    # -- loading -------------------------------------------------------------

    @work(exclusive=True, group="entity-overview", exit_on_error=False, description="Fetching the entity")
    async def _load_overview(self) -> None:
        overview = await self.orch_app.backend.entity_overview(self.ref)
        self.overview = overview
        self.failure = None
        self.orch_app.link_succeeded()
        await self.query_one("#entity-error").remove_children()
        self.orch_app.ensure_permissions([workflow.workflow_id for workflow in overview.workflows])
        await self._show_overview()

    @work(exclusive=True, group="entity-runs", exit_on_error=False, description="Fetching the entity's runs")
    async def _load_runs(self) -> None:
        request = RunQuery(entity=self.ref.target, page_size=RUNS_SHOWN).to_request()
        page = await self.orch_app.backend.list_runs(request)
        self.runs = list(page.items)
        self.runs_total = page.total
        self.runs_loaded = True
        self.runs_failure = None
        self._show_runs()
        self.runs_poller.schedule()

    def handle_failure(self, worker: Worker[Any], failure: Failure) -> bool:
        """A failed overview is shown in place (what was loaded stays, marked stale); failed runs
        say so under the runs."""
        if worker.group == "entity-overview":
            self.failure = failure
            self.workflow_table.loading = False
            self._show_title()
            if self.overview is None:
                self._show_workflows()
                panel = ErrorPanel(failure, classes="error-panel")
                self.run_worker(self._show_error(panel), exit_on_error=False)
            return True
        if worker.group == "entity-runs":
            self.runs_failure = failure
            self._show_runs()
            self.runs_poller.schedule()
            return True
        return False

    async def _show_error(self, panel: ErrorPanel) -> None:
        box = self.query_one("#entity-error")
        await box.remove_children()
        await box.mount(panel)

    # -- rendering -----------------------------------------------------------

    def _show_title(self) -> None:
        overview = self.overview
        kind = overview.kind if overview is not None else self.ref.kind.capitalize()
        title = overview.title if overview is not None else self.ref.name
        text = Content.assemble((f"{single_line(kind, 30)} › ", "dim"), single_line(title, 60))
        if len(title) > 60:
            text += Content.styled(" (v: whole title)", "dim italic")
        text += Content.styled("  " + single_line(self.ref.target, 160), "dim")
        if self.failure is not None and overview is not None:
            text += Content.styled("  ▲ STALE · ", "bold") + Content(self.failure.summary)
        elif overview is None and self.failure is None:
            text += Content.styled("  ◌ loading…", "dim")
        widget = self.query_one("#entity-title", Static)
        widget.update(text)
        widget.set_class(self.failure is not None and overview is not None, "-stale")

    async def _show_overview(self) -> None:
        overview = self.overview
        assert overview is not None
        self._show_title()
        self._show_notes()
        await self._show_facts()
        self._show_parts()
        self._show_sections()
        self._show_workflows()

    def _show_notes(self) -> None:
        overview = self.overview
        notes = self.query_one("#entity-notes", Static)
        lines: list[Content] = []
        if overview is not None and overview.reason_text:
            reason = Content(single_line(overview.reason_text, 400))
            lines.append(Content("⊘ No workflow can be started now: ") + reason)
        if overview is not None:
            lines.extend(Content("▲ ") + Content(single_line(note, 400)) for note in overview.notes)
        notes.update(Content("\n").join(lines) if lines else Content(""))
        notes.display = bool(lines)

    async def _show_facts(self) -> None:
        overview = self.overview
        assert overview is not None
        grid = self.query_one("#entity-facts", Grid)
        widgets: list[Any] = []
        for fact in overview.facts:
            widgets.append(Label(Content(single_line(fact.label, 40)), classes="entity-fact-label"))
            widgets.append(Static(clipped(fact.value.strip()), classes="entity-fact-value"))
        async with grid.batch():
            await grid.remove_children()
            if widgets:
                await grid.mount_all(widgets)

    def _show_parts(self) -> None:
        overview = self.overview
        assert overview is not None
        tree: Tree[None] = self.query_one("#entity-parts", Tree)
        tree.clear()
        label = Text(single_line(overview.parts_label, 40), style="bold")
        if not overview.parts:
            label += Text(" (none)", style="dim")
        tree.root.set_label(label)
        for part in overview.parts[:MAX_TREE_CHILDREN]:
            _add_part(tree.root, part, depth=0)
        tree.root.expand()

    def _show_sections(self) -> None:
        overview = self.overview
        label = Content("Workflows")
        if overview is not None:
            usable = sum(1 for workflow in overview.workflows if self.run_blocked(workflow) is None)
            counted = (f"{len(self.visible_workflows)}/{len(overview.workflows)}" if self._filter
                       else str(len(overview.workflows)))
            label += Content(f" ({counted} · {usable} usable)")
        if self._filter:
            label += Content(" /") + Content(single_line(self._filter, 30))
        self.workflow_table.border_title = label
        runs = Content("Runs")
        if self.runs_loaded:
            total = self.runs_total if self.runs_total is not None else len(self.runs)
            shown = f"{len(self.runs)} of {total}" if total > len(self.runs) else str(total)
            if self._filter:
                shown = f"{len(self.visible_runs)}/{shown}"
            runs += Content(f" ({shown}) · u: all its runs")
        self.run_table.border_title = runs

    def _widths(self, with_target: bool) -> tuple[int, int, int]:
        table = self.workflow_table
        available = table.scrollable_content_region.width or (self.app.size.width - 3)
        gap = 2 * CELL_PADDING
        columns = 3 if with_target else 2
        name = min(NAME_WIDTH, max(12, available // 3))
        target = TARGET_WIDTH if with_target else 0
        # Room for a vertical scrollbar, so that the columns never scroll sideways.
        status = max(MIN_STATUS_WIDTH, available - name - target - gap * columns - 2)
        return name, target, status

    def _show_workflows(self) -> None:
        table = self.workflow_table
        cursor = self.current_workflow.workflow_id if self.current_workflow is not None else None
        table.loading = False
        workflows = self.visible_workflows
        with_target = any(workflow.target for workflow in workflows)
        name_width, target_width, status_width = self._widths(with_target)
        ascii_only = self.orch_app.ascii_only
        with self.app.batch_update():
            table.clear(columns=True)
            table.add_column(Text("Workflow"), width=name_width, key="name")
            if with_target:
                table.add_column(Text("Target"), width=target_width, key="target")
            table.add_column(Text("Status"), width=status_width, key="status")
            for workflow in workflows:
                why = self.run_blocked(workflow)
                if why is None:
                    status = table.status_cell(USABLE, "", ascii_only)
                else:
                    status = table.status_cell(BLOCKED, ": " + single_line(why, 300), ascii_only)
                cells = [Text(single_line(workflow.name, 120), no_wrap=True, overflow="ellipsis")]
                if with_target:
                    cells.append(Text(single_line(workflow.target or "—", 20), no_wrap=True, overflow="ellipsis"))
                cells.append(status)
                table.add_row(*cells, key=workflow.workflow_id)
            if cursor is not None and cursor in {workflow.workflow_id for workflow in workflows}:
                table.move_cursor(row=table.get_row_index(cursor), animate=False)
        self._show_why()
        self._show_sections()
        table.refresh_bindings()

    def _show_why(self) -> None:
        why = self.query_one("#entity-workflow-why", Static)
        overview = self.overview
        workflow = self.current_workflow
        if overview is None:
            why.update(Content(""))
            return
        if workflow is None:
            why.update(Content.styled("No workflow applies to this entity.", "dim"))
            why.set_classes("")
            return
        about = Content(single_line(workflow.workflow_id, 80))
        if workflow.description:
            about += Content.styled(" · ", "dim") + Content(single_line(workflow.description, 200))
        blocked = self.run_blocked(workflow)
        if blocked is None:
            text = about + Content.styled(" · Enter opens its run form for this entity", "dim")
            why.set_classes("")
        else:
            # The reason first: it is what the line is for when the workflow cannot run.
            text = Content(BLOCKED.label(self.orch_app.ascii_only) + ": ") + Content(single_line(blocked, 400))
            text += Content(" · ") + about
            why.set_classes("-blocked")
        why.update(text)

    def _show_runs(self) -> None:
        table = self.run_table
        table.loading = False
        table.show(self.visible_runs, self.orch_app.clock())
        empty = self.query_one("#entity-runs-empty", Static)
        if self.runs_failure is not None:
            empty.update(Content("✖ Could not load its runs: ") + Content(self.runs_failure.summary)
                         + Content(" · r tries again"))
            empty.display = True
        elif not self.runs:
            empty.update(Content("No runs for ") + Content(single_line(self.ref.target, 160)) + Content(" yet."))
            empty.display = True
        elif not self.visible_runs:
            empty.update(Content("No run matches /") + Content(single_line(self._filter, 60)) + Content(" · Esc clears"))
            empty.display = True
        else:
            empty.display = False
        table.set_class(not self.visible_runs, "-empty")
        self._show_sections()

    def _permissions_changed(self, permissions: PermissionSet) -> None:
        if self.overview is not None:
            self._show_workflows()

    def on_resize(self, event: events.Resize) -> None:
        if self.overview is not None:
            self._show_workflows()

    # -- workflows -----------------------------------------------------------

    @property
    def current_workflow(self) -> EntityWorkflow | None:
        """The workflow under the cursor of the workflows table."""
        overview = self.overview
        if overview is None or not self.is_mounted:
            return None
        table = self.workflow_table
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return overview.workflow(key) if key is not None else None

    def run_blocked(self, workflow: EntityWorkflow) -> str | None:
        """Why this workflow cannot be started for the entity from here, or None when it can: the
        backend's reason, a read-only context, or the permission policy."""
        overview = self.overview
        if overview is not None and (why := overview.blocked(workflow)) is not None:
            return why
        if self.orch_app.read_only:
            return READ_ONLY
        return self.orch_app.run_denied(workflow.workflow_id)

    @on(DataTable.RowHighlighted, "#entity-workflows")
    def _workflow_highlighted(self) -> None:
        self._show_why()
        self.workflow_table.refresh_bindings()

    @on(DataTable.RowSelected, "#entity-workflows")
    def _workflow_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        overview = self.overview
        key = event.row_key.value
        workflow = overview.workflow(key) if overview is not None and key is not None else None
        if workflow is not None:
            self.start(workflow)

    def start(self, workflow: EntityWorkflow) -> None:
        """Open the workflow's run form for this entity; a blocked workflow says why instead."""
        why = self.run_blocked(workflow)
        if why is not None:
            self.notify(
                f"Cannot run {single_line(workflow.name, 80)}: {single_line(why, 400)}",
                markup=False, severity="warning",
            )
            return
        self.orch_app.open_execute(workflow.workflow_id, target_entity=self.ref.target)

    def on_key(self, event: events.Key) -> None:
        # Enter on a workflow that cannot run (its key greyed or, read-only, hidden): say why.
        if event.key != "enter" or self.focused is not self.workflow_table:
            return
        workflow = self.current_workflow
        if workflow is not None and self.run_blocked(workflow) is not None:
            event.stop()
            event.prevent_default()
            self.start(workflow)

    # -- runs ----------------------------------------------------------------

    @on(DataTable.RowSelected, "#entity-runs")
    def _run_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.orch_app.open_run(event.row_key.value)

    # -- actions -------------------------------------------------------------

    # -- filter --------------------------------------------------------------

    @property
    def visible_workflows(self) -> list[EntityWorkflow]:
        """The workflows the filter lets through."""
        overview = self.overview
        if overview is None:
            return []
        needle = self._filter.casefold()
        return [
            workflow for workflow in overview.workflows
            if not needle or any(
                needle in (text or "").casefold()
                for text in (workflow.workflow_id, workflow.name, workflow.target, self.run_blocked(workflow))
            )
        ]

    @property
    def visible_runs(self) -> list[ProcessInstance]:
        return [run for run in self.runs if matches(run, self._filter)]

    def action_filter(self) -> None:
        field = self.query_one("#entity-filter", Input)
        field.display = True
        field.focus()

    def action_clear_filter(self) -> None:
        field = self.query_one("#entity-filter", Input)
        field.value = ""
        field.display = False
        self._set_filter("")
        self.workflow_table.focus()

    def _set_filter(self, text: str) -> None:
        self._filter = text
        if self.overview is not None:
            self._show_workflows()
        if self.runs_loaded:
            self._show_runs()
        self._show_sections()
        self.refresh_bindings()

    @on(Input.Changed, "#entity-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._set_filter(event.value.strip())

    @on(Input.Submitted, "#entity-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            self.action_clear_filter()
        else:
            self.workflow_table.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        filtering = bool(self._filter) or self.query_one("#entity-filter", Input).display
        if action == "clear_filter":
            return filtering
        if action == "back":
            return not filtering
        return True

    def action_back(self) -> None:
        self.dismiss()

    def action_view_value(self) -> None:
        """The entity's title and facts whole (a long description is cut in place)."""
        overview = self.overview
        if overview is None:
            self.notify("The entity has not loaded yet.", markup=False)
            return
        values = [ViewedValue("Title", overview.title)]
        values += [ViewedValue(fact.label, fact.value) for fact in overview.facts]
        long = next((index for index, value in enumerate(values) if len(value.value) > CLIP_LIMIT), None)
        start = long if long is not None else start_at(values, "Description")
        view_values(self, f"{overview.kind} {self.ref.target}", values, start=start)

    def action_refresh(self) -> None:
        self._load_overview()
        self.runs_poller.fetch_now()

    def action_scope(self) -> None:
        self.orch_app.set_scope(self.ref)

    def action_runs(self) -> None:
        from orch_tui.ui.screens.runs import RunListScreen

        self.app.push_screen(RunListScreen(scope=self.ref.target))

    def palette_commands(self) -> Iterator[PaletteCommand]:
        """Scope to the entity, its runs, and a run form for each workflow that can run now."""
        target = compact_ref(self.ref.target)
        yield command(f"Scope to this entity: {target}", self.action_scope, "Its workflows and runs everywhere")
        yield command(f"Runs of this entity: {target}", self.action_runs, "The runs list, filtered and paged")
        overview = self.overview
        if overview is None:
            return
        for workflow in overview.workflows:
            if self.run_blocked(workflow) is None:
                name = single_line(workflow.name, 80)
                yield command(
                    f"Run for this entity: {name}", lambda chosen=workflow: self.start(chosen),
                    "Open its run form; nothing starts before Run",
                )


def _add_part(node: TreeNode[None], part: EntityPart, *, depth: int) -> None:
    """A part under ``node``: its facts as leaves (``label: value``), then its own parts."""
    label = Text(single_line(part.label, 120), style="bold")
    if not part.facts and not part.children:
        node.add_leaf(label)
        return
    child = node.add(label, expand=depth < 3)
    for fact in part.facts[:MAX_TREE_CHILDREN]:
        child.add_leaf(Text.assemble((single_line(fact.label, 60), "dim"), ": ", single_line(fact.value, 300)))
    for inner in part.children[:MAX_TREE_CHILDREN]:
        _add_part(child, inner, depth=depth + 1)
