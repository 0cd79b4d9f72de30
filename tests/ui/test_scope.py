"""Pilot tests of the entity scope: the scoped workflow list and runs, the invalid-annotation
warning, ``:entity``, the picker and recent entities, clearing the scope, the run's entity link."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input

from orch_tui.core.backend import Backend
from orch_tui.core.entity import parse_entity_ref
from orch_tui.core.filters import SearchRequest, page
from orch_tui.core.recent import RecentEntities
from orch_tui.ui.app import OrchApp
from orch_tui.ui.screens.command_line import CommandLine
from orch_tui.ui.screens.entity_picker import EntityPickerScreen
from orch_tui.ui.screens.execute import ExecuteScreen
from orch_tui.ui.screens.run_detail import RunDetailScreen
from orch_tui.ui.screens.runs import RunListScreen
from orch_tui.ui.screens.workflows import WorkflowListScreen
from orch_tui.ui.widgets.run_filters import RunFilterDialog
from orch_tui.ui.widgets.run_table import RunTable
from orch_tui.ui.widgets.workflow_table import WorkflowTable
from ui_helpers import FaultyBackend, screen_text, settle, wait_until

SIZE = (100, 30)
PAYMENTS = "component:default/payments-api"


class ScopeBackend(FaultyBackend):
    """Remembers what the entity-scoped list was asked for."""

    def __init__(self, inner: Backend) -> None:
        super().__init__(inner)
        self.entity_calls: list[tuple[str, list[str]]] = []

    async def list_workflows_for_entity(self, target_entity: str, annotation_workflow_ids: list[str]) -> Any:
        self.calls.append("list_workflows_for_entity")
        self.entity_calls.append((target_entity, list(annotation_workflow_ids)))
        return await self._inner.list_workflows_for_entity(target_entity, annotation_workflow_ids)


@pytest.fixture
def backend(make_demo_backend: Callable[..., Backend]) -> ScopeBackend:
    return ScopeBackend(make_demo_backend())


@pytest.fixture
def recent(tmp_path: Path) -> RecentEntities:
    return RecentEntities(tmp_path / "recent.json")


def scoped_app(backend: Backend, clock: Any, recent: RecentEntities, entity: str | None = PAYMENTS) -> OrchApp:
    ref = parse_entity_ref(entity) if entity else None
    return OrchApp(backend, clock=clock, refresh_interval=3600, entity=ref, recent_entities=recent)


def listed(app: OrchApp) -> set[str]:
    table = app.screen.query_one(WorkflowTable)
    return {str(key.value) for key in table.rows}


async def type_text(pilot: Any, text: str) -> None:
    for char in text:
        await pilot.press({" ": "space", ":": "colon", "/": "slash", "-": "minus"}.get(char, char))


async def test_scoped_list_is_the_annotated_and_already_run_workflows(
    backend: ScopeBackend, clock: Any, recent: RecentEntities
) -> None:
    app = scoped_app(backend, clock, recent)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # The annotation's ids, read from the catalog, sent with the lower-cased target entity.
        assert backend.entity_calls[-1] == (PAYMENTS, ["greeting", "provision-environment", "flaky-deploy"])
        assert "list_workflows" not in backend.calls
        ran_for_it = {r.processId for r in (await backend._inner.list_runs(
            SearchRequest(paginationInfo=page(size=500)))).items if r.targetEntity == PAYMENTS}
        assert listed(app) == {"greeting", "provision-environment", "flaky-deploy"} | ran_for_it
        assert listed(app) < {wf.workflowId for wf in await backend._inner.list_workflows()}
        text = screen_text(pilot)
        assert "⌖ component:payments-api" in text and "Workflows (" in text and "for component:payments-api" in text
        assert not app.screen.query_one("#workflows-scope-note").display  # nothing unusual to say
        assert [r.target for r in recent.load("demo")] == [PAYMENTS]


async def test_invalid_annotation_is_reported_not_silently_empty(
    backend: ScopeBackend, clock: Any, recent: RecentEntities
) -> None:
    app = scoped_app(backend, clock, recent, "component:checkout-web")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert backend.entity_calls[-1] == ("component:default/checkout-web", [])
        note = app.screen.query_one("#workflows-scope-note")
        assert note.display
        text = screen_text(pilot)
        assert "orchestrator.io/workflows annotation of component:default/checkout-web is not a valid JSON" in text
        assert "[deploy_to_staging,deploy_to_production]" in text
        assert "Listed: the workflows that already ran for it." in text


async def test_scoped_runs_and_runs_started_from_the_scope_carry_it(
    backend: ScopeBackend, clock: Any, recent: RecentEntities
) -> None:
    app = scoped_app(backend, clock, recent)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RunListScreen) and screen.scope == PAYMENTS
        table = screen.query_one(RunTable)
        assert table.row_count and all(run.targetEntity == PAYMENTS for run in screen.runs)
        assert "All runs · for component:payments-api" in screen_text(pilot)
        assert "Filters: none" in screen_text(pilot)
        # The scope is not a filter the dialog edits; Clear keeps it.
        await pilot.press("f")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, RunFilterDialog)
        assert not dialog.query("#run-filter-entity") and dialog.query_one("#run-filter-scope")
        await pilot.click("#run-filter-clear")
        await settle(pilot)
        assert app.screen is screen and screen.query_state.filters.entity == PAYMENTS
        # A run started from the scope is a run for the entity.
        app.pop_screen()
        await settle(pilot)
        table_widget = app.screen.query_one(WorkflowTable)
        table_widget.move_cursor(row=table_widget.get_row_index("greeting"))
        await pilot.press("x")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ExecuteScreen) and form.target_entity == PAYMENTS


async def test_command_line_scopes_and_clears(backend: ScopeBackend, clock: Any, recent: RecentEntities) -> None:
    app = scoped_app(backend, clock, recent, entity=None)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        everything = listed(app)
        assert "list_workflows_for_entity" not in backend.calls
        assert "⌖" not in screen_text(pilot)
        await pilot.press("colon")
        assert isinstance(app.screen, CommandLine)
        await type_text(pilot, "entity shop")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CommandLine)  # a reference without a kind is refused, with why
        assert "it has no kind" in screen_text(pilot)
        app.screen.query_one(Input).value = "entity default:Resource:Orders-DB"
        await pilot.press("enter")
        await settle(pilot)
        assert app.scope is not None and app.scope.target == "resource:default/orders-db"
        assert isinstance(app.screen, WorkflowListScreen)
        assert "data-migration" in listed(app) and listed(app) < everything
        assert "⌖ resource:orders-db" in screen_text(pilot)
        await pilot.press("0")
        await settle(pilot)
        assert app.scope is None and listed(app) == everything and "⌖" not in screen_text(pilot)
        await pilot.press("colon")
        await type_text(pilot, "entity system:payments")
        await pilot.press("enter")
        await settle(pilot)
        assert app.scope is not None and app.scope.target == "system:default/payments"
        await pilot.press("colon")
        await type_text(pilot, "entity -")
        await pilot.press("enter")
        await settle(pilot)
        assert app.scope is None
        assert [r.target for r in recent.load("demo")] == ["system:default/payments", "resource:default/orders-db"]


async def test_picker_searches_the_catalog_and_offers_recent_entities(
    backend: ScopeBackend, clock: Any, recent: RecentEntities
) -> None:
    recent.add("demo", parse_entity_ref("component:platform/ci-runner"))
    app = scoped_app(backend, clock, recent, entity=None)
    async with app.run_test(size=(110, 34)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, EntityPickerScreen)
        table = picker.query_one(DataTable)
        rows = {str(key.value): [str(cell) for cell in table.get_row(key)] for key in table.rows}
        assert list(rows)[0] == "component:platform/ci-runner" and rows["component:platform/ci-runner"][0] == "↺"
        assert rows["component:default/checkout-web"][1:] == ["Component", "checkout-web", "payments",
                                                               "▲ invalid annotation"]
        assert rows["component:default/payments-api"][4] == "◆ 3 workflows"
        assert rows["component:default/search-indexer"][4] == "—"
        assert not any(key.startswith(("user:", "group:")) for key in rows)
        await type_text(pilot, "api:pay")
        await wait_until(pilot, lambda: picker.searched == "api:pay" and not picker.pending)
        await settle(pilot)
        assert [str(key.value) for key in table.rows] == ["api:default/payments-api"]
        picker.query_one(Input).value = ""
        await type_text(pilot, "orders")
        await wait_until(pilot, lambda: picker.searched == "orders" and not picker.pending)
        await settle(pilot)
        assert [str(key.value) for key in table.rows] == ["resource:default/orders-db"]
        await pilot.press("enter")
        await settle(pilot)
        assert app.scope is not None and app.scope.target == "resource:default/orders-db"
        assert isinstance(app.screen, WorkflowListScreen)
        assert [r.target for r in recent.load("demo")] == ["resource:default/orders-db", "component:platform/ci-runner"]


async def test_run_detail_shows_and_links_the_entity(backend: ScopeBackend, clock: Any, recent: RecentEntities) -> None:
    run_id = await backend._inner.execute("greeting", {"name": "Ada", "language": "English"},
                                          target_entity="system:default/payments")
    app = scoped_app(backend, clock, recent, entity=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_run(run_id)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RunDetailScreen)
        entity = screen.query_one("#run-field-entity")
        assert str(entity.render()) == "system:default/payments" and entity.has_class("entity-link")
        assert "g" in screen.active_bindings and screen.active_bindings["g"].enabled
        await pilot.press("g")
        await settle(pilot)
        assert app.scope is not None and app.scope.target == "system:default/payments"
        assert isinstance(app.screen, WorkflowListScreen) and "onboard-team" in listed(app)


async def test_scope_keys_leave_a_run_form_alone(backend: ScopeBackend, clock: Any, recent: RecentEntities) -> None:
    app = scoped_app(backend, clock, recent)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_execute("greeting")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ExecuteScreen)
        assert app.check_action("clear_scope", ()) is False and app.check_action("pick_entity", ()) is False
        form.set_focus(None)
        await pilot.press("0")
        await pilot.press("e")
        await settle(pilot)
        assert app.screen is form and app.scope is not None


async def test_typing_in_a_filter_is_not_a_scope_key(backend: ScopeBackend, clock: Any, recent: RecentEntities) -> None:
    app = scoped_app(backend, clock, recent)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "e0:")
        await settle(pilot)
        assert isinstance(app.screen, WorkflowListScreen) and app.scope is not None
        assert app.screen.query_one("#workflows-filter", Input).value == "e0:"


async def test_entity_text_is_shown_literally(backend: ScopeBackend, clock: Any, recent: RecentEntities) -> None:
    hostile = "component:[@click=app.quit]x[b]"
    app = scoped_app(backend, clock, recent, hostile)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        text = screen_text(pilot)
        assert "⌖ component:[@click=app.quit]x[b]" in text
        assert "component:default/[@click=app.quit]x[b] is not in the catalog." in text
        assert app.is_running
