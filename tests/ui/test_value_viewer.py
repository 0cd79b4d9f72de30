"""The value viewer: a value whole, part by part, found, copied; escapes never reach the terminal."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import Input, OptionList, Static, TextArea, Tree

from orch_tui.core.formatting import visible_text
from orch_tui.core.models import ProcessInstance
from orch_tui.demo.hostile import HOSTILE
from orch_tui.resources import stylesheets
from orch_tui.ui.widgets.run_data import VariablesTree
from orch_tui.ui.widgets.value_viewer import (
    PART,
    ValueViewer,
    ViewedValue,
    clipped,
    data_values,
    run_detail_values,
)
from test_hostile_walk import check, check_viewer

LONG = "".join(HOSTILE) + "x" * (3 * PART) + " needle at the end"


class Host(App[None]):
    CSS_PATH = [str(path) for path in stylesheets()]

    def compose(self) -> ComposeResult:
        yield Static("under the viewer")


def about(viewer: ValueViewer) -> str:
    return str(viewer.query_one("#value-viewer-about").render())


async def test_parts_find_and_copy_cover_the_whole_value() -> None:
    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        viewer = ValueViewer("Hostile", [ViewedValue("Long", LONG), ViewedValue("Short", "[@click=app.quit]x")])
        app.push_screen(viewer)
        await pilot.pause()
        check_viewer(pilot, "Long", LONG)
        assert viewer.query_one("#value-viewer-fields", OptionList).has_focus
        await pilot.press("left_square_bracket")
        assert viewer.part == 0
        await pilot.press("right_square_bracket", "right_square_bracket", "right_square_bracket", "right_square_bracket")
        await pilot.pause()
        assert viewer.part == viewer.parts - 1 == 3
        shown = viewer.query_one("#value-viewer-text", TextArea).text
        assert shown == visible_text(LONG[3 * PART :]) and shown.endswith("needle at the end")
        assert f"of {len(LONG):,}" in about(viewer) and "part 4 of 4" in about(viewer)

        await pilot.press("left_square_bracket", "left_square_bracket", "left_square_bracket")
        await pilot.press("slash", *"NEEDLE", "enter")
        await pilot.pause()
        assert viewer.part == 3, "a match in another part shows that part"
        assert viewer.query_one("#value-viewer-text", TextArea).selected_text == "needle"
        await pilot.press("escape")
        assert not viewer.query_one("#value-viewer-find", Input).display, "Esc first closes the find box"
        assert viewer.query_one("#value-viewer-text", TextArea).has_focus
        await pilot.press("n")
        await pilot.pause()
        assert viewer.query_one("#value-viewer-text", TextArea).selected_text == "needle"
        notes: list[str] = []
        viewer.notify = lambda message, **_options: notes.append(message)  # type: ignore[method-assign]
        await pilot.press("slash", *"absent", "enter")
        await pilot.pause()
        assert notes == ["No match for absent"]
        await pilot.press("escape")

        await pilot.press("c")
        assert app.clipboard == LONG
        await pilot.press("shift+tab")
        await pilot.press("down")
        await pilot.pause()
        text = check_viewer(pilot, "Short", "[@click=app.quit]x")
        assert "[@click=app.quit]x" in text
        assert "Next part" not in text, "no part keys for a value shown whole"
        await pilot.click("#value-viewer-text", offset=(3, 0))
        await pilot.press("c")
        assert app.clipboard == "[@click=app.quit]x"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ValueViewer)
        assert app.is_running


async def test_a_single_value_opens_on_its_text_and_says_what_is_hidden() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        value = "\x1b]52;c;aGk=\x07 \u202eevil\u202c"
        app.push_screen(ValueViewer("One", [ViewedValue("Trap", value)]))
        await pilot.pause()
        check(pilot, "one hostile value")
        viewer = app.screen
        assert isinstance(viewer, ValueViewer)
        assert viewer.query_one("#value-viewer-text", TextArea).has_focus
        assert not viewer.query(OptionList)
        assert "4 control or invisible" in about(viewer)
        assert viewer.query_one("#value-viewer-text", TextArea).text == "␛]52;c;aGk=␇ \\u202eevil\\u202c"


def test_clipped_fields_say_how_long_they_are_and_how_to_see_them() -> None:
    assert clipped(None).plain == "—"
    assert clipped("  short\n").plain == "short"
    long = clipped("\x1b[2J" + "y" * 5_000)
    assert long.plain.startswith("[2Jyyy") and long.plain.endswith("(5,004 characters · v shows it whole)")
    assert "\x1b" not in long.plain


async def test_v_on_the_variables_tab_starts_at_the_highlighted_variable() -> None:
    data = {"project": {"name": "[/]", "owners": [{"id": "a"}, {"id": "b"}]}, "tags": ["x", "y"], "result": {}}
    run = ProcessInstance(id="r1", processId="wf", workflowdata=data)

    class TreeHost(App[None]):
        def compose(self) -> ComposeResult:
            yield VariablesTree(id="tree")

    app = TreeHost()
    async with app.run_test() as pilot:
        tree = app.query_one(VariablesTree)
        tree.show(data)
        await pilot.pause()
        paths: dict[str, Any] = {}

        def walk(node: Any) -> None:
            for child in node.children:
                paths[str(child.data)] = child
                walk(child)

        walk(tree.root)
        assert {"project.name", "project.owners[1].id", "tags", "tags[1]"} <= set(paths)
        values = data_values(data, "Variable: ")
        for path, start_label in (
            ("project.owners[1].id", "Variable: project.owners[1].id"),
            ("tags[1]", "Variable: tags"),
            ("project.owners", "Variable: project.name"),
        ):
            found, start = run_detail_values(run, "variables", variable=path)
            assert found[start].label == start_label, path
        assert [value.label for value in values][:3] == [
            "Variable: project.name", "Variable: project.owners[0].id", "Variable: project.owners[1].id"
        ]
        assert isinstance(tree, Tree)
