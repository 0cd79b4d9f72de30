"""The console against the orchestrator-core adapter, replaying recorded server exchanges.

Browse the workflows, start the 3-page create form (a page the server refuses, Back), watch a
run's steps, retry a failed run: the same screens as for Backstage, no backend-specific code."""

from __future__ import annotations

import copy
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import httpx
from textual.widgets import Button, DataTable, Input, RadioButton

from orch_tui.core.orchestrator_core import CoreBackend
from orch_tui.ui.app import OrchApp
from orch_tui.ui.screens.execute import ExecuteScreen, Page
from orch_tui.ui.screens.run_detail import RunDetailScreen
from orch_tui.ui.screens.workflow_detail import WorkflowDetailScreen
from orch_tui.ui.widgets.form import FieldBox
from ui_helpers import screen_text, settle, wait_until

_REPLAY = Path(__file__).parents[1] / "core" / "oc" / "replay.py"
_spec = importlib.util.spec_from_file_location("oc_replay_for_ui", _REPLAY)
assert _spec is not None and _spec.loader is not None
replay_module = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = replay_module
_spec.loader.exec_module(replay_module)

URL = "http://127.0.0.1:18081"
SIZE = (130, 45)


class LenientReplay:
    """Recorded exchanges for a whole console session: each is used once in order of need, and
    reads (GET, GraphQL) may be answered again with their last recording (screens poll)."""

    def __init__(self, exchanges: list[dict[str, Any]]) -> None:
        self.exchanges = exchanges
        self.used = [False] * len(exchanges)
        self.sent: list[dict[str, Any]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        key = replay_module.request_key(request)
        self.sent.append(key)
        again = None
        for index, exchange in enumerate(self.exchanges):
            if replay_module._same(exchange["request"], key):
                if not self.used[index]:
                    self.used[index] = True
                    return replay_module.response_of(exchange, request)
                again = exchange
        if again is not None and (key["method"] == "GET" or key["path"] == "/graphql"):
            return replay_module.response_of(again, request)
        return httpx.Response(599, json={"detail": f"unrecorded request {json.dumps(key)[:300]}"}, request=request)


def recorded(*names: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for name in names:
        group, key = name.split("/")
        out.extend(copy.deepcopy(replay_module.load(group)[key]))
    return out


def make_app(exchanges: list[dict[str, Any]]) -> tuple[OrchApp, LenientReplay]:
    handler = LenientReplay(exchanges + recorded("workflows/list_workflows", "workflows/translations"))
    backend = CoreBackend(URL, transport=httpx.MockTransport(handler), retries=0)
    return OrchApp(backend, context_name="core", refresh_interval=3600), handler


PRODUCT = "7a3c0f10-5b1e-4e55-9d2a-1ab0de0c0001"


def walk_exchange(index: int, body: list[dict[str, Any]]) -> dict[str, Any]:
    """The recorded create walk's answer ``index``, to the pages the console sends here."""
    exchange = recorded("forms/create_walk")[index]
    exchange["request"]["body"] = body
    return exchange


BASICS = {"role": "edge", "port_count": 8, "notes": None, "hostname": "rec-72e6dc"}
OPTIONS = {"hostname_check": "rec-72e6dc", "slow_seconds": 2, "failure_mode": "none", "notify": False}
TAKEN = {**BASICS, "hostname": "rec-taken"}


def refused_exchange() -> dict[str, Any]:
    """The server's 400 for the basics page: a field error and a page-wide (``__root__``) one."""
    exchange = walk_exchange(2, [{"product": PRODUCT}, TAKEN])
    body = exchange["response"]["body"]
    body["validation_errors"] = [
        {**body["validation_errors"][0], "loc": ["hostname"], "msg": "Host name rec-taken is in use"},
        {"type": "value_error", "loc": ["__root__"], "msg": "Edge nodes are full this week"},
    ]
    return exchange


def box(screen: ExecuteScreen, *path: str | int) -> FieldBox:
    form = screen.form
    assert form is not None
    found = form.box_at(path)
    assert found is not None, path
    return found


async def type_into(pilot: Any, screen: ExecuteScreen, path: tuple[str | int, ...], text: str) -> Input:
    field = box(screen, *path).query_one(Input)
    field.focus()
    field.value = ""
    await pilot.pause()
    await pilot.press(*text)
    await settle(pilot)
    return field


def title_of(screen: ExecuteScreen) -> str:
    return str(screen.query_one("#execute-title").render())


def form_posts(handler: LenientReplay) -> list[Any]:
    return [key["body"] for key in handler.sent if key["path"] == "/processes/create_lab_node"]


async def test_browse_the_workflows_and_open_one() -> None:
    app, handler = make_app(recorded("workflows/get_workflow", "workflows/ping"))
    async with app.run_test(size=SIZE) as pilot:
        names = ("Create lab node", "Change lab node (needs approval)", "Lab nap task", "Terminate lab node")
        await settle(pilot)
        await wait_until(pilot, lambda: all(name in screen_text(app) for name in names))
        app.open_workflow("create_lab_node")
        await settle(pilot)
        assert isinstance(app.screen, WorkflowDetailScreen)
        await wait_until(pilot, lambda: "Create lab node" in screen_text(app))
        assert "unrecorded" not in screen_text(app)


async def test_start_the_three_page_create_form() -> None:
    exchanges = recorded("workflows/get_workflow") + [
        walk_exchange(0, []),
        walk_exchange(1, [{"product": PRODUCT}]),
        refused_exchange(),
        walk_exchange(3, [{"product": PRODUCT}, BASICS]),
        walk_exchange(4, [{"product": PRODUCT}]),
        walk_exchange(5, [{"product": PRODUCT}, BASICS]),
        walk_exchange(6, [{"product": PRODUCT}, BASICS, OPTIONS]),
    ]
    started = exchanges[-1]["response"]["body"]["id"]
    app, handler = make_app(exchanges)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_execute("create_lab_node")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExecuteScreen) and screen.page is Page.STEP
        assert "Choose a product" in str(screen.query_one("#execute-steps").render())

        # The first page does not say whether more follow: it goes through the review, and Run
        # sends it; the server answers with the next page, nothing has started.
        box(screen, "product").query_one("Select").value = 0  # type: ignore[attr-defined]
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert screen.page is Page.REVIEW and "Lab Node" in screen_text(app)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert screen.page is Page.STEP and "page 2: Lab Node: basics" in title_of(screen)
        assert str(screen.query_one("#execute-next", Button).label) == "Next"
        assert screen.query_one("#execute-back", Button).disabled is False

        # The server refuses the page: its words at the field, the page-wide one at the top.
        await type_into(pilot, screen, ("hostname",), "rec-taken")
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert screen.page is Page.STEP and "page 2" in title_of(screen)
        assert "Host name rec-taken is in use" in screen_text(app)
        assert box(screen, "hostname").has_class("-invalid")
        assert "Edge nodes are full this week" in screen_text(app)

        # Fixed: the last page comes; Back returns to the basics with what was entered.
        await type_into(pilot, screen, ("hostname",), "rec-72e6dc")
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert "page 3: Run options" in title_of(screen)
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert "page 2" in title_of(screen)
        assert box(screen, "hostname").query_one(Input).value == "rec-72e6dc"
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert "page 3: Run options" in title_of(screen)

        # The last page: review, then Run starts the process and the console follows it.
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert screen.page is Page.REVIEW
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, RunDetailScreen) and app.screen.run_id == started
        assert form_posts(handler) == [
            [], [{"product": PRODUCT}], [{"product": PRODUCT}, TAKEN], [{"product": PRODUCT}, BASICS],
            [{"product": PRODUCT}], [{"product": PRODUCT}, BASICS], [{"product": PRODUCT}, BASICS, OPTIONS],
        ]


FAILED_RUN = "ca031f28-fb7a-4058-8eab-b115bcb5c4ee"


def run_exchanges() -> list[dict[str, Any]]:
    """The failed run as the detail fetches it, its inputs (the form's first page and the run),
    the retry (the adapter checks the run, then resumes it) and the run once it completed."""
    failed = recorded("runs/get_run_failed")[0]
    first_page = recorded("runs/input_schema_of_run")[0]
    return [
        failed, first_page, copy.deepcopy(failed), copy.deepcopy(first_page),
        *recorded("runs/retry", "runs/get_run_retried"),
    ]


def notices(app: OrchApp) -> list[str]:
    return [notification.message for notification in app._notifications]


async def test_watch_a_failed_run_and_retry_it() -> None:
    app, handler = make_app(run_exchanges())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        app.open_run(FAILED_RUN)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RunDetailScreen)
        text = screen_text(app)
        assert "✖ Failed" in text and "could not provision rec-72e6dc-once" in text

        # The steps: each executed one with its status word; the failed one marked, with its state.
        await pilot.press("2")
        await settle(pilot)
        text = screen_text(app)
        for step in ("✔ Start", "✔ Reserve resources (slow)", "✖ Provision node"):
            assert step in text
        assert "Set subscription to 'active'" not in text  # pending steps are not rows

        # The inputs of every page, not only the first page's (whose schema is all that is known).
        await pilot.press("3")
        await settle(pilot)
        text = screen_text(app)
        for shown in ("Product", "hostname", "rec-72e6dc-once", "port_count", "fail_once"):
            assert shown in text, shown
        assert "reporter" not in text and "workflow_target" not in text
        await pilot.press("2")
        await settle(pilot)
        table = screen.query_one("#node-table", DataTable)
        table.move_cursor(row=table.row_count - 1)
        await settle(pilot)
        detail = str(screen.query_one("#node-detail").render())
        assert "✖ failed · Provision node" in detail and "RuntimeError" in detail

        # Only tasks can be deleted: this failed workflow run offers delete greyed, with the reason.
        assert screen.check_action("delete_run", ()) is None
        assert "only tasks can be deleted" in (screen.blocked("delete_run") or "")
        assert screen.run is not None and screen.run.model_copy(update={"is_task": True}).delete_refusal is None

        # Retrigger is orchestrator-core's retry: the process resumes from its failed step.
        assert screen.check_action("retrigger", ()) is True
        await pilot.press("t")
        await settle(pilot)
        assert "Retriggered from the failed node." in notices(app)
        resumes = [key for key in handler.sent if key["method"] == "PUT"]
        assert resumes == [{"method": "PUT", "path": f"/processes/{FAILED_RUN}/resume", "query": [], "body": [{}]}]
        text = screen_text(app)
        assert "✔ Completed" in text
        assert "✔ Provision node · 2 attempts" in text and "✔ Done" in text


def resume_exchanges() -> tuple[str, list[dict[str, Any]]]:
    """The suspended process (its form), the server refusing an incomplete approval, the resume."""
    walk = recorded("forms/resume_walk")
    walk[1]["request"]["body"] = [{"approval": "INCOMPLETE"}]
    walk[2]["request"]["body"] = [{"approval": "ACCEPTED"}]
    return walk[0]["request"]["path"].rsplit("/", 1)[-1], walk


async def choose(pilot: Any, screen: ExecuteScreen, label: str) -> None:
    buttons = [button for button in box(screen, "approval").query(RadioButton) if label == str(button.label)]
    assert buttons, label
    buttons[0].value = True
    await settle(pilot)


async def test_resume_a_suspended_run_with_its_form() -> None:
    run_id, exchanges = resume_exchanges()
    app, handler = make_app(exchanges)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        app.open_run(run_id)
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, RunDetailScreen) and "ǁ Suspended" in screen_text(app)
        assert detail.check_action("resume", ()) is True
        await pilot.press("u")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExecuteScreen) and screen.page is Page.STEP
        assert "› Resume" in title_of(screen) and "I approve this change" in screen_text(app)

        await choose(pilot, screen, "Not yet accepted")
        await pilot.press("ctrl+r")  # to the review
        await settle(pilot)
        assert screen.page is Page.REVIEW
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert screen.page is Page.STEP and "Not all tasks are done" in screen_text(app)
        assert box(screen, "approval").has_class("-invalid")

        await choose(pilot, screen, "Accepted")
        await pilot.press("ctrl+r")
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.screen is detail and f"Resumed run {run_id}" in notices(app)
        puts = [key["body"] for key in handler.sent if key["method"] == "PUT"]
        assert puts == [[{"approval": "INCOMPLETE"}], [{"approval": "ACCEPTED"}]]


async def test_backstage_offers_no_resume_or_delete(make_demo_backend: Any, clock: Any) -> None:
    backend = make_demo_backend()
    assert not backend.info.capabilities
    app = OrchApp(backend, clock=clock, refresh_interval=3600)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        page = await backend.list_runs()
        app.open_run(page.items[0].id)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RunDetailScreen)
        assert screen.check_action("resume", ()) is False and screen.check_action("delete_run", ()) is False
        assert "Resume" not in screen_text(app) and "Delete" not in screen_text(app)
        await pilot.press("u")
        await pilot.pause()
        assert "Cannot resume: this orchestrator has no runs that await input" in notices(app)


async def test_abort_says_a_running_step_may_still_finish() -> None:
    running = recorded("runs/get_run_running")[0]
    run_id = running["request"]["path"].rsplit("/", 1)[-1]
    abort = {
        "request": {"method": "PUT", "path": f"/processes/{run_id}/abort", "query": [], "body": None},
        "response": {"status": 204, "headers": {}, "body": None},
    }
    app, handler = make_app([running, copy.deepcopy(running), abort])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        app.open_run(run_id)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RunDetailScreen) and "● Running" in screen_text(app)
        await pilot.press("2")
        await settle(pilot)
        text = screen_text(app)
        # The running step is the first pending one; the steps after it are not rows yet.
        assert "✔ Create Process Subscription relation" in text and "● Reserve resources (slow)" in text
        assert "Provision node" not in text
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("tab", "enter")  # Cancel is focused: move to Abort
        await settle(pilot)
        assert any(key["method"] == "PUT" and key["path"].endswith("/abort") for key in handler.sent)
        message = next(m for m in notices(app) if "aborted" in m)
        assert "does not stop a running step" in message and "may still finish" in message
