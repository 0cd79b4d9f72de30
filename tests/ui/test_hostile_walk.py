"""Every screen against the demo's hostile data: shown literally, nothing fired, no escapes out."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, OptionList, TextArea

from orch_tui.core.connect import demo_backend
from orch_tui.core.entity import parse_entity_ref
from orch_tui.core.formatting import visible_text
from orch_tui.core.models import RunStatus
from orch_tui.core.recent import RecentEntities
from orch_tui.demo.hostile import HOSTILE_NAMES, MEGABYTE, hostile_ref
from orch_tui.ui.app import OrchApp
from orch_tui.ui.screens.entity_picker import EntityPickerScreen
from orch_tui.ui.screens.execute import ExecuteScreen, Page
from orch_tui.ui.screens.run_detail import RunDetailScreen
from orch_tui.ui.screens.runs import RunListScreen
from orch_tui.ui.screens.workflows import WorkflowListScreen
from orch_tui.ui.widgets.value_viewer import CLIP_LIMIT, PART, ValueViewer
from ui_helpers import screen_text, settle, wait_until

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
OWN_SEQUENCES = re.compile(r"\x1b\[[0-9;]*m|\x1b\[\d+;\d+H")
"""What the app itself writes around the text: colours and styles, cursor moves."""
STRAY = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
CLICK = "[@click=app.quit]x"
OPEN_SECONDS = 3.0
"""The viewer opens a megabyte in well under this (about 0.3 s headless); a loaded test box is slower."""


def terminal_output(pilot: Pilot[Any]) -> str:
    """What the app would write to the terminal for the whole screen (and the screens under it)."""
    app = pilot.app
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    assert update is not None
    return update.render_segments(app.console)


def check(pilot: Pilot[Any], where: str) -> str:
    text = screen_text(pilot)
    assert pilot.app.is_running, f"{where}: the app stopped"
    found = CONTROL.findall(text)
    assert not found, f"{where}: control characters reached the terminal: {found[:5]!r}"
    assert len(text) < 200_000, f"{where}: a long string was not cut"
    stray = STRAY.findall(OWN_SEQUENCES.sub("", terminal_output(pilot)))
    assert not stray, f"{where}: the terminal would get characters the app did not mean: {stray[:5]!r}"
    return text


def check_viewer(pilot: Pilot[Any], label: str, value: str) -> str:
    """The viewer shows ``value`` (its label, its length, its start with escapes neutralised)."""
    viewer = pilot.app.screen
    assert isinstance(viewer, ValueViewer), f"no viewer but {viewer!r}"
    text = check(pilot, f"viewer on {label}")
    assert viewer.current.label == label
    about = str(viewer.query_one("#value-viewer-about").render())
    assert f"{len(value):,} characters" in about
    if len(value) > PART:
        assert f"showing the first {PART:,} of {len(value):,} characters" in about
    shown = viewer.query_one("#value-viewer-text", TextArea).text
    assert shown == visible_text(value[:PART])
    assert not STRAY.search(shown.replace("\t", "")), "raw control characters in the view"
    head = visible_text(value[:12]).split("\n")[0]
    assert head in text, f"the start of {label} ({head!r}) is not on screen"
    return text


async def test_every_screen_shows_hostile_text_literally() -> None:
    app = OrchApp(demo_backend(seed_runs=20, hostile=True))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        text = check(pilot, "workflow list")
        assert "[/]" in text or "[@click=app.quit]x" in text

        app.open_workflow("greeting")
        await settle(pilot)
        check(pilot, "workflow detail")

        app.open_execute("greeting", initial_data={"name": "[/] [@click=app.quit]x"})
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExecuteScreen) and screen.page is Page.STEP
        check(pilot, "run form")
        await pilot.press("ctrl+r")
        await settle(pilot)
        check(pilot, "review")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, RunDetailScreen)
        for _ in range(40):
            await pilot.pause(0.2)
            if "Completed" in screen_text(pilot):
                break
        check(pilot, "run detail")
        for tab in "2345":
            await pilot.press(tab)
            await settle(pilot)
            check(pilot, f"run detail tab {tab}")

        runs = await app.backend.list_runs()
        failed = next(run for run in runs.items if run.state is not None and run.state.value == "ERROR")
        app.open_run(failed.id)
        await settle(pilot)
        check(pilot, "failed run detail")
        for tab in "12345":
            await pilot.press(tab)
            await settle(pilot)
            check(pilot, f"failed run detail tab {tab}")

        app.open_runs()
        await settle(pilot)
        check(pilot, "runs list")
        await pilot.press("question_mark")
        await settle(pilot)
        check(pilot, "help")
    assert app.return_code in (None, 0)


async def test_hostile_entities_and_whole_values(tmp_path: Path) -> None:
    recent = RecentEntities(tmp_path / "recent.json")
    app = OrchApp(demo_backend(seed_runs=20, hostile=True), recent_entities=recent)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, WorkflowListScreen)

        # The workflow list: the highlighted workflow whole; its description is a megabyte long.
        app.screen.table.move_to("greeting")
        started = time.perf_counter()
        await pilot.press("v")
        await pilot.pause()
        opened = time.perf_counter() - started
        viewer = app.screen
        assert isinstance(viewer, ValueViewer)
        description = app.workflows["greeting"].description or ""
        assert MEGABYTE in description
        viewer.query_one("#value-viewer-fields", OptionList).highlighted = 1
        await pilot.pause()
        check_viewer(pilot, "Description", description)
        assert opened < OPEN_SECONDS, f"the viewer took {opened:.2f}s to open"
        await pilot.press("c")
        assert app.clipboard == description, "c copies the whole value, as it is"
        await pilot.press("right_square_bracket")
        await pilot.pause()
        about = str(viewer.query_one("#value-viewer-about").render())
        assert f"showing characters {PART + 1:,}–{2 * PART:,} of {len(description):,}" in about
        check(pilot, "viewer, second part")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WorkflowListScreen)

        # The entity picker: hostile names (valid references), owners; an entity whole.
        await pilot.press("e")
        picker = app.screen
        assert isinstance(picker, EntityPickerScreen)
        for _ in range(50):
            await settle(pilot)
            if picker.searched is not None:
                break
            await pilot.pause(0.1)
        text = check(pilot, "entity picker")
        assert CLICK in text and "[bold]pwned" in text and "[31mred[0m[2j[h" in text
        await pilot.press("v")
        assert app.screen is picker, "v typed in the search box is text, not a key"
        await pilot.press("backspace")
        await settle(pilot)
        await wait_until(pilot, lambda: not picker.pending)
        await settle(pilot)
        assert picker.searched == ""
        await pilot.press("down")
        table = picker.query_one("#entity-picker-table", DataTable)
        target = hostile_ref(0)
        assert target == f"component:default/{CLICK}"
        table.move_cursor(row=table.get_row_index(target))
        await pilot.press("v")
        await pilot.pause()
        text = check_viewer(pilot, "Reference", target)
        assert CLICK in text
        await pilot.click("#value-viewer-text", offset=(20, 0))
        assert app.is_running, "clicking the literal [@click=app.quit]x fired nothing"
        entity = next(entity for entity in picker.results if entity.ref.target == target)
        title = entity.metadata.title or ""
        assert MEGABYTE in title
        viewer = app.screen
        assert isinstance(viewer, ValueViewer)
        viewer.query_one("#value-viewer-fields", OptionList).highlighted = 1
        await pilot.pause()
        check_viewer(pilot, "Title", title)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is picker

        # Scoped to the hostile entity: its workflows, its runs.
        await pilot.press("enter")
        await settle(pilot)
        assert app.scope == parse_entity_ref(target)
        text = check(pilot, "workflow list scoped to a hostile entity")
        assert CLICK in text
        assert [ref.target for ref in recent.load(app.context_name)] == [target]
        app.open_runs()
        await settle(pilot)
        assert isinstance(app.screen, RunListScreen)
        check(pilot, "runs of a hostile entity")
        app.set_scope(None)
        await settle(pilot)

        # Runs whose entity is a hostile name: the runs list, the run, the entity link.
        app.open_runs()
        await settle(pilot)
        runs = app.screen
        assert isinstance(runs, RunListScreen)
        hostile_targets = {f"component:default/{name.lower()}" for name in HOSTILE_NAMES}
        run = next(run for run in runs.runs if run.targetEntity in hostile_targets)
        runs.table.move_to(run.id)
        await pilot.press("v")
        await pilot.pause()
        viewer = app.screen
        assert isinstance(viewer, ValueViewer)
        labels = [value.label for value in viewer.values]
        viewer.query_one("#value-viewer-fields", OptionList).highlighted = labels.index("Entity")
        await pilot.pause()
        check_viewer(pilot, "Entity", run.targetEntity or "")
        await pilot.press("escape")
        await pilot.pause()

        # A run that failed with a megabyte-long hostile error: the error whole, found, copied.
        run_id = await app.backend.execute("flaky-deploy", {"service": "api", "imageTag": "v1"})
        app.open_run(run_id)
        detail = app.screen
        assert isinstance(detail, RunDetailScreen)
        for _ in range(60):
            await pilot.pause(0.2)
            if detail.run is not None and detail.run.status is RunStatus.ERROR and detail.run.error is not None:
                break
        await settle(pilot)
        assert detail.run is not None and detail.run.error is not None
        message = detail.run.error.message or ""
        assert MEGABYTE in message
        check(pilot, "failed run, error cut in place")
        shown = str(detail.query_one("#results-error .error-message").render())
        assert len(shown) < 2 * CLIP_LIMIT and shown.endswith(f"({len(message):,} characters · v shows it whole)")
        await pilot.press("v")
        await pilot.pause()
        check_viewer(pilot, "Error", message)
        await pilot.press("slash", *"readiness", "enter")
        await pilot.pause()
        viewer = app.screen
        assert isinstance(viewer, ValueViewer)
        assert viewer.query_one("#value-viewer-text", TextArea).selected_text.lower() == "readiness"
        await pilot.press("escape", "c")
        assert app.clipboard == message
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is detail
        for tab, label in (("2", "Node"), ("4", "Variable: service"), ("5", "Logs")):
            await pilot.press(tab)
            await settle(pilot)
            check(pilot, f"failed run tab {tab}")
            await pilot.press("v")
            await pilot.pause()
            viewer = app.screen
            assert isinstance(viewer, ValueViewer), f"tab {tab}: no viewer"
            check_viewer(pilot, viewer.current.label, viewer.current.value)
            assert label == viewer.current.label or (tab == "4" and viewer.current.label.startswith("Variable: "))
            await pilot.press("escape")
            await pilot.pause()
    assert app.return_code in (None, 0)
