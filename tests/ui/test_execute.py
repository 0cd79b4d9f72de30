"""Pilot tests of the Run action and the run form, on the demo backend."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.widgets import Button, Input, Select, Switch

from orch_tui.core.backend import Backend
from orch_tui.core.errors import ServerError
from orch_tui.core.forms import MISSING
from orch_tui.demo import DEFAULT_WORKFLOWS, DemoWorkflow
from orch_tui.ui.app import OrchApp
from orch_tui.ui.screens.execute import ExecuteScreen, Page
from orch_tui.ui.screens.run_detail import RunDetailScreen
from orch_tui.ui.screens.workflow_detail import WorkflowDetailScreen
from orch_tui.ui.screens.workflows import WorkflowListScreen
from orch_tui.ui.widgets.form import ArrayBox, ChoiceBox, FieldBox
from orch_tui.ui.widgets.workflow_table import WorkflowTable
from ui_helpers import FaultyBackend, screen_text, settle

SIZE = (80, 24)
TALL = (100, 60)

CLOSE_TAG = "[/]"
CLICK = "[@click=app.quit]x"

HOSTILE_SCHEMA: dict[str, Any] = {
    "title": CLOSE_TAG,
    "type": "object",
    "properties": {
        "target": {
            "title": CLICK,
            "description": "deploy[prod] [bold red]pwned",
            "type": "string",
            "enum": [CLOSE_TAG, "a[b]"],
            "default": CLOSE_TAG,
        },
        "label": {"title": "a[b] [bold]label", "type": "string", "default": "[@click=app.quit]v[/]"},
    },
    "required": ["target"],
}

BROKEN_SCHEMA: dict[str, Any] = {
    "title": "Broken",
    "type": "object",
    "properties": {"thing": {"$ref": "#/definitions/missing"}},
}

MISC_SCHEMA: dict[str, Any] = {
    "title": "Odds and ends",
    "type": "object",
    "properties": {
        "labels": {"title": "Labels", "type": "object", "additionalProperties": {"type": "string"}},
        "mode": {"title": "Mode", "type": "string", "enum": ["fast", "safe"], "ui:widget": "radio"},
        "hosts": {"title": "Hosts", "type": "array", "items": {"type": "string"}},
        "pinned": {"title": "Pinned", "type": "string", "readOnly": True, "default": "v1"},
    },
}

EXTRA_WORKFLOWS = [
    DemoWorkflow(id="hostile-form", name=CLOSE_TAG, input_schema=HOSTILE_SCHEMA),
    DemoWorkflow(id="broken-form", name="Broken form", input_schema=BROKEN_SCHEMA),
    DemoWorkflow(id="misc-form", name="Odds and ends", input_schema=MISC_SCHEMA),
]


class ExecuteFails(FaultyBackend):
    """The demo backend, except that starting a run fails with the server's message."""

    async def execute(self, workflow_id: str, input_data: dict[str, Any], **options: Any) -> str:
        self.calls.append("execute")
        raise ServerError("Internal error: the workflow service rejected [/] the request")


@pytest.fixture
def backend(make_demo_backend: Callable[..., Backend]) -> FaultyBackend:
    return FaultyBackend(make_demo_backend(workflows=[*DEFAULT_WORKFLOWS, *EXTRA_WORKFLOWS]))


@pytest.fixture
def app(backend: FaultyBackend, clock: Any) -> OrchApp:
    return OrchApp(backend, clock=clock, refresh_interval=30)


# -- helpers -----------------------------------------------------------------


async def open_form(pilot: Any, workflow_id: str) -> ExecuteScreen:
    await settle(pilot)
    pilot.app.open_execute(workflow_id)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ExecuteScreen)
    return screen


def box(screen: ExecuteScreen, *path: str | int) -> FieldBox:
    form = screen.form
    assert form is not None
    found = form.box_at(path)
    assert found is not None, path
    return found


async def type_into(pilot: Any, screen: ExecuteScreen, path: tuple[str | int, ...], text: str) -> Input:
    field = box(screen, *path).query_one(Input)
    field.focus()
    await pilot.pause()
    await pilot.press(*text)
    await pilot.pause()
    return field


async def click(pilot: Any, selector: str) -> None:
    await pilot.click(selector)
    await settle(pilot)


def steps_line(screen: ExecuteScreen) -> str:
    return str(screen.query_one("#execute-steps").render())


def notices(app: OrchApp) -> list[str]:
    return [notification.message for notification in app._notifications]


def problems_text(screen: ExecuteScreen) -> str:
    form = screen.form
    assert form is not None
    return str(form.query_one(".form-problems").render())


def error_text(field: FieldBox) -> str:
    return str(field.query_children(".field-error").first().render())


# -- the Run action ------------------------------------------------------------


async def test_run_is_greyed_for_an_unavailable_workflow_and_says_why(app: OrchApp) -> None:
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WorkflowListScreen)
        table = screen.query_one(WorkflowTable)
        table.move_cursor(row=table.get_row_index("legacy-sync"))
        await pilot.pause()
        assert screen.check_action("run", ()) is None
        await pilot.press("x")
        await pilot.pause()
        assert app.screen is screen
        assert notices(app)[-1] == "Cannot run: Service Unavailable · HTTP 503"

        table.move_cursor(row=table.get_row_index("greeting"))
        await pilot.pause()
        assert screen.check_action("run", ()) is True

        app.open_workflow("legacy-sync")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, WorkflowDetailScreen)
        assert detail.check_action("run", ()) is None
        await pilot.press("x")
        await pilot.pause()
        assert app.screen is detail
        assert notices(app)[-1] == "Cannot run: Service Unavailable · HTTP 503"


async def test_run_is_not_offered_in_a_read_only_context(backend: FaultyBackend, clock: Any) -> None:
    app = OrchApp(backend, clock=clock, refresh_interval=30, read_only=True)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert app.screen.check_action("run", ()) is False
        assert "x" not in app.screen.active_bindings
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, WorkflowListScreen)
        assert notices(app)[-1] == "Cannot run: read-only context"
        app.open_workflow("greeting")
        await settle(pilot)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, WorkflowDetailScreen)
        assert notices(app)[-1] == "Cannot run: read-only context"

        # Even when opened directly, the form offers no Run, and says why.
        screen = await open_form(pilot, "greeting")
        await click(pilot, "#execute-next")
        assert screen.page is Page.REVIEW
        run = screen.query_one("#execute-run", Button)
        assert not run.display
        assert "read-only" in str(screen.query_one("#execute-status").render())
        assert screen.check_action("run", ()) is False
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert "execute" not in backend.calls
        assert notices(app)[-1] == "Cannot run: read-only context: runs cannot be started"


async def test_x_opens_the_form_from_the_list_and_the_detail(app: OrchApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(WorkflowTable)
        table.move_cursor(row=table.get_row_index("greeting"))
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ExecuteScreen)
        assert app.screen.workflow_id == "greeting"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, WorkflowListScreen)
        app.open_workflow("notify-team")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ExecuteScreen)
        assert app.screen.workflow_id == "notify-team"


# -- a single-step form ----------------------------------------------------------


async def test_greeting_form_review_and_run(app: OrchApp, backend: FaultyBackend) -> None:
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        app.open_workflow("greeting")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExecuteScreen)
        assert screen.page is Page.STEP
        assert steps_line(screen).startswith("Step 1 of 2")

        language = box(screen, "language").query_one(Select)
        assert language.value != Select.NULL
        assert "English" in str(language.query_one("SelectCurrent Static#label").render())

        form_before = screen.form
        name_box = box(screen, "name")
        name_input = await type_into(pilot, screen, ("name",), "Ada")
        assert screen.model is not None
        assert screen.model.get(("name",)) == "Ada"
        # Typing never rebuilds: the same widgets are still there.
        assert screen.form is form_before
        assert box(screen, "name") is name_box
        assert name_box.query_one(Input) is name_input

        await click(pilot, "#execute-next")
        assert screen.page is Page.REVIEW
        text = screen_text(pilot)
        assert "Language" in text and "English" in text
        assert "Name" in text and "Ada" in text

        await click(pilot, "#execute-run")
        started = [message for message in notices(app) if message.startswith("Started run ")]
        assert started
        run_id = started[-1].removeprefix("Started run ")
        assert isinstance(app.screen, RunDetailScreen) and app.screen.run_id == run_id
        run = await backend.get_run(run_id)
        assert run.processId == "greeting"
        assert run.workflowdata is not None
        assert run.workflowdata["name"] == "Ada"
        assert run.workflowdata["language"] == "English"


async def test_escape_leaves_without_asking(app: OrchApp, backend: FaultyBackend) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_form(pilot, "greeting")
        await type_into(pilot, screen, ("name",), "Bo")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, WorkflowListScreen)
        assert "execute" not in backend.calls


async def test_single_step_run_key_shows_the_review_first(app: OrchApp, backend: FaultyBackend) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_form(pilot, "greeting")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert screen.page is Page.REVIEW
        assert "execute" not in backend.calls


async def test_bad_email_is_reported_inline(app: OrchApp) -> None:
    async with app.run_test(size=TALL) as pilot:
        screen = await open_form(pilot, "schedule-maintenance")
        await type_into(pilot, screen, ("contact",), "not-an-email")
        await click(pilot, "#execute-next")
        assert screen.page is Page.STEP
        contact = box(screen, "contact")
        assert contact.has_class("-invalid")
        assert error_text(contact)
        assert "Contact e-mail" in problems_text(screen)
        date = box(screen, "date").query_one(Input)
        assert date.placeholder


# -- the wizard --------------------------------------------------------------------


async def test_provision_wizard(app: OrchApp) -> None:
    async with app.run_test(size=TALL) as pilot:
        screen = await open_form(pilot, "provision-environment")
        assert screen.model is not None and screen.model.multi_step
        line = steps_line(screen)
        assert line.startswith("Step 1 of 4 · Project")
        assert "● Project ○ Environment ○ Credentials ○ Review" in line
        assert "approval" not in line.lower()

        # Next is blocked by the empty required name.
        await click(pilot, "#execute-next")
        assert screen.step_key == "project"
        name = box(screen, "project", "name")
        assert name.has_class("-invalid")
        assert error_text(name)
        assert problems_text(screen).startswith("1 problem: Project name — ")

        await type_into(pilot, screen, ("project", "name"), "checkout")
        await click(pilot, "#execute-next")
        assert screen.step_key == "environment"
        assert steps_line(screen).startswith("Step 2 of 4 · Environment")
        # The hidden debug switch is not shown.
        assert not box(screen, "environment", "debug").display

        # Back keeps what was typed.
        await click(pilot, "#execute-back")
        assert screen.step_key == "project"
        assert box(screen, "project", "name").query_one(Input).value == "checkout"

        await click(pilot, "#execute-next")
        region = box(screen, "environment", "region").query_one(Select)
        region.value = 0
        await settle(pilot)
        await click(pilot, "#execute-next")
        assert screen.step_key == "credentials"
        await type_into(pilot, screen, ("credentials", "registryUser"), "robot")
        password = await type_into(pilot, screen, ("credentials", "registryPassword"), "hunter2-secret")
        assert password.password

        # Development tier: the approval step is skipped, straight to the review.
        await click(pilot, "#execute-next")
        assert screen.page is Page.REVIEW
        assert steps_line(screen).startswith("Step 4 of 4 · Review")
        text = screen_text(pilot)
        assert "******" in text
        assert "hunter2-secret" not in text
        assert "checkout" in text


async def test_production_tier_shows_the_approval_step(app: OrchApp) -> None:
    async with app.run_test(size=TALL) as pilot:
        screen = await open_form(pilot, "provision-environment")
        await type_into(pilot, screen, ("project", "name"), "payments")
        await click(pilot, "#execute-next")
        tier = box(screen, "environment", "tier").query_one(Select)
        tier.value = 2
        await settle(pilot)
        assert screen.model is not None
        assert screen.model.get(("environment", "tier")) == "production"
        assert "Step 2 of 5" in steps_line(screen)
        assert "Production approval" in steps_line(screen)


async def test_run_jumps_to_the_first_step_with_an_error(app: OrchApp, backend: FaultyBackend) -> None:
    async with app.run_test(size=TALL) as pilot:
        screen = await open_form(pilot, "provision-environment")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert screen.page is Page.STEP
        assert screen.step_key == "project"
        assert box(screen, "project", "name").has_class("-invalid")
        assert "execute" not in backend.calls


# -- branches, arrays ---------------------------------------------------------------------


async def test_one_of_switch_drops_the_old_branch(app: OrchApp) -> None:
    async with app.run_test(size=TALL) as pilot:
        screen = await open_form(pilot, "notify-team")
        assert screen.model is not None
        choice = box(screen, "channel")
        assert isinstance(choice, ChoiceBox)
        await type_into(pilot, screen, ("channel", "channel"), "#ops")
        assert screen.model.get(("channel", "channel")) == "#ops"
        message = box(screen, "message")

        choice.query_one(Select).value = 1
        await settle(pilot)
        assert screen.model.get(("channel", "channel")) is MISSING
        assert screen.model.get(("channel", "kind")) == "email"
        new_choice = box(screen, "channel")
        assert new_choice.query(ArrayBox)
        # Only the branch was rebuilt.
        assert box(screen, "message") is message


async def test_array_add_and_remove(app: OrchApp) -> None:
    async with app.run_test(size=TALL) as pilot:
        screen = await open_form(pilot, "onboard-team")
        assert screen.model is not None
        members = box(screen, "members")
        assert isinstance(members, ArrayBox)
        before = len(screen.model.get(("members",)) or [])

        await click(pilot, "#execute-form .form-array .array-add")
        members = box(screen, "members")
        assert len(screen.model.get(("members",))) == before + 1
        assert len(members.query(".array-item")) == before + 1

        await type_into(pilot, screen, ("members", before, "name"), "Ada")
        assert screen.model.get(("members", before, "name")) == "Ada"

        await click(pilot, "#execute-form .form-array .array-add")
        assert len(screen.model.get(("members",))) == before + 2
        remove = [b for b in box(screen, "members").query(".array-remove").results(Button)]
        remove[before].press()
        await settle(pilot)
        assert len(screen.model.get(("members",))) == before + 1
        assert len(box(screen, "members").query(".array-item")) == before + 1


# -- no input, failures ------------------------------------------------------------------


async def test_no_schema_notice_and_run(app: OrchApp, backend: FaultyBackend) -> None:
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_form(pilot, "nightly-cleanup")
        assert screen.page is Page.NO_INPUT
        assert "This workflow takes no input" in screen_text(pilot)
        await click(pilot, "#execute-run")
        started = [message for message in notices(app) if message.startswith("Started run ")]
        assert started
        run = await backend.get_run(started[-1].removeprefix("Started run "))
        assert run.processId == "nightly-cleanup"


async def test_failed_run_keeps_values_and_shows_the_message(
    make_demo_backend: Callable[..., Backend], clock: Any
) -> None:
    backend = ExecuteFails(make_demo_backend())
    app = OrchApp(backend, clock=clock, refresh_interval=30)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_form(pilot, "greeting")
        await type_into(pilot, screen, ("name",), "Ada")
        await click(pilot, "#execute-next")
        await click(pilot, "#execute-run")
        assert app.screen is screen
        assert screen.page is Page.REVIEW
        panel = screen.query_one("#execute-error")
        assert panel.display
        text = screen_text(pilot)
        assert "Server error" in text
        assert "the workflow service rejected [/] the request" in text
        assert screen.model is not None and screen.model.get(("name",)) == "Ada"
        assert not screen.query_one("#execute-run", Button).disabled
        await click(pilot, "#execute-back")
        assert box(screen, "name").query_one(Input).value == "Ada"


async def test_unavailable_workflow_shows_the_backend_message(app: OrchApp) -> None:
    async with app.run_test(size=TALL) as pilot:
        screen = await open_form(pilot, "legacy-sync")
        assert screen.page is Page.FAILED
        text = screen_text(pilot)
        assert "Server error" in text
        assert "Status Code: 503" in text
        assert "Press r to try again." in text


async def test_load_failure_shows_the_error_and_retries(app: OrchApp, backend: FaultyBackend) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        backend.failing_calls = {"get_input_schema"}
        screen = await open_form(pilot, "greeting")
        assert screen.page is Page.FAILED
        assert "Backend unreachable" in screen_text(pilot)
        backend.failing_calls = set()
        await pilot.press("r")
        await settle(pilot)
        assert screen.page is Page.STEP


async def test_malformed_schema_shows_the_error_panel(app: OrchApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_form(pilot, "broken-form")
        assert screen.page is Page.FAILED
        assert screen.query_one("#execute-schema-error").display
        assert "Invalid input schema" in screen_text(pilot)


async def test_schema_text_renders_literally(app: OrchApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_form(pilot, "hostile-form")
        assert screen.page is Page.STEP
        text = screen_text(pilot)
        assert f"Workflows › {CLOSE_TAG} › Run" in text
        assert CLICK in text
        assert "deploy[prod] [bold red]pwned" in text
        assert "a[b] [bold]label" in text
        assert "[@click=app.quit]v[/]" in box(screen, "label").query_one(Input).value
        current = box(screen, "target").query_one(Select).query_one("SelectCurrent Static#label")
        assert CLOSE_TAG in str(current.render())
        await pilot.click(".form-field.-titled")  # on its title
        await pilot.pause()
        assert app.is_running
        # The options of the drop-down, too.
        box(screen, "target").query_one(Select).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert "a[b]" in screen_text(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        await click(pilot, "#execute-next")
        text = screen_text(pilot)
        assert CLICK in text and CLOSE_TAG in text
        assert app.is_running


async def test_switch_field_writes_a_boolean(app: OrchApp) -> None:
    async with app.run_test(size=TALL) as pilot:
        screen = await open_form(pilot, "schedule-maintenance")
        assert screen.model is not None
        switch = box(screen, "notifyCustomers").query_one(Switch)
        assert switch.value is True
        switch.toggle()
        await settle(pilot)
        assert screen.model.get(("notifyCustomers",)) is False


async def test_key_value_entries_lists_and_radios(app: OrchApp) -> None:
    async with app.run_test(size=TALL) as pilot:
        screen = await open_form(pilot, "misc-form")
        assert screen.model is not None
        assert "v1" in str(box(screen, "pinned").query_one(".field-readonly").render())

        await click(pilot, "#execute-form .form-key_value .array-add")
        assert screen.model.get(("labels",)) == {"newKey": ""}
        key = box(screen, "labels").query_one(".kv-key", Input)
        assert app.focused is key
        await pilot.press("ctrl+u", *"env", "tab", *"prod")
        await pilot.pause()
        assert screen.model.get(("labels",)) == {"env": "prod"}

        hosts = box(screen, "hosts")
        for name in ("alpha", "beta"):
            await click(pilot, "#execute-form .form-array .array-add")
            await pilot.press(*name)
            await pilot.pause()
        assert screen.model.get(("hosts",)) == ["alpha", "beta"]
        up = [button for button in box(screen, "hosts").query(".array-up").results(Button)]
        up[1].press()
        await settle(pilot)
        assert screen.model.get(("hosts",)) == ["beta", "alpha"]
        assert box(screen, "hosts") is not hosts
        assert [field.query_one(Input).value for field in box(screen, "hosts").child_boxes()] == ["beta", "alpha"]

        radios = box(screen, "mode").query("RadioButton")
        radios[1].value = True
        await settle(pilot)
        assert screen.model.get(("mode",)) == "safe"

        await pilot.press("ctrl+r")
        await settle(pilot)
        assert screen.page is Page.REVIEW
        text = screen_text(pilot)
        assert "env" in text and "prod" in text
        assert "beta, alpha" in text


# -- drafts ------------------------------------------------------------------


async def test_draft_saved_offered_restored_and_cleared(backend: FaultyBackend, clock: Any, tmp_path: Any) -> None:
    from orch_tui.core.drafts import DraftStore

    drafts = DraftStore(tmp_path / "drafts")
    app = OrchApp(backend, clock=clock, refresh_interval=30, drafts=drafts)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_form(pilot, "greeting")
        await type_into(pilot, screen, ("name",), "Draftee")
        await pilot.press("escape")
        await settle(pilot)
        saved = drafts.load("demo", "greeting")
        assert saved is not None and saved.data["name"] == "Draftee"

        screen = await open_form(pilot, "greeting")
        assert any("ctrl+d restores it" in message for message in notices(app))
        assert screen.model is not None and screen.model.get(("name",)) != "Draftee"
        await pilot.press("ctrl+d")
        await settle(pilot)
        assert screen.model is not None and screen.model.get(("name",)) == "Draftee"
        assert box(screen, "name").query_one(Input).value == "Draftee"

        await pilot.press("ctrl+r")
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert any(message.startswith("Started run ") for message in notices(app))
        assert drafts.load("demo", "greeting") is None


async def test_draft_never_keeps_passwords(backend: FaultyBackend, clock: Any, tmp_path: Any) -> None:
    from orch_tui.core.drafts import DraftStore

    drafts = DraftStore(tmp_path / "drafts")
    app = OrchApp(backend, clock=clock, refresh_interval=30, drafts=drafts)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_form(pilot, "provision-environment")
        assert screen.model is not None
        password = next(f for f in screen.model.root.walk() if f.widget == "password")
        screen.model.set(password.path, "hunter2-secret")
        first = next(f for f in screen.model.root.walk() if f.is_leaf and f.widget == "text")
        screen.model.set(first.path, "kept")
        await pilot.press("escape")
        await settle(pilot)
    text = "".join(p.read_text() for p in (tmp_path / "drafts").glob("*.json"))
    assert "kept" in text and "hunter2-secret" not in text


async def test_sign_in_tokens_from_the_context_are_sent(
    make_demo_backend: Callable[..., Backend], clock: Any
) -> None:
    from pydantic import SecretStr

    sent: list[Any] = []

    class Recording(FaultyBackend):
        async def execute(self, workflow_id: str, input_data: dict[str, Any], **options: Any) -> str:
            sent.append(options.get("auth_tokens"))
            return await self._inner.execute(workflow_id, input_data, **options)

    backend = Recording(make_demo_backend())
    app = OrchApp(backend, clock=clock, refresh_interval=30, provider_tokens={"github": SecretStr("gh-secret")})
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_form(pilot, "rotate-secrets")
        assert "github token is sent" in screen_text(pilot)
        await type_into(pilot, screen, ("newSecret",), "correct-horse-battery")
        await pilot.press("ctrl+r")
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
    assert len(sent) == 1 and [(t.provider, t.token) for t in sent[0]] == [("github", "gh-secret")]
