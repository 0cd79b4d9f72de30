"""Pilot tests of ``orch-tui open URL``: each web UI route opens its screen; an execute link opens
the run form prefilled, marked, with the parameters that were not applied listed, and sends
nothing before Run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from orch_tui.core.backend import Backend
from orch_tui.core.deeplink import parse_link
from orch_tui.core.drafts import DraftStore
from orch_tui.ui.app import OrchApp
from orch_tui.ui.screens.execute import Page
from orch_tui.ui.screens.execute_link import NOTICE_ID, LinkedExecuteScreen
from orch_tui.ui.screens.run_detail import RunDetailScreen
from orch_tui.ui.screens.runs import RunListScreen
from orch_tui.ui.screens.workflow_detail import WorkflowDetailScreen
from orch_tui.ui.screens.workflows import WorkflowListScreen
from ui_helpers import FaultyBackend, screen_text, settle

SIZE = (100, 40)


@pytest.fixture
def backend(make_demo_backend: Callable[..., Backend]) -> FaultyBackend:
    return FaultyBackend(make_demo_backend(seed_runs=10))


def app_for(backend: FaultyBackend, clock: Any, url: str) -> OrchApp:
    return OrchApp(backend, clock=clock, refresh_interval=30, deep_link=parse_link(url))


def notice_text(screen: LinkedExecuteScreen) -> str:
    return str(screen.query_one(f"#{NOTICE_ID}", Static).render())


def stack(app: OrchApp) -> list[type]:
    return [type(screen) for screen in app.screen_stack]


async def test_execute_link_prefills_marks_and_lists_what_was_not_applied(backend: FaultyBackend, clock: Any) -> None:
    url = ("https://bs.example.com/portal/orchestrator/workflows/provision-environment/execute"
           "?project.name=checkout&environment.tier=PRODUCTION&environment.replicas=many&project=x"
           "&nope=1&targetEntity=Component:shop")
    app = app_for(backend, clock, url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LinkedExecuteScreen)
        assert stack(app) == [WorkflowListScreen, WorkflowDetailScreen, LinkedExecuteScreen]
        assert screen.page is Page.STEP and screen.model is not None
        assert screen.model.get(("project", "name")) == "checkout"
        assert screen.model.get(("environment", "tier")) == "production", "the enum's own spelling"
        assert screen.prefilled_paths == {"project.name", "environment.tier"}

        form = screen.form
        assert form is not None
        name_box = form.box_at(("project", "name"))
        owner_box = form.box_at(("project", "owner"))
        assert name_box is not None and owner_box is not None
        assert name_box.has_class("-prefilled") and not owner_box.has_class("-prefilled")

        notice = notice_text(screen)
        assert "2 fields prefilled from the link" in notice
        assert "environment.replicas=many: 'many' is not a number" in notice
        assert "project=x: not a single-value field" in notice
        assert "nope=1: no such field in the input schema" in notice
        assert "targetEntity" not in notice, "reserved parameters steer the screen, they are not fields"

        text = screen_text(pilot)
        assert "for component:default/shop" in text
        assert "(prefilled)" in text and "Not applied from the link" in text
        assert "execute" not in backend.calls, "opening a link never starts a run"


async def test_run_sends_only_after_review_with_the_links_target_entity(backend: FaultyBackend, clock: Any) -> None:
    url = "/orchestrator/workflows/greeting/execute?name=Ada+Lovelace&language=french&targetEntity=system:shop"
    app = app_for(backend, clock, url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LinkedExecuteScreen)
        assert notice_text(screen) == "2 fields prefilled from the link (marked “prefilled”)."
        assert not screen.query_one(f"#{NOTICE_ID}").has_class("-ignored")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert screen.page is Page.REVIEW and "execute" not in backend.calls
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert backend.calls.count("execute") == 1
        assert isinstance(app.screen, RunDetailScreen)
        run = await backend._inner.get_run(app.screen.run_id)
        assert run.processId == "greeting" and run.targetEntity == "system:default/shop"
        inputs = await backend._inner.get_input_schema("greeting", instance_id=run.id)
        assert inputs.data == {"name": "Ada Lovelace", "language": "French"}


async def test_instance_id_makes_that_runs_inputs_the_base(
    backend: FaultyBackend, clock: Any, tmp_path: Path
) -> None:
    earlier = await backend._inner.execute("greeting", {"language": "Spanish", "name": "Bruno"})
    drafts = DraftStore(tmp_path / "drafts")
    drafts.save("demo", "greeting", {"language": "German", "name": "Draft"})
    app = app_for(backend, clock, f"/orchestrator/workflows/greeting/execute?instanceId={earlier}&name=Carla")
    app.drafts = drafts
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LinkedExecuteScreen) and screen.model is not None
        assert screen.model.data == {"language": "Spanish", "name": "Carla"}
        assert screen.prefilled_paths == {"name"}, "only what the link's parameters set is marked"
        assert screen._draft is None, "no draft is offered over what the link asked for"
        assert "execute" not in backend.calls


async def test_bare_execute_link_offers_the_draft(backend: FaultyBackend, clock: Any, tmp_path: Path) -> None:
    drafts = DraftStore(tmp_path / "drafts")
    drafts.save("demo", "greeting", {"language": "German", "name": "Draft"})
    app = app_for(backend, clock, "/orchestrator/workflows/greeting/execute")
    app.drafts = drafts
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LinkedExecuteScreen)
        assert screen._draft is not None and not screen.query(f"#{NOTICE_ID}")


async def test_link_text_is_shown_literally(backend: FaultyBackend, clock: Any) -> None:
    url = "/orchestrator/workflows/greeting/execute?%5Bbold%5Dx=%5B@click=app.quit%5Dy&language=%5B/%5D"
    app = app_for(backend, clock, url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LinkedExecuteScreen)
        text = screen_text(pilot)
        assert "[bold]x=[@click=app.quit]y: no such field" in text
        assert "language=[/]: '[/]' is not one of" in text
        assert app.is_running


async def test_workflow_without_input_lists_every_parameter(backend: FaultyBackend, clock: Any) -> None:
    app = app_for(backend, clock, "/orchestrator/workflows/nightly-cleanup/execute?dryRun=true&targetEntity=a:b")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LinkedExecuteScreen) and screen.page is Page.NO_INPUT
        assert "dryRun=true: this workflow takes no input" in notice_text(screen)
        assert "execute" not in backend.calls


@pytest.mark.parametrize(
    ("path", "screens"),
    [
        ("/orchestrator", [WorkflowListScreen]),
        ("/orchestrator/workflows/greeting", [WorkflowListScreen, WorkflowDetailScreen]),
        ("/orchestrator/workflows/greeting/runs", [WorkflowListScreen, WorkflowDetailScreen, RunListScreen]),
        ("/orchestrator/entity/default/component/shop/greeting", [WorkflowListScreen, WorkflowDetailScreen]),
        ("/catalog/default/component/shop/workflows", [WorkflowListScreen]),
    ],
)
async def test_routes_open_their_screens(backend: FaultyBackend, clock: Any, path: str, screens: list[type]) -> None:
    app = app_for(backend, clock, "https://bs.example.com" + path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert stack(app) == screens
        top = app.screen
        if isinstance(top, WorkflowDetailScreen):
            assert top.workflow_id == "greeting"
        if "/entity/" in path or "/catalog/" in path:
            # The web UI's entity pages are entity-scoped: so is the console.
            assert app.scope is not None and app.scope.target == "component:default/shop"
            assert "⌖ component:shop" in screen_text(pilot)
        else:
            assert app.scope is None
        if isinstance(top, RunListScreen):
            assert top.workflow_id == "greeting" and top.query_state.filters.entity is None


@pytest.mark.parametrize("shape", ["/orchestrator/instances/{id}", "/orchestrator/entity/default/component/shop/greeting/{id}"])
async def test_run_routes_open_the_run(backend: FaultyBackend, clock: Any, shape: str) -> None:
    run_id = await backend._inner.execute("greeting", {"language": "English", "name": "x"})
    app = app_for(backend, clock, shape.format(id=run_id))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert stack(app) == [WorkflowListScreen, RunDetailScreen]
        assert isinstance(app.screen, RunDetailScreen) and app.screen.run_id == run_id


async def test_failed_load_retries_with_the_links_prefill(backend: FaultyBackend, clock: Any) -> None:
    backend.failing_calls.add("get_input_schema")
    app = app_for(backend, clock, "/orchestrator/workflows/greeting/execute?name=Ada&nope=1")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LinkedExecuteScreen) and screen.page is Page.FAILED
        backend.failing_calls.clear()
        await pilot.press("r")
        await settle(pilot)
        assert screen.page is Page.STEP and screen.model is not None and screen.model.get(("name",)) == "Ada"
        assert len(screen.query(f"#{NOTICE_ID}")) == 1 and "nope=1" in notice_text(screen)
