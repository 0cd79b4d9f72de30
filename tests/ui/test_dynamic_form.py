"""Pilot tests of the dynamic form widgets against the demo orchestrator's proxy endpoints."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Markdown, Select

from orch_tui.core.backend import Backend
from orch_tui.core.connect import demo_backend
from orch_tui.demo import DEFAULT_WORKFLOWS, DemoWorkflow
from orch_tui.ui.app import OrchApp
from orch_tui.ui.playground import PlaygroundApp
from orch_tui.ui.screens.execute import ExecuteScreen, Page
from orch_tui.ui.widgets.dynamic_fields import (
    ActiveDropdownBox,
    ActiveInputBox,
    ActiveMultiBox,
    ActiveTextBox,
    DynamicBox,
)
from ui_helpers import FaultyBackend, settle, settle_fetches

SIZE = (100, 50)

BROKEN_FETCH_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "note": {"title": "Note", "type": "string"},
        "team": {
            "title": "Team",
            "type": "string",
            "ui:widget": "ActiveDropdown",
            "ui:props": {"fetch:url": "/api/proxy/demo/nowhere", "fetch:response:value": "teams.id"},
        },
        "quiet": {
            "title": "Quiet",
            "type": "string",
            "ui:widget": "ActiveTextInput",
            "ui:props": {"fetch:url": "/api/proxy/demo/nowhere", "fetch:error:silent": True},
        },
        "labels": {
            "title": "Labels",
            "type": "string",
            "ui:widget": "ActiveDropdown",
            "ui:props": {
                "fetch:url": "/api/proxy/demo/teams",
                "fetch:response:value": "teams.id",
                "fetch:response:label": "teams[0].name",
            },
        },
    },
}

WORKFLOWS = [*DEFAULT_WORKFLOWS, DemoWorkflow(id="broken-fetch", name="Broken fetch", input_schema=BROKEN_FETCH_SCHEMA)]


class Recording(FaultyBackend):
    """Remembers every run it starts, with its payload."""

    def __init__(self, inner: Backend) -> None:
        super().__init__(inner)
        self.executed: list[dict[str, Any]] = []

    async def execute(self, workflow_id: str, input_data: dict[str, Any], **options: Any) -> str:
        self.executed.append(input_data)
        return await self._inner.execute(workflow_id, input_data, **options)


def new_app() -> tuple[OrchApp, Recording]:
    backend = Recording(demo_backend(seed_runs=0, workflows=WORKFLOWS))
    return OrchApp(backend), backend


async def open_form(app: OrchApp, pilot: Pilot[Any], workflow_id: str = "create-repository") -> ExecuteScreen:
    await settle(pilot)
    app.open_execute(workflow_id)
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, ExecuteScreen) and screen.page is Page.STEP
    return screen


def box(screen: ExecuteScreen, key: str) -> DynamicBox:
    found = [b for b in screen.query(DynamicBox) if b.path == (key,)]
    assert found, key
    return found[0]


def status_of(found: DynamicBox) -> str:
    status = found.query_one(".field-dynamic")
    return str(status.render()) if status.display else ""


async def choose_team(pilot: Pilot[Any], screen: ExecuteScreen, team: str) -> None:
    dropdown = box(screen, "team")
    assert isinstance(dropdown, ActiveDropdownBox)
    dropdown.control.value = team
    await settle_fetches(pilot)


async def test_team_list_is_fetched_and_drives_the_other_fields() -> None:
    app, _ = new_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_form(app, pilot)
        dropdown = box(screen, "team")
        assert isinstance(dropdown, ActiveDropdownBox)
        labels = [str(prompt) for prompt, _ in dropdown.control._options if _ is not Select.NULL]
        assert labels == ["Platform Engineering", "Payments", "Data"]
        # Nothing asked yet for the fields waiting on the team (fetch:error:ignoreUnready).
        assert box(screen, "repository").fetches == 0
        assert "team" not in screen.model.data

        await choose_team(pilot, screen, "payments")
        data = screen.model.data
        assert data["team"] == "payments"
        assert data["repository"] == "payments-service", "ActiveTextInput takes fetch:response:value"
        assert data["reviewers"] == ["dave"], "the team lead is preselected and mandatory"
        reviewers = box(screen, "reviewers")
        assert isinstance(reviewers, ActiveMultiBox)
        options = [reviewers.control.get_option_at_index(i) for i in range(reviewers.control.option_count)]
        assert [(o.value, o.disabled) for o in options] == [("dave", True), ("erin", False)]
        summary = box(screen, "teamSummary")
        assert isinstance(summary, ActiveTextBox)
        assert summary.query_one(Markdown).source == "**Payments**: 2 members, led by dave."
        repository = box(screen, "repository")
        assert isinstance(repository, ActiveInputBox)
        assert repository.suggester.items == ["payments-api", "checkout-web", "ledger"]
        assert await repository.suggester.get_suggestion("LED") == "ledger"


async def test_changing_the_team_fetches_again_but_keeps_what_the_user_typed() -> None:
    app, _ = new_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_form(app, pilot)
        await choose_team(pilot, screen, "platform")
        assert screen.model.data["repository"] == "platform-service"
        summary = box(screen, "teamSummary")
        assert summary.fetches == 1

        repository = box(screen, "repository")
        assert isinstance(repository, ActiveInputBox)
        repository.control.value = "my-own-name"
        await settle_fetches(pilot)
        assert summary.fetches == 1, "typing elsewhere never refetches"

        await choose_team(pilot, screen, "data")
        data = screen.model.data
        assert data["repository"] == "my-own-name"
        assert data["reviewers"] == ["frank"], "the old team's members are gone, the new lead is in"
        assert summary.fetches == 2
        assert summary.query_one(Markdown).source == "**Data**: 4 members, led by frank."

        # Back to a team already asked about: answered from the cache.
        await choose_team(pilot, screen, "platform")
        assert summary.fetches == 2
        assert summary.query_one(Markdown).source == "**Platform Engineering**: 3 members, led by alice."


async def test_next_asks_the_validation_service_and_shows_its_answer_on_the_field() -> None:
    app, backend = new_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_form(app, pilot)
        await choose_team(pilot, screen, "payments")
        repository = box(screen, "repository")
        assert isinstance(repository, ActiveInputBox)
        repository.control.value = "ledger"
        await settle_fetches(pilot)

        await pilot.press("ctrl+n")
        await settle(pilot)
        assert screen.page is Page.STEP
        error = repository.query_one(".field-error")
        assert error.display and "ledger already exists (owned by Payments)" in str(error.render())
        assert screen.form is not None and screen.form.problems == [
            ("Repository name", "ledger already exists (owned by Payments)")
        ]

        repository.control.value = "ledger-two"
        await settle_fetches(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert screen.page is Page.REVIEW
        assert backend.executed == []


async def test_schema_updater_replaces_the_settings_and_run_sends_them() -> None:
    app, backend = new_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_form(app, pilot)
        assert screen.model.data["settings"] == {"namespace": "apps", "replicas": 2}
        titles = [b.field.title for b in screen.form.query(".form-field")]  # type: ignore[union-attr]
        assert "Namespace" in titles

        await choose_team(pilot, screen, "platform")
        assert screen.form is not None
        environment = screen.form.box_at(("environment",))
        assert environment is not None
        environment.query_one(Select).value = 1  # Virtual machine
        await settle_fetches(pilot)
        titles = [b.field.title for b in screen.form.query(".form-field")]  # type: ignore[union-attr]
        assert "Size" in titles and "Namespace" not in titles

        await pilot.press("ctrl+n")
        await settle(pilot)
        assert screen.page is Page.REVIEW
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert backend.executed == [
            {
                "team": "platform",
                "repository": "platform-service",
                "reviewers": ["alice"],
                "environment": "vm",
                "settings": {"size": "small", "backups": True},
            }
        ]


async def test_new_reviewers_can_be_added_and_the_lead_cannot_be_removed() -> None:
    app, _ = new_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_form(app, pilot)
        await choose_team(pilot, screen, "payments")
        reviewers = box(screen, "reviewers")
        assert isinstance(reviewers, ActiveMultiBox)
        new_item = reviewers.query_one(".field-new-item", Input)
        new_item.focus()
        new_item.value = "zed"
        await pilot.press("enter")
        await settle(pilot)
        assert screen.model.data["reviewers"] == ["dave", "zed"]
        assert new_item.value == "" and new_item.has_focus, "Enter adds the item and stays for the next"

        reviewers.control.focus()
        await pilot.press("home", "space")  # the lead is disabled: the first option reached is erin
        await settle(pilot)
        assert screen.model.data["reviewers"] == ["dave", "erin", "zed"]
        reviewers.control.deselect("dave")
        await settle(pilot)
        assert screen.model.data["reviewers"] == ["dave", "erin", "zed"], "the lead stays"

        # Another team: the typed-in reviewer stays, the old team's member goes.
        await choose_team(pilot, screen, "data")
        assert screen.model.data["reviewers"] == ["frank", "zed"]

        # To the review and back: the step is built again and remembers the typed-in item.
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert screen.page is Page.REVIEW
        await pilot.press("ctrl+b")
        await settle_fetches(pilot)
        reviewers = box(screen, "reviewers")
        assert isinstance(reviewers, ActiveMultiBox)
        assert screen.model.data["reviewers"] == ["frank", "zed"]
        assert reviewers.control.selected == ["frank", "zed"]


async def test_failed_fetch_is_shown_on_its_field_and_loses_nothing() -> None:
    app, _ = new_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_form(app, pilot, "broken-fetch")
        team = box(screen, "team")
        assert "GET /api/proxy/demo/nowhere answered HTTP 404" in status_of(team)
        assert team.query_one(".field-dynamic").has_class("-error")
        assert status_of(box(screen, "quiet")) == "", "fetch:error:silent hides the error"
        labels = box(screen, "labels")
        assert "1 labels for 3 values" in status_of(labels)

        note = screen.query_one("#execute-form").query(Input).first()
        note.value = "still here"
        await settle_fetches(pilot)
        assert screen.model.data["note"] == "still here"
        assert app.is_running and isinstance(app.screen, ExecuteScreen)


async def test_playground_says_dynamic_fields_are_not_fetched() -> None:
    schema = next(w for w in DEFAULT_WORKFLOWS if w.id == "create-repository").input_schema
    assert schema is not None
    app = PlaygroundApp(dict(schema), None, "repo.json")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        team = [b for b in app.screen.query(DynamicBox) if b.path == ("team",)][0]
        assert status_of(team) == "Not fetched: no orchestrator is connected to this form."
        repository = [b for b in app.screen.query(DynamicBox) if b.path == ("repository",)][0]
        assert isinstance(repository, ActiveInputBox)
        repository.control.value = "typed"
        await settle(pilot)
        assert app.screen.model.data["repository"] == "typed"  # type: ignore[attr-defined]
