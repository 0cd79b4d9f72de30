"""The entity detail screen: a subscription on a replayed orchestrator-core, a catalog entity on the
demo.  Facts, the part tree, workflows (usable or blocked with the reason), runs, and the ways in."""

from __future__ import annotations

import copy
from typing import Any

from textual.widgets import DataTable, Input, Tree

from orch_tui.core.entity import EntityRef, parse_entity_ref
from orch_tui.ui.app import OrchApp
from orch_tui.ui.commands import OrchCommands
from orch_tui.ui.screens.command_line import CommandLine
from orch_tui.ui.widgets.value_viewer import ValueViewer
from orch_tui.ui.screens.entity_detail import EntityDetailScreen, RUNS_SHOWN
from orch_tui.ui.screens.entity_picker import EntityPickerScreen
from orch_tui.ui.screens.execute import ExecuteScreen
from orch_tui.ui.screens.run_detail import RunDetailScreen
from orch_tui.ui.screens.workflows import WorkflowListScreen
from test_core_backend import make_app, recorded
from ui_helpers import FaultyBackend, screen_text, settle, wait_until

SUBSCRIPTION = "9c0d27b7-5191-432f-98dd-f5bf67eda190"
SUB_REF = EntityRef.of("subscription", "default", SUBSCRIPTION)
CREATED_BY_IT = "3d2b7fb9-0705-43ef-a13b-6c0dc16e9fa8"
PAYMENTS = parse_entity_ref("component:payments-api")
SIZE = (120, 40)


def subscription_runs() -> list[dict[str, Any]]:
    """The subscription's processes, asked for as the screen asks (its newest runs)."""
    exchanges = recorded("lists/subscription_runs")
    exchanges[0]["request"]["query"] = [
        ["filter", f"subscriptionId,{SUBSCRIPTION}"], ["range", f"0,{RUNS_SHOWN}"], ["sort", "startedAt,desc"],
    ]
    return exchanges


def workflow_lookup(name: str) -> list[dict[str, Any]]:
    """``get_workflow(name)`` as the run form asks it, answered from the recorded workflow list."""
    exchange = recorded("workflows/get_workflow")[0]
    exchange["request"]["body"]["variables"]["filterBy"] = [{"field": "name", "value": name}]
    listed = recorded("workflows/list_workflows")[0]["response"]["body"]["data"]["workflows"]["page"]
    page = exchange["response"]["body"]["data"]["workflows"]
    page["page"] = [item for item in listed if item["name"] == name]
    assert page["page"], name
    return [exchange]


def core_app(*extra: dict[str, Any], workflows: str = "subscriptions/workflows_active",
             detail: list[dict[str, Any]] | None = None) -> tuple[OrchApp, Any]:
    exchanges = [*(detail or recorded("subscriptions/detail")), *recorded(workflows), *subscription_runs(), *extra]
    return make_app(exchanges)


def notices(app: OrchApp) -> list[str]:
    return [notification.message for notification in app._notifications]


def detail_screen(app: OrchApp) -> EntityDetailScreen:
    screen = app.screen
    assert isinstance(screen, EntityDetailScreen), screen
    return screen


async def open_detail(pilot: Any, ref: Any) -> EntityDetailScreen:
    """Open the entity detail of ``ref`` and let it load."""
    pilot.app.push_screen(EntityDetailScreen(ref))
    await settle(pilot)
    return detail_screen(pilot.app)


def tree_labels(screen: EntityDetailScreen) -> list[str]:
    tree: Tree[None] = screen.query_one("#entity-parts", Tree)
    labels: list[str] = []

    def walk(node: Any) -> None:
        labels.append(str(node.label))
        for child in node.children:
            walk(child)

    walk(tree.root)
    return labels


async def open_by_command(pilot: Any, text: str) -> None:
    await pilot.press("colon")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CommandLine)
    pilot.app.screen.query_one(Input).value = text
    await pilot.press("enter")
    await settle(pilot)


# -- orchestrator-core: a subscription -----------------------------------------------------------


async def test_a_subscription_its_blocks_workflows_and_runs() -> None:
    form_page = recorded("forms/validate_confirm")[:1]  # the validate form's first page: the subscription
    app, handler = core_app(*workflow_lookup("validate_lab_node"), *form_page, *recorded("runs/get_run_completed"))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await open_by_command(pilot, f"sub subscription:default/{SUBSCRIPTION}")
        screen = detail_screen(app)
        assert screen.ref == SUB_REF
        text = screen_text(pilot)
        assert "Subscription › Lab node rec-72e6dc (access, 4 ports)" in text
        for fact in ("active", "Lab Node (LAB, LabNode)", "Default::Orchestrator-Core Customer", "2026-11-22 18:27:41 UTC"):
            assert fact in text
        assert tree_labels(screen) == [
            "Product blocks", "LabNodeBlock", "label: —", "hostname: rec-72e6dc", "role: access", "portCount: 4",
            "notes: line one line two",
        ]
        assert "Workflows (4 · 3 usable)" in text
        assert "⊘ blocked: this workflow cannot run for a subscription that is active" in text
        assert text.count("✓ usable") == 3
        assert "Runs (1)" in text and "3d2b7fb9" in text

        # Enter on the blocked create workflow: why, with the server's key; nothing opens.
        table = screen.workflow_table
        assert app.focused is table and screen.current_workflow is not None
        assert screen.current_workflow.workflow_id == "create_lab_node"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert any(
            "Cannot run Create lab node: this workflow cannot run for a subscription that is active "
            "(subscription.no_modify_invalid_status)" in message for message in notices(app)
        )
        assert "subscription.no_modify_invalid_status" in screen_text(pilot)  # the line under the table
        assert not any(key["path"].startswith("/processes/create") for key in handler.sent)

        # Enter on validate: its run form for this subscription, the subscription page filled in with
        # it (shown to confirm: nothing is started before Run).
        await pilot.press("down", "down", "down")
        await settle(pilot)
        assert screen.current_workflow is not None and screen.current_workflow.workflow_id == "validate_lab_node"
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ExecuteScreen) and form.workflow_id == "validate_lab_node"
        assert form.target_entity == SUB_REF.target
        assert form.model is not None and form.model.data.get("subscription_id") == SUBSCRIPTION
        posts = [key["body"] for key in handler.sent if key["path"] == "/processes/validate_lab_node"]
        assert posts == [[]]

        # Back, then a run of the subscription opens.
        await pilot.press("escape")
        await settle(pilot)
        if app.screen is not screen:  # the form may ask before it is left
            await pilot.press("escape")
            await settle(pilot)
        assert app.screen is screen
        screen.run_table.focus()
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RunDetailScreen) and app.screen.run_id == CREATED_BY_IT


async def test_a_subscription_out_of_sync_says_so_for_all() -> None:
    app, _ = core_app(workflows="workflows/subscription_workflows_locked")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        screen = await open_detail(pilot, SUB_REF)
        text = screen_text(pilot)
        assert "⊘ No workflow can be started now:" in text and "(subscription.not_in_sync)" in text
        assert "Workflows (4 · 0 usable)" in text
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.screen is screen
        assert any("Cannot run Change lab node" in m and "subscription.not_in_sync" in m for m in notices(app))


HOSTILE = {
    "description": "[@click=app.quit]x",
    "note": "[/]",
    "block": "[red]Block[/red]",
    "value": "[b]bold[/b] $x ${y}",
}


def hostile_detail() -> list[dict[str, Any]]:
    exchanges = recorded("subscriptions/detail")
    item = exchanges[0]["response"]["body"]["data"]["subscriptions"]["page"][0]
    item["description"] = HOSTILE["description"]
    item["note"] = HOSTILE["note"]
    values = item["productBlockInstances"][0]["productBlockInstanceValues"]
    values[0]["value"] = HOSTILE["block"]
    values[2]["value"] = HOSTILE["value"]
    item["product"]["name"] = "[/]"
    return exchanges


async def test_untrusted_text_is_shown_literally() -> None:
    app, _ = core_app(detail=hostile_detail())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        screen = await open_detail(pilot, SUB_REF)
        text = screen_text(pilot)
        assert app.is_running
        assert f"Subscription › {HOSTILE['description']}" in text
        assert "[/] (LAB, LabNode)" in text
        labels = tree_labels(screen)
        assert HOSTILE["block"] in labels and f"hostname: {HOSTILE['value']}" in labels
        assert HOSTILE["block"] in text and HOSTILE["value"] in text
        facts = [str(label.render()) for label in screen.query(".entity-fact-value")]
        assert HOSTILE["note"] in facts and HOSTILE["description"] in facts
        await pilot.click("#entity-title")  # a click on the title is no action
        await settle(pilot)
        assert app.is_running and app.screen is screen


# -- Backstage (demo): a catalog entity -----------------------------------------------------------


async def test_a_catalog_entity_from_the_picker(make_demo_backend: Any, clock: Any) -> None:
    backend = make_demo_backend()
    app = OrchApp(backend, clock=clock, refresh_interval=3600)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, EntityPickerScreen)
        picker.query_one(Input).value = "component:payments-api"
        await pilot.press("ctrl+o")  # a typed reference: its details
        await settle(pilot)
        screen = detail_screen(app)
        assert screen.ref == PAYMENTS and app.scope is None
        text = screen_text(pilot)
        assert "Component › Payments API" in text
        for fact in ("group:default/payments", "service", "production", "Takes payments for the shop."):
            assert fact in text
        assert tree_labels(screen) == ["Relations", "ownedBy", "group:default/payments"]
        assert "✓ usable" in text and "⊘ blocked" not in text
        runs = (await backend.list_runs()).items
        ours = [run for run in runs if run.targetEntity == PAYMENTS.target]
        assert screen.run_table.row_count == len(screen.runs) and screen.runs
        assert all(run.targetEntity == PAYMENTS.target for run in screen.runs)
        assert len(screen.runs) >= len(ours)

        # A usable workflow: its run form, for this entity.
        first = screen.current_workflow
        assert first is not None
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ExecuteScreen) and form.workflow_id == first.workflow_id
        assert form.target_entity == PAYMENTS.target
        app.pop_screen()
        await settle(pilot)

        # A run of the entity.
        assert app.screen is screen
        run_id = screen.run_table.keys_in_order[0]
        screen.run_table.focus()
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RunDetailScreen) and app.screen.run_id == run_id

        # From the run, its entity's details again (d); s scopes the console to the entity.
        await pilot.press("d")
        await settle(pilot)
        again = detail_screen(app)
        assert again.ref == PAYMENTS and again is not screen
        await pilot.press("s")
        await settle(pilot)
        assert app.scope == PAYMENTS and isinstance(app.screen, WorkflowListScreen)

        # Scoped: the palette offers the scope's details, :sub without a reference opens them.
        entries = {entry.text: entry.callback for entry in OrchCommands(app.screen)._commands()}
        assert "Entity details" in entries
        await open_by_command(pilot, "sub")
        assert detail_screen(app).ref == PAYMENTS


async def test_the_picker_list_opens_details_with_d(make_demo_backend: Any, clock: Any) -> None:
    app = OrchApp(make_demo_backend(), clock=clock, refresh_interval=3600)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, EntityPickerScreen)
        table = picker.query_one("#entity-picker-table", DataTable)
        table.focus()
        table.move_cursor(row=table.get_row_index("resource:default/orders-db"))
        await pilot.pause()
        await pilot.press("d")
        await settle(pilot)
        screen = detail_screen(app)
        assert screen.ref == parse_entity_ref("resource:orders-db") and app.scope is None
        assert "Resource › orders-db" in screen_text(pilot)


async def test_a_workflow_the_permissions_deny_is_blocked(make_demo_backend: Any, clock: Any) -> None:
    app = OrchApp(make_demo_backend(user="developer"), clock=clock, refresh_interval=3600)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        screen = await open_detail(pilot, PAYMENTS)
        overview = screen.overview
        assert overview is not None
        ids = [wf.workflow_id for wf in overview.workflows]
        assert "data-migration" in ids
        screen.workflow_table.move_cursor(row=ids.index("data-migration"))
        await settle(pilot)
        why = "the permission policy denies you orchestrator.workflow.use for data-migration"
        assert why in screen_text(pilot)
        assert screen.workflow_table.check_action("select_cursor", ()) is None  # greyed
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen and any(why in message for message in notices(app))


async def test_read_only_starts_nothing(make_demo_backend: Any, clock: Any) -> None:
    app = OrchApp(make_demo_backend(), clock=clock, refresh_interval=3600, read_only=True)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        screen = await open_detail(pilot, PAYMENTS)
        assert screen.workflow_table.check_action("select_cursor", ()) is False  # not offered
        assert "· 0 usable)" in screen_text(pilot) and "⊘ blocked: read-only context" in screen_text(pilot)
        assert "Run" not in [binding.description for _, binding, enabled, _ in app.screen.active_bindings.values()
                             if enabled and binding.show]
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen and any("read-only context" in message for message in notices(app))


async def test_a_failed_load_is_shown_and_r_tries_again(make_demo_backend: Any, clock: Any) -> None:
    backend = FaultyBackend(make_demo_backend())
    backend.failing_calls = {"entity_overview", "list_runs"}
    app = OrchApp(backend, clock=clock, refresh_interval=3600)  # type: ignore[arg-type]
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        screen = await open_detail(pilot, PAYMENTS)
        text = screen_text(pilot)
        assert "Cannot reach embedded demo: connection refused" in text and "Press r to try again." in text
        assert "Could not load its runs" in text
        assert screen.overview is None
        backend.failing_calls = set()
        await pilot.press("r")
        await settle(pilot)
        text = screen_text(pilot)
        assert screen.overview is not None and "Payments API" in text
        assert "Press r to try again." not in text and "Could not load its runs" not in text

        # Loaded, a later failure keeps what is shown and marks it stale.
        backend.failing_calls = {"entity_overview"}
        await pilot.press("r")
        await settle(pilot)
        text = screen_text(pilot)
        assert "Payments API" in text and "STALE" in text


async def test_a_subscription_that_does_not_exist(make_demo_backend: Any, clock: Any) -> None:
    missing = copy.deepcopy(recorded("subscriptions/detail_missing"))
    nobody = "00000000-0000-0000-0000-000000000000"
    runs = subscription_runs()
    runs[0]["request"]["query"][0][1] = f"subscriptionId,{nobody}"
    runs[0]["response"]["body"] = []
    app, _ = make_app([*missing, *runs])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await open_by_command(pilot, f"entity-detail subscription:{nobody}")
        screen = detail_screen(app)
        assert screen.ref.name == nobody
        text = screen_text(pilot)
        assert "not found" in text and "No runs for subscription:default/" in text


async def test_a_hostile_catalog_entity_is_shown_literally() -> None:
    from orch_tui.core.connect import demo_backend
    from orch_tui.demo.hostile import hostile_ref

    target = hostile_ref(0)
    assert target == "component:default/[@click=app.quit]x"
    app = OrchApp(demo_backend(seed_runs=20, hostile=True), refresh_interval=3600)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        app.push_screen(EntityDetailScreen(parse_entity_ref(target)))
        await settle(pilot)
        screen = detail_screen(app)
        assert screen.overview is not None
        text = screen_text(pilot)
        assert "[@click=app.quit]x" in text
        title = screen.overview.title
        assert len(title) > 1_000_000
        # cut in place, whole in the viewer
        assert "v: whole title" in text
        await pilot.press("v")
        await settle(pilot)
        viewer = app.screen
        assert isinstance(viewer, ValueViewer)
        assert any(len(value.value) > 1_000_000 for value in viewer.values)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        await pilot.click("#entity-title", offset=(30, 0))
        await pilot.click("#entity-facts-box", offset=(20, 2))
        await settle(pilot)
        assert app.is_running and app.screen is screen


async def test_ascii_glyphs(make_demo_backend: Any, clock: Any) -> None:
    app = OrchApp(make_demo_backend(user="developer"), clock=clock, refresh_interval=3600, ascii_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_detail(pilot, PAYMENTS)
        table = screen.workflow_table
        cells = {str(key.value): table.get_row(key)[-1].plain for key in table.rows}
        assert cells["greeting"] == "+ usable"
        assert cells["data-migration"].startswith("- blocked: the permission policy denies you")


async def test_slash_filters_both_lists_with_counts_and_escape_clears(make_demo_backend: Any, clock: Any) -> None:
    app = OrchApp(make_demo_backend(), clock=clock, refresh_interval=3600)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = await open_detail(pilot, PAYMENTS)
        workflows = len(screen.visible_workflows)
        assert workflows > 1
        await pilot.press("slash")
        await pilot.press(*"greet")
        await settle(pilot)
        assert [workflow.workflow_id for workflow in screen.visible_workflows] == ["greeting"]
        title = str(screen.workflow_table.border_title)
        assert title.startswith(f"Workflows (1/{workflows}") and title.endswith("/greet")
        assert all("greet" in (run.processId or "") for run in screen.visible_runs)
        await pilot.press("enter")  # leaves the filter field; the filter stays
        await settle(pilot)
        assert screen.workflow_table.row_count == 1
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen  # Esc cleared the filter, it did not leave
        assert len(screen.visible_workflows) == workflows
        assert "/" not in str(screen.workflow_table.border_title)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is not screen


async def test_its_runs_are_polled_while_it_shows(make_demo_backend: Any, clock: Any) -> None:
    import asyncio

    backend = FaultyBackend(make_demo_backend())
    app = OrchApp(backend, clock=clock, refresh_interval=0.2)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = await open_detail(pilot, PAYMENTS)
        before = backend.calls.count("list_runs")
        await wait_until(pilot, lambda: backend.calls.count("list_runs") >= before + 2)
        app.push_screen(EntityDetailScreen(PAYMENTS))  # another screen on top: no polling beneath
        await settle(pilot)
        assert app.screen is not screen
        top = app.screen
        assert isinstance(top, EntityDetailScreen)
        top.runs_poller.stop()  # its own polling stopped, and a fetch it had started ended
        await settle(pilot)
        assert not screen.runs_poller.waiting and screen.runs_poller.due
        hidden = backend.calls.count("list_runs")
        await asyncio.sleep(0.7)
        assert backend.calls.count("list_runs") == hidden
        app.pop_screen()  # shown again: it catches up at once
        await wait_until(pilot, lambda: backend.calls.count("list_runs") > hidden)
        assert app.screen is screen
