"""Pilot tests of the run detail on the demo orchestrator, with a clock the tests move forward."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from conftest import FROZEN_NOW
from rich.text import Text
from textual.widgets import Log, Markdown, Tree
from ui_helpers import FaultyBackend, screen_text, settle, wait_until

from orch_tui.core.backend import Backend
from orch_tui.core.connect import demo_backend
from orch_tui.core.filters import SearchRequest, eq, page
from orch_tui.demo import DEFAULT_WORKFLOWS, DemoNode, DemoWorkflow, ManualClock
from orch_tui.ui.app import OrchApp
from orch_tui.ui.screens.run_detail import RunDetailScreen
from orch_tui.ui.screens.runs import RunListScreen
from orch_tui.ui.widgets.confirm import ConfirmDialog
from orch_tui.ui.widgets.failure import ErrorPanel
from orch_tui.ui.widgets.run_data import InputTable
from orch_tui.core.progress import visible_nodes
from orch_tui.ui.widgets.run_progress import NodeTable
from orch_tui.ui.widgets.run_results import LinkTable, NextWorkflowTable, SafeMarkdown
from orch_tui.ui.widgets.run_table import RunTable

SIZE = (80, 24)
CLOSE_TAG = "[/]"
CLICK = "[@click=app.quit]x"


def _hostile_result(workflow: DemoWorkflow, inputs: Any) -> dict[str, Any]:
    return {
        "message": f"{CLOSE_TAG} {CLICK} done",
        "outputs": [
            {"key": CLOSE_TAG, "value": CLICK, "format": "text"},
            {"key": "[b]docs[/b]", "value": f"https://example.com/{CLOSE_TAG}", "format": "link"},
            {"key": f"notes {CLOSE_TAG}", "value": f"{CLICK} and {CLOSE_TAG}", "format": "markdown"},
        ],
        "nextWorkflows": [{"id": "greeting", "name": CLICK}],
    }


HOSTILE = [
    DemoWorkflow(
        id="hostile-result",
        name=CLICK,
        description=f"deploy[prod] {CLOSE_TAG}",
        input_schema={
            "type": "object",
            "properties": {"note": {"title": f"{CLOSE_TAG} note", "type": "string"}},
        },
        nodes=(
            DemoNode("Start", "StartNode", 0.0),
            DemoNode(CLOSE_TAG, "ActionNode", 0.2),
            DemoNode(CLICK, "ActionNode", 0.2),
            DemoNode("End", "EndNode", 0.0),
        ),
        result=_hostile_result,
        seed_weight=0.0,
    ),
    DemoWorkflow(
        id="hostile-failure",
        name=CLOSE_TAG,
        input_schema={"type": "object", "properties": {"note": {"title": "Note", "type": "string"}}},
        nodes=(
            DemoNode("Start", "StartNode", 0.0),
            DemoNode(CLICK, "ActionNode", 0.5, fails_with=f"{CLOSE_TAG} boom {CLICK}"),
            DemoNode("End", "EndNode", 0.0),
        ),
        seed_weight=0.0,
    ),
]


class Recorder:
    """Stands in for ``app.open_execute``: remembers how it was called."""

    def __init__(self) -> None:
        self.calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        self.calls.append((args, kwargs))


@pytest.fixture
def manual_clock() -> ManualClock:
    return ManualClock(FROZEN_NOW)


@pytest.fixture
def backend(manual_clock: ManualClock) -> FaultyBackend:
    return FaultyBackend(demo_backend(clock=manual_clock, workflows=[*DEFAULT_WORKFLOWS, *HOSTILE]))


def make_app(backend: Any, clock: Any, **options: Any) -> OrchApp:
    options.setdefault("refresh_interval", 30)
    return OrchApp(backend, clock=clock, **options)


def notices(app: OrchApp) -> list[str]:
    return [notification.message for notification in app._notifications]


def detail(app: OrchApp) -> RunDetailScreen:
    screen = app.screen
    assert isinstance(screen, RunDetailScreen)
    return screen


def node_rows(app: OrchApp) -> list[str]:
    table = detail(app).query_one(NodeTable)
    return [table.get_cell(key, "node").plain for key in (row.key for row in table.ordered_rows)]


def field(app: OrchApp, key: str) -> str:
    return str(detail(app).query_one(f"#run-field-{key}").render())


async def open_run(pilot: Any, run_id: str) -> RunDetailScreen:
    await settle(pilot)
    pilot.app.open_run(run_id)
    await settle(pilot)
    return detail(pilot.app)


async def wait_for(pilot: Any, condition: Callable[[], bool]) -> None:
    await wait_until(pilot, condition)
    await settle(pilot)
    assert condition()


async def seeded(backend: Backend, state: str, workflow: str | None = None) -> str:
    page_ = await backend.list_runs(SearchRequest(filters=eq("state", state), paginationInfo=page(size=50)))
    for run in page_.items:
        if workflow is None or run.processId == workflow:
            return run.id
    raise AssertionError(f"no seeded {state} run of {workflow}")


async def poll(pilot: Any, advance: Callable[[], object]) -> None:
    advance()
    await pilot.press("r")
    await settle(pilot)


# -- following a run -----------------------------------------------------------------------


async def test_greeting_run_is_followed_to_completion(backend: FaultyBackend, manual_clock: ManualClock) -> None:
    app = make_app(backend, manual_clock, refresh_interval=0.05)
    run_id = await backend.execute(
        "greeting", {"language": "Spanish", "name": "Ana"}, target_entity="component:default/payments-api"
    )
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_run(pilot, run_id)
        assert node_rows(app) == ["✔ Start", "● ChooseOnLanguage"]
        assert field(app, "status") == "● Running"
        assert field(app, "entity") == "component:default/payments-api"
        assert field(app, "ended") == "— (still going)"
        assert screen.poller.live
        manual_clock.advance(seconds=0.6)
        await wait_for(pilot, lambda: len(node_rows(app)) == 3)
        assert node_rows(app) == ["✔ Start", "✔ ChooseOnLanguage", "● GreetPerson"]
        manual_clock.advance(seconds=2)
        await wait_for(pilot, lambda: field(app, "status") == "✔ Completed")
        assert node_rows(app) == ["✔ Start", "✔ ChooseOnLanguage", "✔ GreetPerson", "✔ PrintGreeting", "✔ End"]
        assert not screen.poller.live
        assert field(app, "duration") == "2.0s"
        text = screen_text(pilot)
        assert "Hola, Ana!" in text
        assert "Workflow completed at" in str(screen.query_one("#execution-summary").render())
        links = screen.query_one(LinkTable)
        assert links.links == [("Language reference", "https://en.wikipedia.org/wiki/Spanish_language")]
        assert "Characters" in text and "Greeting" in text
        next_table = screen.query_one(NextWorkflowTable)
        assert [w.id for w in next_table.workflows] == ["provision-environment", "onboard-team"]
        # Polling has stopped: no more fetches of the run.
        fetches = backend.calls.count("get_run")
        await pilot.pause(0.3)
        assert backend.calls.count("get_run") == fetches


async def test_failed_run_shows_the_failed_node_and_retrigger_recovers(
    backend: FaultyBackend, manual_clock: ManualClock
) -> None:
    app = make_app(backend, manual_clock)
    inputs = {"service": "payments-api", "imageTag": "v1", "simulatedFailures": 1}
    run_id = await backend.execute("flaky-deploy", inputs)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_run(pilot, run_id)
        assert screen.check_action("retrigger", ()) is None
        await poll(pilot, lambda: manual_clock.advance(seconds=3.5))
        assert field(app, "status") == "✖ Failed"
        error = str(screen.query_one("#results-error").query_one(".error-node").render())
        assert error.startswith("Failed node: Deploy (WorkItemNode)")
        message = str(screen.query_one("#results-error").query_one(".error-message").render())
        assert message.startswith("Deployment to staging timed out")
        assert node_rows(app)[-1] == "✖ Deploy"
        assert not screen.poller.live
        assert screen.check_action("retrigger", ()) is True
        assert screen.check_action("abort", ()) is True
        await pilot.press("t")
        await settle(pilot)
        assert "Retriggered from the failed node." in notices(app)
        assert field(app, "status") == "● Running"
        assert screen.poller.live
        assert not screen.query("#results-error")
        await poll(pilot, lambda: manual_clock.advance(seconds=2))
        assert field(app, "status") == "✔ Completed"
        # The failure of the first attempt is hidden, as the web UI hides it.
        assert node_rows(app) == [
            "✔ Start", "✔ Build image", "✔ Run tests", "✔ Deploy", "✔ Smoke test", "✔ End",
        ]


async def test_retrigger_that_fails_again_says_so(backend: FaultyBackend, manual_clock: ManualClock) -> None:
    app = make_app(backend, manual_clock)
    run_id = await backend.execute("flaky-deploy", {"service": "checkout-web", "simulatedFailures": 2})
    manual_clock.advance(seconds=3.5)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_run(pilot, run_id)
        await pilot.press("t")
        await settle(pilot)
        assert app._notifications
        last = list(app._notifications)[-1]
        assert last.title == "Run failed again"
        assert last.message.startswith("Deployment to staging timed out")
        assert field(app, "status") == "✖ Failed"


def test_failed_nodes_of_earlier_attempts_are_hidden() -> None:
    from orch_tui.core.models import ProcessInstance

    run = ProcessInstance.model_validate(
        {
            "id": "r",
            "state": "ERROR",
            "nodes": [
                {"id": "a", "name": "Start", "enter": "2026-01-01T00:00:00Z", "exit": "2026-01-01T00:00:00Z"},
                {"id": "b", "name": "Deploy", "enter": "2026-01-01T00:00:01Z", "errorMessage": "first"},
                {"id": "c", "name": "Deploy", "enter": "2026-01-01T00:00:05Z", "errorMessage": "second"},
            ],
            "error": {"nodeInstanceId": "c", "message": "second"},
        }
    )
    assert [node.id for node in visible_nodes(run)] == ["a", "c"]
    run.error = None
    assert [node.id for node in visible_nodes(run)] == ["a"]


# -- abort ----------------------------------------------------------------------------------


async def test_abort_asks_first_with_cancel_focused(backend: FaultyBackend, manual_clock: ManualClock) -> None:
    app = make_app(backend, manual_clock)
    run_id = await backend.execute("data-migration", {"database": "orders", "targetVersion": 3})
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_run(pilot, run_id)
        await pilot.press("a")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert dialog.focused is not None and dialog.focused.id == "confirm-cancel"
        text = screen_text(pilot)
        assert "Abort Database migration · run " + run_id[:8] in text
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert "abort" not in backend.calls
        # Enter on the focused button is Cancel too.
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert "abort" not in backend.calls
        # Moving to the confirm button and pressing it aborts.
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("right", "enter")
        await settle(pilot)
        assert app.screen is screen
        assert "abort" in backend.calls
        assert field(app, "status") == "⊘ Aborted"
        assert any("successfully aborted" in message for message in notices(app))
        assert not screen.poller.live
        assert screen.check_action("abort", ()) is None


async def test_abort_failure_is_reported_and_the_run_refetched(
    backend: FaultyBackend, manual_clock: ManualClock
) -> None:
    app = make_app(backend, manual_clock)
    run_id = await backend.execute("data-migration", {"database": "orders", "targetVersion": 3})
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_run(pilot, run_id)
        fetches = backend.calls.count("get_run")
        backend.failing_calls.add("abort")
        await pilot.press("a")
        await pilot.pause()
        await pilot.click("#confirm-ok")
        await settle(pilot)
        assert any("connection refused" in message for message in notices(app))
        assert backend.calls.count("get_run") > fetches
        assert field(app, "status") == "● Running"


# -- run again, next workflows, links --------------------------------------------------------


async def test_run_again_opens_the_form_prefilled_from_the_run(
    backend: FaultyBackend, manual_clock: ManualClock
) -> None:
    app = make_app(backend, manual_clock)
    recorder = Recorder()
    app.open_execute = recorder  # type: ignore[method-assign]
    run_id = await backend.execute(
        "greeting", {"language": "French", "name": "Zoé"}, target_entity="component:default/checkout-web"
    )
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_run(pilot, run_id)
        assert screen.check_action("run_again", ()) is None
        await pilot.press("x")
        await settle(pilot)
        assert not recorder.calls
        assert notices(app)[-1] == "Cannot run again: this run is running; it can be run again once it has finished"
        await poll(pilot, lambda: manual_clock.advance(seconds=5))
        await pilot.press("x")
        await settle(pilot)
        data = {"language": "French", "name": "Zoé"}
        prefill = {"initial_data": data, "target_entity": "component:default/checkout-web"}
        assert recorder.calls == [(("greeting",), prefill)]


async def test_next_workflow_opens_its_form_prefilled_from_this_run(
    backend: FaultyBackend, manual_clock: ManualClock
) -> None:
    app = make_app(backend, manual_clock)
    recorder = Recorder()
    app.open_execute = recorder  # type: ignore[method-assign]
    run_id = await backend.execute("greeting", {"language": "German", "name": "Jo"})
    manual_clock.advance(seconds=5)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_run(pilot, run_id)
        table = screen.query_one(NextWorkflowTable)
        table.focus()
        table.move_cursor(row=1)
        await pilot.press("enter")
        await settle(pilot)
        expected = await backend.get_input_schema("onboard-team", instance_id=run_id)
        prefill = {"initial_data": dict(expected.data or {}), "target_entity": None}
        assert recorder.calls == [(("onboard-team",), prefill)]


async def test_links_are_copied_or_opened_only_on_a_key(backend: FaultyBackend, manual_clock: ManualClock) -> None:
    app = make_app(backend, manual_clock)
    opened: list[str] = []
    app.open_url = lambda url, new_tab=True: opened.append(url)  # type: ignore[method-assign]
    run_id = await backend.execute("greeting", {"language": "Italian", "name": "Lia"})
    manual_clock.advance(seconds=5)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await open_run(pilot, run_id)
        url = "https://en.wikipedia.org/wiki/Italian_language"
        links = screen.query_one(LinkTable)
        links.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.clipboard == url
        assert not opened
        await pilot.press("o")
        await pilot.pause()
        assert opened == [url]
        # A link inside Markdown never fires anything.
        markdown = screen.query_one(SafeMarkdown)
        markdown.post_message(Markdown.LinkClicked(markdown, "https://evil.example.com"))
        await pilot.pause()
        assert opened == [url]


# -- blocked actions ---------------------------------------------------------------------------


async def test_read_only_offers_no_action_and_says_why(backend: FaultyBackend, manual_clock: ManualClock) -> None:
    app = make_app(backend, manual_clock, read_only=True)
    run_id = await backend.execute("flaky-deploy", {"service": "payments-api", "simulatedFailures": 1})
    manual_clock.advance(seconds=3.5)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_run(pilot, run_id)
        assert field(app, "status") == "✖ Failed"
        for action in ("abort", "retrigger", "run_again"):
            assert screen.check_action(action, ()) is False  # not offered, not even greyed
        assert not {"a", "t", "x"} & set(screen.active_bindings)
        await pilot.press("a")
        await pilot.pause()
        assert app.screen is screen
        assert notices(app)[-1] == "Cannot abort: read-only context"
        await pilot.press("t")
        await pilot.pause()
        assert notices(app)[-1] == "Cannot retrigger: read-only context"
        await pilot.press("x")
        await pilot.pause()
        assert notices(app)[-1] == "Cannot run again: read-only context: runs cannot be started"
        assert "abort" not in backend.calls and "retrigger" not in backend.calls


async def test_actions_that_do_not_apply_say_why(backend: FaultyBackend, manual_clock: ManualClock) -> None:
    app = make_app(backend, manual_clock)
    run_id = await seeded(backend, "COMPLETED", "greeting")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_run(pilot, run_id)
        assert screen.check_action("run_again", ()) is True
        await pilot.press("a")
        await pilot.pause()
        assert notices(app)[-1] == "Cannot abort: only running or failed runs can be aborted; this run is completed"
        await pilot.press("t")
        await pilot.pause()
        assert notices(app)[-1] == "Cannot retrigger: only failed runs can be retriggered; this run is completed"


async def test_retrigger_needs_an_input_schema(backend: FaultyBackend, manual_clock: ManualClock) -> None:
    app = make_app(backend, manual_clock)
    run_id = await seeded(backend, "ERROR", "nightly-cleanup")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_run(pilot, run_id)
        assert screen.check_action("retrigger", ()) is None
        await pilot.press("t")
        await pilot.pause()
        assert notices(app)[-1] == "Cannot retrigger: the workflow has no input schema"
        assert "retrigger" not in backend.calls


# -- tabs ---------------------------------------------------------------------------------------


async def test_inputs_variables_and_logs(backend: FaultyBackend, manual_clock: ManualClock) -> None:
    app = make_app(backend, manual_clock)
    run_id = await backend.execute("greeting", {"language": "Spanish", "name": "Ana"})
    manual_clock.advance(seconds=5)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_run(pilot, run_id)
        await pilot.press("3")
        await settle(pilot)
        inputs = screen.query_one(InputTable)
        assert [(row.title, row.value) for row in inputs.rows] == [("Language", "Spanish"), ("Name", "Ana")]
        assert "Language" in screen_text(pilot)
        await pilot.press("4")
        await settle(pilot)
        tree = screen.query_one(Tree)
        assert tree.root.label.plain == "workflowdata {2}"
        assert [child.label.plain for child in tree.root.children] == ['language: "Spanish"', 'name: "Ana"']
        await pilot.press("5")
        await settle(pilot)
        log = screen.query_one("#run-log", Log)
        assert log.line_count > 3
        assert any("Starting workflow 'greeting'" in line for line in log.lines)
        assert not screen.query_one("#logs-note").display


async def test_logs_grow_while_the_run_goes(backend: FaultyBackend, manual_clock: ManualClock) -> None:
    app = make_app(backend, manual_clock)
    run_id = await backend.execute("data-migration", {"database": "orders", "targetVersion": 3})
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_run(pilot, run_id)
        await pilot.press("5")
        await settle(pilot)
        log = screen.query_one("#run-log", Log)
        before = list(log.lines)
        await poll(pilot, lambda: manual_clock.advance(seconds=12))
        assert log.lines[: len(before)] == before
        assert log.line_count > len(before)


async def test_no_log_provider_is_said_plainly(manual_clock: ManualClock) -> None:
    backend = FaultyBackend(demo_backend(clock=manual_clock, logs_enabled=False))
    app = make_app(backend, manual_clock)
    async with app.run_test(size=SIZE) as pilot:
        run_id = await seeded(backend, "COMPLETED")
        screen = await open_run(pilot, run_id)
        await pilot.press("5")
        await settle(pilot)
        note = str(screen.query_one("#logs-note").render())
        assert note.startswith("Logs are not available: this backend has no log provider configured")
        assert not screen.query_one("#run-log").display
        assert not screen.query(ErrorPanel)


async def test_missing_run_shows_an_error_and_stops(backend: FaultyBackend, manual_clock: ManualClock) -> None:
    app = make_app(backend, manual_clock, refresh_interval=0.05)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_run(pilot, "00000000-0000-4000-8000-000000000000")
        panel = screen.query_one(ErrorPanel)
        assert panel.failure.title == "Not found"
        assert not screen.poller.live
        fetches = backend.calls.count("get_run")
        await pilot.pause(0.3)
        assert backend.calls.count("get_run") == fetches
        assert not app.link.stale


# -- freshness ---------------------------------------------------------------------------------


async def test_failure_keeps_the_run_marks_it_stale_and_recovers(
    backend: FaultyBackend, manual_clock: ManualClock
) -> None:
    app = make_app(backend, manual_clock, refresh_interval=0.05)
    run_id = await backend.execute("data-migration", {"database": "orders", "targetVersion": 3})
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_run(pilot, run_id)
        backend.failing = True
        await wait_for(pilot, lambda: app.link.stale)
        title = str(screen.query_one("#run-title-status").render())
        assert title.endswith("▲ STALE")
        assert screen.query_one("#run-tabs").has_class("-stale")
        assert field(app, "status") == "● Running"
        backend.failing = False
        manual_clock.advance(seconds=6)
        await wait_for(pilot, lambda: not app.link.stale)
        assert not screen.query_one("#run-tabs").has_class("-stale")
        assert "STALE" not in str(screen.query_one("#run-title-status").render())


async def test_hidden_run_stops_polling_and_catches_up(backend: FaultyBackend, manual_clock: ManualClock) -> None:
    app = make_app(backend, manual_clock, refresh_interval=0.05)
    run_id = await backend.execute("data-migration", {"database": "orders", "targetVersion": 3})
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_run(pilot, run_id)
        await pilot.press("question_mark")
        await settle(pilot)
        assert app.screen is not screen
        hidden_from = backend.calls.count("get_run")
        await pilot.pause(0.3)
        assert backend.calls.count("get_run") <= hidden_from + 1
        manual_clock.advance(seconds=6)
        await pilot.press("escape")
        await settle(pilot)
        assert backend.calls.count("get_run") >= hidden_from + 1
        assert node_rows(app)[-1] == "● Migrate schema"


# -- hostile text ----------------------------------------------------------------------------------


async def test_hostile_strings_render_literally(backend: FaultyBackend, manual_clock: ManualClock) -> None:
    app = make_app(backend, manual_clock)
    run_id = await backend.execute("hostile-result", {"note": f"{CLICK} {CLOSE_TAG}"}, target_entity=CLICK)
    manual_clock.advance(seconds=5)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_run(pilot, run_id)
        text = screen_text(pilot)
        assert f"Runs › {CLICK} › {run_id[:8]}" in text
        assert f"{CLOSE_TAG} {CLICK} done" in text
        assert CLICK in text and "[b]docs[/b]" in text
        assert f"https://example.com/{CLOSE_TAG}" in text
        assert f"{CLICK} and {CLOSE_TAG}" in text
        assert field(app, "entity") == CLICK
        assert field(app, "description") == f"deploy[prod] {CLOSE_TAG}"
        # Clicking on the rendered strings does nothing.
        await pilot.click("#run-title", offset=(10, 0))
        await pilot.click("#results-banner", offset=(2, 0))
        await pilot.click(SafeMarkdown, offset=(2, 0))
        await pilot.pause()
        assert app.is_running
        await pilot.press("2")
        await settle(pilot)
        assert node_rows(app)[1:3] == [f"✔ {CLOSE_TAG}", f"✔ {CLICK}"]
        await pilot.press("3")
        await settle(pilot)
        inputs = screen.query_one(InputTable)
        assert [(row.title, row.value) for row in inputs.rows] == [(f"{CLOSE_TAG} note", f"{CLICK} {CLOSE_TAG}")]
        assert f"{CLOSE_TAG} note" in screen_text(pilot)
        await pilot.press("4")
        await settle(pilot)
        labels = [child.label for child in screen.query_one(Tree).root.children]
        assert all(isinstance(label, Text) for label in labels)
        assert labels[0].plain == f'note: "{CLICK} {CLOSE_TAG}"'
        assert app.is_running


async def test_hostile_failure_renders_literally(backend: FaultyBackend, manual_clock: ManualClock) -> None:
    app = make_app(backend, manual_clock)
    run_id = await backend.execute("hostile-failure", {"note": CLOSE_TAG})
    manual_clock.advance(seconds=2)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_run(pilot, run_id)
        assert field(app, "status") == "✖ Failed"
        error = screen.query_one("#results-error")
        assert str(error.query_one(".error-node").render()).startswith(f"Failed node: {CLICK} (ActionNode)")
        assert str(error.query_one(".error-message").render()) == f"{CLOSE_TAG} boom {CLICK}"
        await pilot.press("2")
        await settle(pilot)
        assert node_rows(app)[-1] == f"✖ {CLICK}"
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        # The runs list shows the same strings as plain cells.
        app.open_runs()
        await settle(pilot)
        assert isinstance(app.screen, RunListScreen)
        table = app.screen.query_one(RunTable)
        assert table.get_cell(run_id, "workflow").plain == CLOSE_TAG
        assert app.is_running
