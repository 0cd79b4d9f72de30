"""Pilot tests of a long step (300 fields on one page): a screenful is mounted first, the rest in
batches, the batches far from the view are folded, and the form behaves as if every field had been
there from the start."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from textual.widgets import Input, Select, Switch

from orch_tui.core.backend import Backend
from orch_tui.core.forms import MISSING
from orch_tui.demo import DemoWorkflow
from orch_tui.ui.app import OrchApp
from orch_tui.ui.screens.execute import ExecuteScreen, Page
from orch_tui.ui.widgets.form import (
    FieldBatch,
    FieldBox,
    FieldInput,
    FormView,
    MoreFields,
    ObjectBox,
    ReviewTable,
    compact,
    estimated_rows,
    owner_box,
)
from ui_helpers import settle

SIZE = (80, 24)
FIELDS = 300


def name(index: int) -> str:
    return f"f{index:03d}"


def long_schema(
    count: int = FIELDS, *, required: tuple[int, ...] = (), extra: dict[int, Any] | None = None
) -> dict[str, Any]:
    """``count`` fields on one step: text, number, switch, drop-down, list and e-mail, in turn.

    The e-mail fields are hidden while the drop-down ``f003`` says "three".
    """
    properties: dict[str, Any] = {}
    for index in range(count):
        kind = index % 6
        title = f"Field {index}"
        if kind == 0:
            schema: dict[str, Any] = {"type": "string", "title": title}
        elif kind == 1:
            schema = {"type": "integer", "title": title, "minimum": 0}
        elif kind == 2:
            schema = {"type": "boolean", "title": title, "default": False}
        elif kind == 3:
            schema = {"type": "string", "title": title, "enum": ["one", "two", "three"], "default": "one"}
        elif kind == 4:
            schema = {"type": "array", "title": title, "items": {"type": "string"}}
        else:
            schema = {"type": "string", "format": "email", "title": title, "ui:hidden": {"when": "f003", "is": "three"}}
        schema.update((extra or {}).get(index, {}))
        properties[name(index)] = schema
    return {"type": "object", "properties": properties, "required": [name(index) for index in required]}


SHORTER = 120
"""Fields of the forms of the tests that need a long step, not the longest one."""

EVERY_KIND: dict[str, Any] = {
    "type": "object",
    "properties": {
        "text": {"type": "string"},
        "described": {"type": "string", "description": "One line of help"},
        "switch": {"type": "boolean"},
        "described_switch": {"type": "boolean", "description": "Help"},
        "choice": {"type": "string", "enum": ["a", "b"]},
        "radio": {"type": "string", "enum": ["a", "b", "c"], "ui:widget": "radio"},
        "checks": {"type": "array", "items": {"type": "string", "enum": ["x", "y", "z"]}, "uniqueItems": True},
        "area": {"type": "string", "ui:widget": "textarea"},
        "empty_list": {"type": "array", "items": {"type": "string"}},
        "list": {"type": "array", "items": {"type": "string"}, "default": ["p", "q"]},
        "boxes": {
            "type": "array",
            "items": {"type": "object", "properties": {"x": {"type": "string"}}},
            "default": [{"x": "1"}],
        },
        "group": {"type": "object", "properties": {"x": {"type": "string"}, "y": {"type": "boolean"}}},
        "pairs": {"type": "object", "additionalProperties": {"type": "string"}},
        "branch": {
            "oneOf": [
                {"title": "A", "type": "object", "properties": {"x": {"type": "string"}}},
                {"title": "B", "type": "object", "properties": {"y": {"type": "integer"}}},
            ]
        },
        "fixed": {"type": "string", "readOnly": True, "default": "v"},
        "secret": {"type": "string", "ui:widget": "hidden"},
    },
}
"""A field of each kind, for the rows each one takes."""

WORKFLOWS = [
    DemoWorkflow(id="long", name="Long form", input_schema=long_schema()),
    DemoWorkflow(id="long-required", name="Long form", input_schema=long_schema(required=(252, 282))),
    DemoWorkflow(id="shorter", name="Long form", input_schema=long_schema(SHORTER)),
    DemoWorkflow(id="shorter-required", name="Long form", input_schema=long_schema(SHORTER, required=(102,))),
    DemoWorkflow(id="kinds", name="Every kind", input_schema=EVERY_KIND),
    DemoWorkflow(
        id="shorter-autofocus", name="Long form", input_schema=long_schema(SHORTER, extra={102: {"ui:autofocus": True}})
    ),
]


@pytest.fixture
def app(make_demo_backend: Callable[..., Backend], clock: Any) -> OrchApp:
    return OrchApp(make_demo_backend(workflows=WORKFLOWS), clock=clock, refresh_interval=3600)


@pytest.fixture
def big_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches as big as they go from the start: the same behaviour, in fewer steps."""
    import orch_tui.ui.widgets.form as form_module

    monkeypatch.setattr(form_module, "FIRST_FILL_BATCH", form_module.FILL_BATCH_MAX)
    monkeypatch.setattr(form_module, "FILL_BATCH_SECONDS", 60.0)


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], None]]:
    """Hold back the batches: the step stays at its first screenful until ``release()``."""
    real_fill = FormView.fill
    waiting: list[tuple[FormView, ObjectBox]] = []
    monkeypatch.setattr(FormView, "fill", lambda form, box: waiting.append((form, box)))

    def release() -> None:
        monkeypatch.setattr(FormView, "fill", real_fill)
        for form, box in waiting:
            if box.is_attached:
                real_fill(form, box)
        waiting.clear()

    yield release


# -- helpers -----------------------------------------------------------------


async def open_long(pilot: Any, workflow_id: str = "long", **options: Any) -> ExecuteScreen:
    await settle(pilot)
    pilot.app.open_execute(workflow_id, **options)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ExecuteScreen) and screen.page is Page.STEP
    return screen


async def quiet(pilot: Any, screen: ExecuteScreen) -> None:
    """Until the screen has nothing left to lay out or draw, and the form nothing to fold."""
    form, calm = form_of(screen), 0
    for _ in range(100):
        await pilot.pause()
        busy = (
            screen._layout_required
            or screen._scroll_required
            or screen._layout_widgets
            or screen._dirty_widgets
            or form._refold_pending
        )
        calm = 0 if busy else calm + 1
        if calm == 2:
            return
    raise AssertionError("the screen never settled")


def form_of(screen: ExecuteScreen) -> FormView:
    form = screen.form
    assert form is not None
    return form


def root_of(screen: ExecuteScreen) -> ObjectBox:
    root = form_of(screen).root_box
    assert isinstance(root, ObjectBox)
    return root


def field_paths(screen: ExecuteScreen) -> list[tuple[str | int, ...]]:
    """The paths of the step's field boxes, in the order they are on screen."""
    return [box.path for box in root_of(screen).child_boxes()]


def box(screen: ExecuteScreen, index: int) -> FieldBox:
    found = form_of(screen).box_at((name(index),))
    assert found is not None, name(index)
    return found


def top_box(widget: Any, root: ObjectBox) -> FieldBox | None:
    """The step's field that holds ``widget``."""
    node = owner_box(widget) if not isinstance(widget, FieldBox) else widget
    while node is not None and owner_box(node) is not root:
        node = owner_box(node)
    return node


def focused_field(pilot: Any, screen: ExecuteScreen) -> str | None:
    found = top_box(pilot.app.focused, root_of(screen)) if pilot.app.focused is not None else None
    return str(found.path[-1]) if found is not None else None


def in_view(screen: ExecuteScreen, widget: Any) -> bool:
    """``widget`` is scrolled into the form's view."""
    return bool(screen.query_one("#execute-body").region.contains_region(widget.region))


async def tab(pilot: Any, form: FormView) -> None:
    """Press Tab and wait until the focus has moved and the form has seen it.

    Quicker than ``pilot.press`` on a screen of a thousand widgets, which waits for each of them.
    """
    app = pilot.app
    before = app.focused
    app.simulate_key("tab")
    for _ in range(10_000):
        if app.focused is not before:
            break
        await asyncio.sleep(0)
    await form.wait_for_refresh()


# -- tests -------------------------------------------------------------------


async def test_a_long_step_mounts_a_screenful_first_then_every_field_in_order(app: OrchApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_long(pilot)
        form, root = form_of(screen), root_of(screen)
        assert form.complete
        assert field_paths(screen) == [(name(index),) for index in range(FIELDS)]
        # The first screenful came with the step; the others in batches after it was shown.
        first = [child for child in root.children if isinstance(child, FieldBox)]
        assert 0 < len(first) < 20
        batches = list(root.query_children(FieldBatch))
        assert batches and not list(root.query(MoreFields))
        # Far from the view, the batches are folded; the ones near it are not.
        assert batches[0].body.display and not batches[-1].body.display
        # Tab goes through every field, in order, then on to the buttons.
        reached = [name(0)]
        while True:
            await tab(pilot, form)
            if app.focused is None or form not in app.focused.ancestors:
                break
            if (found := focused_field(pilot, screen)) != reached[-1]:
                reached.append(found)
        assert reached == [name(index) for index in range(FIELDS)]
        assert app.focused is screen.query_one("#execute-next")
        # The last field, unfolded on the way, takes what is typed.
        assert form.focus_field((name(FIELDS - 1),))
        await pilot.press(*"a@b.c")
        assert screen.model is not None and screen.model.get((name(FIELDS - 1),)) == "a@b.c"
        assert batches[-1].body.display and not batches[0].body.display


@pytest.mark.usefixtures("big_batches")
async def test_tab_from_the_last_mounted_field_waits_for_the_next_ones(app: OrchApp, held: Callable[[], None]) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_long(pilot, "shorter")
        form, root = form_of(screen), root_of(screen)
        assert not form.complete
        mounted = field_paths(screen)
        assert 0 < len(mounted) < SHORTER
        # What is typed before the rest of the step is there is kept.
        await pilot.press(*"ok")
        assert focused_field(pilot, screen) == name(0)
        # Tab from the last field mounted stays in the form: on the line saying more is coming.
        last_widget = [w for w in screen.focus_chain if form in w.ancestors and not isinstance(w, MoreFields)][-1]
        last_widget.focus()
        await pilot.pause()
        await pilot.press("tab")
        await pilot.pause()
        assert isinstance(app.focused, MoreFields)
        assert "Loading more fields" in str(app.focused.render())
        await pilot.press("tab")
        await pilot.pause()
        assert isinstance(app.focused, MoreFields)
        # The next batch takes the focus where Tab left it: the field after the last one mounted.
        held()
        await settle(pilot)
        assert form.complete
        assert focused_field(pilot, screen) == name(len(mounted))
        assert app.focused is not None and in_view(screen, app.focused)
        assert box(screen, 0).query_one(Input).value == "ok"
        assert screen.model is not None and screen.model.get((name(0),)) == "ok"
        assert not list(root.query(MoreFields))


@pytest.mark.usefixtures("big_batches")
async def test_next_validates_every_field_and_focuses_an_error_not_mounted_yet(
    app: OrchApp, held: Callable[[], None]
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_long(pilot, "long-required")
        form = form_of(screen)
        assert not form.complete and form.box_at((name(252),)) is None
        assert focused_field(pilot, screen) == name(0)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert screen.page is Page.STEP
        problems = str(form.query_one(".form-problems").render())
        assert "2 problems" in problems and "Field 252" in problems and "Field 282" in problems
        # The inline errors are not put on the step as a whole.
        assert not root_of(screen).has_class("-invalid")
        held()
        await settle(pilot)
        assert form.complete
        assert focused_field(pilot, screen) == name(252)
        assert app.focused is not None and in_view(screen, app.focused)
        for index in (252, 282):
            invalid = box(screen, index)
            assert invalid.has_class("-invalid")
            assert "✖" in str(invalid.query_one(".field-error").render())
        assert not box(screen, 246).has_class("-invalid")


@pytest.mark.usefixtures("big_batches")
async def test_an_error_focus_does_not_take_a_field_being_typed_in(app: OrchApp, held: Callable[[], None]) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_long(pilot, "shorter-required")
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press(*"ok")
        held()
        await settle(pilot)
        assert focused_field(pilot, screen) == name(0)
        assert box(screen, 0).query_one(Input).value == "ok"


@pytest.mark.usefixtures("big_batches")
async def test_autofocus_on_a_field_mounted_late(app: OrchApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_long(pilot, "shorter-autofocus")
        assert form_of(screen).complete
        assert focused_field(pilot, screen) == name(102)
        assert isinstance(app.focused, Input)
        assert in_view(screen, app.focused)


@pytest.mark.usefixtures("big_batches")
async def test_a_condition_changed_early_reaches_fields_mounted_later(app: OrchApp, held: Callable[[], None]) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_long(pilot, "shorter")
        form = form_of(screen)
        assert not form.complete
        box(screen, 3).query_one(Select).value = 2  # "three": the e-mail fields are hidden
        await settle(pilot)
        held()
        await settle(pilot)
        assert form.complete
        for index in (5, 11, 101, 119):
            assert not box(screen, index).display, index
        assert box(screen, 118).display
        assert screen.model is not None and screen.model.get((name(3),)) == "three"


@pytest.mark.usefixtures("big_batches")
async def test_values_survive_the_review_and_back(app: OrchApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_long(pilot, "shorter", initial_data={name(119): "late@example.org"})
        form = form_of(screen)
        assert box(screen, 119).query_one(Input).value == "late@example.org"
        await pilot.press(*"hi")
        assert form.focus_field((name(115),))
        await pilot.press(*"42")
        assert form.focus_field((name(110),))
        await pilot.press("enter")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert screen.page is Page.REVIEW
        shown = {(row.title, row.value) for row in screen.query_one(ReviewTable).rows}
        expected = {("Field 0", "hi"), ("Field 115", "42"), ("Field 110", "Yes"), ("Field 119", "late@example.org")}
        assert expected <= shown
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert screen.page is Page.STEP and form_of(screen).complete
        assert box(screen, 0).query_one(Input).value == "hi"
        assert box(screen, 115).query_one(Input).value == "42"
        assert box(screen, 110).query_one(Switch).value is True
        assert box(screen, 119).query_one(Input).value == "late@example.org"
        assert screen.model is not None and screen.model.get((name(108),)) is MISSING


def test_full_collections_wait_while_a_step_fills_and_come_back_after() -> None:
    import gc

    from orch_tui.ui.widgets.form import FULL_COLLECTION_HOLD, full_collections_held

    before = gc.get_threshold()
    with full_collections_held():
        assert gc.get_threshold() == (before[0], before[1], FULL_COLLECTION_HOLD)
    assert gc.get_threshold() == before
    try:
        with full_collections_held():
            raise RuntimeError("a batch failed")
    except RuntimeError:
        pass
    assert gc.get_threshold() == before


async def test_each_field_takes_the_rows_estimated_for_it(app: OrchApp) -> None:
    # On a screen tall enough for the step to be mounted at once.
    async with app.run_test(size=(80, 100)) as pilot:
        screen = await open_long(pilot, "kinds")
        assert form_of(screen).complete and not list(root_of(screen).query_children(FieldBatch))
        boxes = root_of(screen).child_boxes()
        assert len(boxes) == len(EVERY_KIND["properties"])
        # The rows of its box and the blank line under it; none for a field that is not shown.
        taken = {box.path[-1]: box.outer_size.height + 1 if box.display else 0 for box in boxes}
        assert {box.path[-1]: estimated_rows(box.field) for box in boxes} == taken


async def test_the_step_keeps_its_height_while_it_fills(
    app: OrchApp, held: Callable[[], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_long(pilot)
        form, root = form_of(screen), root_of(screen)
        body = screen.query_one("#execute-body")
        # The first screenful, the "Loading more fields…" line, and room for the rest.
        height = body.virtual_size.height
        assert height > FIELDS * 2 and not form.complete
        heights: list[int] = []
        refold = FormView._refold

        def after_each_layout(view: FormView) -> None:
            if root.more is not None:
                heights.append(body.virtual_size.height)
            refold(view)

        monkeypatch.setattr(FormView, "_refold", after_each_layout)
        held()
        await settle(pilot)
        while not form.complete or root.more is not None:
            await pilot.pause(0.05)
        await settle(pilot)
        # Batch after batch, the form, its scrollbar and the view stayed as they were.
        assert len(heights) > 5 and set(heights) == {height}
        assert body.virtual_size.height == height - 1 and body.scroll_y == 0
        # The batches far below the view came folded: they have never been laid out.
        batches = list(root.query_children(FieldBatch))
        assert batches[-1].folded and not batches[-1].body.size
        # Unfolded, a batch takes the room it was given.
        assert form.focus_field((name(FIELDS - 1),))
        await settle(pilot)
        assert not batches[-1].folded and batches[-1].body.size
        assert body.virtual_size.height == height - 1


async def test_a_field_input_is_styled_once_when_it_is_mounted(app: OrchApp, monkeypatch: pytest.MonkeyPatch) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        restyled: list[Any] = []
        update_nodes = app.stylesheet.update_nodes

        def spy(nodes: Any, animate: bool = False) -> None:
            nodes = list(nodes)
            restyled.extend(nodes)
            update_nodes(nodes, animate=animate)

        monkeypatch.setattr(app.stylesheet, "update_nodes", spy)
        # Its constructor sets the compact class and, with a value, the valid one.
        field_input = FieldInput("12", type="integer", compact=True, classes=compact("field-input"))
        assert restyled == []
        await app.screen.mount(field_input)
        await pilot.pause()
        # Styled on mount all the same: compact, one line with no border.
        assert field_input.outer_size.height == 1
        field_input.add_class("-marked")
        assert field_input in restyled


async def test_a_focus_move_redraws_the_two_fields_not_the_screen(app: OrchApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_long(pilot, "kinds")
        form = form_of(screen)
        await settle(pilot)
        await quiet(pilot, screen)
        whole: list[object] = []
        set_dirty = screen._set_dirty

        def spy(*regions: Any) -> None:
            if not regions:
                whole.append(pilot.app.focused)
            set_dirty(*regions)

        screen._set_dirty = spy  # type: ignore[method-assign]
        assert form.focus_field(("described",))
        await settle(pilot)
        assert focused_field(pilot, screen) == "described"
        assert whole == []


@pytest.mark.usefixtures("big_batches")
async def test_the_rows_worked_out_for_the_batches_are_where_the_screen_has_them(app: OrchApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_long(pilot, "shorter")
        form, root = form_of(screen), root_of(screen)
        assert form.focus_field((name(60),))
        await settle(pilot)
        await quiet(pilot, screen)
        rows = form._rows()
        shown = [child for child in root.children if child.display]
        assert len(rows) == len(shown) and list(root.query_children(FieldBatch))
        for child in shown:
            region = child.region
            assert rows[child] == (region.y, region.bottom), child


@pytest.mark.usefixtures("big_batches")
async def test_after_a_layout_the_screen_knows_where_the_fields_off_the_view_are(app: OrchApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_long(pilot, "shorter")
        root = root_of(screen)
        await quiet(pilot, screen)
        compositor = screen._compositor
        arrange = compositor._arrange_root
        layouts: list[object] = []

        def counted(*args: Any, **kwargs: Any) -> Any:
            layouts.append(args)
            return arrange(*args, **kwargs)

        compositor._arrange_root = counted  # type: ignore[method-assign]
        # The two layouts of a frame after a scroll, in order and with nothing in between: the
        # scroll lays out only what is in view, which leaves the map of the rest out of date...
        screen.query_one("#execute-body").scroll_to(y=40, animate=False, immediate=True)
        screen._refresh_layout(scroll=True)
        assert compositor._full_map_invalidated and len(layouts) == 1
        layouts.clear()
        # ...then a full layout (a field shown, say) lays out the whole screen once.
        screen._refresh_layout()
        assert len(layouts) == 1
        layouts.clear()
        # Where a batch far below is, and what size, is known without laying the screen out again.
        last = list(root.query_children(FieldBatch))[-1]
        assert last.region.y > screen.size.height and last.region.height > 0
        assert layouts == []
