"""Pick the entity to scope the console to: recent entities, and a search of the Backstage catalog.

Each catalog entity shows its kind, name, owner and whether it carries the orchestrator's
``orchestrator.io/workflows`` annotation (and whether that annotation can be read).  A typed
reference (``kind:namespace/name``) may be used as it is, catalog or not.  ``ctrl+o`` (or ``d`` on
the list) opens the highlighted entity's details instead of scoping to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static
from textual.worker import Worker

from orch_tui.core.catalog import SCOPE_KINDS, CatalogEntity
from orch_tui.core.entity import EntityRef, EntityRefError, compact_ref, parse_entity_ref, split_ref
from orch_tui.core.formatting import single_line
from orch_tui.ui.widgets.failure import Failure
from orch_tui.ui.widgets.value_viewer import ViewedValue, entity_values, view_values

if TYPE_CHECKING:
    from orch_tui.ui.app import OrchApp

SEARCH_DELAY = 0.3
SEARCH_LIMIT = 50


def workflows_mark(entity: CatalogEntity | None) -> str:
    """The Workflows column: glyph + words for the ``orchestrator.io/workflows`` annotation."""
    if entity is None:
        return "—"
    annotation = entity.workflows
    if not annotation.present:
        return "—"
    if annotation.problem is not None:
        return "▲ invalid annotation"
    count = len(annotation.ids)
    return f"◆ {count} workflow{'' if count == 1 else 's'}"


class EntityPickerScreen(ModalScreen[EntityRef | None]):
    """Dismissed with the chosen entity, or None."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="entity-picker.cancel"),
        Binding("down", "to_table", "Results", show=False, id="entity-picker.to-table"),
        Binding("ctrl+o", "details", "Details", id="entity-picker.details"),
        Binding("d", "details", "Details", show=False, id="entity-picker.details-alt"),
        Binding("v", "view_value", "View whole value", show=False, id="entity-picker.view-value"),
    ]

    def __init__(self, recent: list[EntityRef] | None = None) -> None:
        super().__init__(classes="entity-picker")
        self.recent = list(recent or [])
        self.results: list[CatalogEntity] = []
        self.searched: str | None = None
        """The text the results are for (None before the first answer)."""
        self.failure: Failure | None = None
        self._timer: Timer | None = None

    @property
    def orch_app(self) -> OrchApp:
        return cast("OrchApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical(id="entity-picker-box") as box:
            box.border_title = Content("Scope to an entity")
            yield Input(placeholder="search the catalog (name, title, owner) or type kind:namespace/name",
                        id="entity-picker-input", compact=True)
            yield Static(id="entity-picker-status")
            yield DataTable(id="entity-picker-table", cursor_type="row", zebra_stripes=False)
            yield Static(
                Content("Enter scopes · ctrl+o details · ↓ list · v shows a row whole · Esc cancels"),
                id="entity-picker-hint",
            )

    def on_mount(self) -> None:
        table = self.query_one("#entity-picker-table", DataTable)
        table.add_column(" ", key="recent", width=1)
        table.add_column("Kind", key="kind", width=10)
        table.add_column("Entity", key="name", width=30)
        table.add_column("Owner", key="owner", width=18)
        table.add_column("Workflows", key="workflows", width=20)
        self._render_rows()
        self.query_one("#entity-picker-input", Input).focus()
        self._search("")

    # -- searching -----------------------------------------------------------

    @on(Input.Changed, "#entity-picker-input")
    def _changed(self, event: Input.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        text = event.value
        self._timer = self.set_timer(SEARCH_DELAY, lambda: self._typed(text))

    @property
    def pending(self) -> bool:
        """A search waits for the typing to pause."""
        return self._timer is not None

    def _typed(self, text: str) -> None:
        self._timer = None
        self._search(text)

    @work(exclusive=True, group="entity-search", exit_on_error=False, description="Searching the catalog")
    async def _search(self, text: str) -> None:
        # What is typed as a reference (``component:pay``) is searched by its name, among its kind.
        kind, _, term = split_ref(text.strip())
        kinds = (kind.lower(),) if kind else SCOPE_KINDS
        results = await self.orch_app.backend.search_entities(term.strip(), kinds=kinds, limit=SEARCH_LIMIT)
        self.results = results
        self.searched = text
        self.failure = None
        self._render_rows()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.orch_app.worker_state_changed(event)

    def handle_failure(self, worker: Worker[Any], failure: Failure) -> bool:
        """A catalog that cannot be searched still leaves the recent entities and typed references."""
        if worker.group != "entity-search":
            return False
        self.failure = failure
        self._render_rows()
        return True

    # -- rendering -----------------------------------------------------------

    def _rows(self) -> list[tuple[EntityRef, CatalogEntity | None, bool]]:
        text = self.query_one("#entity-picker-input", Input).value.strip().casefold()
        found = {entity.ref: entity for entity in self.results}
        rows: list[tuple[EntityRef, CatalogEntity | None, bool]] = []
        for ref in self.recent:
            if not text or text in ref.target or text in compact_ref(ref.target).casefold():
                rows.append((ref, found.get(ref), True))
        shown = {ref for ref, _, _ in rows}
        rows.extend((entity.ref, entity, False) for entity in self.results if entity.ref not in shown)
        return rows

    def _render_rows(self) -> None:
        table = self.query_one("#entity-picker-table", DataTable)
        cursor = table.cursor_row
        table.clear()
        for ref, entity, recent in self._rows():
            kind = entity.kind if entity is not None else ref.kind
            owner = compact_ref(entity.owner, drop_kind="group") if entity is not None and entity.owner else "—"
            table.add_row(
                Text("↺" if recent else " "),
                Text(single_line(kind, 20)),
                Text(single_line(compact_ref(ref.target, drop_kind=ref.kind), 60)),
                Text(single_line(owner, 40)),
                Text(workflows_mark(entity)),
                key=ref.target,
            )
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))
        self._update_status(table.row_count)

    def _update_status(self, count: int) -> None:
        status = self.query_one("#entity-picker-status", Static)
        if self.failure is not None:
            status.update(Content("✖ Catalog search failed: ") + Content(self.failure.summary))
            status.set_classes("-failed")
        elif self.searched is None:
            status.update(Content("◌ searching the catalog…"))
            status.set_classes("")
        elif not count:
            status.update(Content("Nothing in the catalog matches; type a full kind:namespace/name to use it anyway."))
            status.set_classes("")
        else:
            recent = sum(1 for _, _, r in self._rows() if r)
            parts = [f"{len(self.results)} in the catalog"]
            if recent:
                parts.append(f"{recent} recent (↺)")
            status.update(Content(" · ".join(parts)))
            status.set_classes("")

    # -- choosing ------------------------------------------------------------

    @on(Input.Submitted, "#entity-picker-input")
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if ":" in text:
            try:
                self.dismiss(parse_entity_ref(text))
            except EntityRefError as exc:
                status = self.query_one("#entity-picker-status", Static)
                status.update(Content(str(exc)))
                status.set_classes("-failed")
            return
        table = self.query_one("#entity-picker-table", DataTable)
        if table.row_count == 1:
            self._choose(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        elif table.row_count:
            table.focus()

    @on(DataTable.RowSelected, "#entity-picker-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self._choose(event.row_key.value)

    def _choose(self, key: str | None) -> None:
        if key is None:
            return
        try:
            self.dismiss(parse_entity_ref(key))
        except EntityRefError:
            return

    def highlighted(self) -> EntityRef | None:
        """The entity the details key is for: a full reference being typed, else the list's cursor row."""
        field = self.query_one("#entity-picker-input", Input)
        text = field.value.strip()
        if field.has_focus and ":" in text:
            try:
                return parse_entity_ref(text)
            except EntityRefError as exc:
                status = self.query_one("#entity-picker-status", Static)
                status.update(Content(str(exc)))
                status.set_classes("-failed")
                return None
        table = self.query_one("#entity-picker-table", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        try:
            return parse_entity_ref(key) if key is not None else None
        except EntityRefError:
            return None

    def action_details(self) -> None:
        """The highlighted entity's detail screen (its facts, parts, workflows and runs); the
        scope stays as it is."""
        from orch_tui.ui.screens.entity_detail import open_entity_detail

        ref = self.highlighted()
        if ref is None:
            if not self.query_one("#entity-picker-status", Static).has_class("-failed"):
                self.notify("No entity to show: search, or type kind:namespace/name.", markup=False)
            return
        app = self.orch_app
        self.dismiss(None)
        open_entity_detail(app, ref)

    def action_to_table(self) -> None:
        table = self.query_one("#entity-picker-table", DataTable)
        if table.row_count:
            table.focus()

    def action_view_value(self) -> None:
        table = self.query_one("#entity-picker-table", DataTable)
        if not table.row_count:
            self.notify("No entity in the list.", markup=False)
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        entity = next((entity for entity in self.results if entity.ref.target == key), None)
        values = entity_values(entity) if entity is not None else [ViewedValue("Reference", key or "")]
        view_values(self, f"Entity {key}", values)

    def action_cancel(self) -> None:
        self.dismiss(None)
