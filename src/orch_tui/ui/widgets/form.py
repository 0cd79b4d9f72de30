"""Widgets that render a form model's ``Field`` tree and write every edit back to the model.

Each field is a :class:`FieldBox`: its title (drawn by the box itself), one control, its help
text and, once there is one, an inline error line.  The data lives in the model, never in the
widgets: an edit calls ``model.set`` and only when the model reports a structural change (a
branch switch, a condition that shows or hides fields) is the affected part of the tree rebuilt.
Everything that comes from a schema is shown as ``Content``, never parsed as markup.

Textual lays out every widget of the screen on each change, off the view or not, so a long step
(hundreds of fields) is built in parts: its first screenful with the step, the rest in batches
after the first paint (:meth:`FormView.fill`), and the batches far from the view and the focus
are folded (:class:`FieldBatch`).  Validation, the review, drafts and prefill work on the model,
whether a field's widgets are there yet or not.
"""

from __future__ import annotations

import gc
import json
import time
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult, RenderResult
from textual.binding import Binding
from textual.containers import Horizontal, ScrollableContainer, Vertical
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import Reactive
from textual.style import Style as VisualStyle
from textual.suggester import Suggester
from textual.widget import Widget
from textual.widgets import (
    Button,
    Input,
    Label,
    RadioButton,
    RadioSet,
    Select,
    SelectionList,
    Static,
    Switch,
    TextArea,
)

from orch_tui.core.auth import tokens_for
from orch_tui.core.forms import MISSING, Field, FieldError, FormModel, Option, Path, ReviewRow
from orch_tui.core.forms.dynamic import DynamicSession


# -- helpers ---------------------------------------------------------------


def dotted(path: Iterable[str | int]) -> str:
    """A path as ``a.b.0.c``: the spelling deep links and prefill use."""
    return ".".join(str(part) for part in path)


def child_fields(field: Field) -> list[Field]:
    """The fields rendered inside ``field``: properties, the chosen branch's fields, or entries."""
    return [*field.children, *field.items]


def shape(field: Field) -> tuple[Any, ...]:
    """What a field's widgets are built from, apart from its value and its hidden flag.

    Two fields with the same shape can share widgets; a different shape means
    the box must be rebuilt.
    """
    options = tuple((repr(option.value), option.label) for option in field.options or ())
    return (
        field.kind,
        field.widget,
        field.title,
        field.description,
        field.help,
        field.note,
        field.placeholder,
        field.input_help,
        field.required,
        field.read_only,
        options,
        field.selected_branch,
        _children_shape(field),
    )


def _children_shape(field: Field) -> Any:
    if field.dynamic is not None:
        return ()  # a dynamic widget shows its value itself, however many items it has
    if field.kind == "key_value":
        return len(field.items)
    return tuple(child.path for child in child_fields(field))


def display_value(value: Any) -> str:
    """A value as one line of text for read-only fields."""
    if value is MISSING or value is None:
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, str):
        return value
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def field_title(field: Field) -> str:
    if field.title:
        return field.title
    if isinstance(field.key, int):
        return f"Item {field.key + 1}"
    return str(field.key or "")


def label_content(field: Field, *, prefilled: bool = False) -> Content:
    """The field's title, ``*`` when required, a mark when it came from a link."""
    label = Content(field_title(field))
    if field.required:
        label += Content.styled(" *", "bold")
    if prefilled:
        label += Content.styled(" (prefilled)", "italic")
    return label


def _int_or_float(text: str) -> int | float:
    try:
        return int(text)
    except ValueError:
        return float(text)


def parse_number(text: str, kind: str) -> Any:
    """Typed text as a JSON number; text that is not one is kept for validation to report."""
    try:
        return int(text) if kind == "integer" else _int_or_float(text)
    except ValueError:
        return text


COMPACT = "-textual-compact"
"""The class Textual gives its compact widgets."""


def compact(classes: str) -> str:
    """``classes`` and the compact class, for a widget built with ``compact=True``.

    Given up front, the class is already there when the constructor sets ``compact``: without it,
    each widget is restyled (its component styles too) before it is even mounted.
    """
    return f"{classes} {COMPACT}".strip()


class FieldInput(Input):
    """The one-line text box of a field: each key it takes repaints it, never the whole screen.

    Textual's input records the width of its text as its virtual size, declared as a change of
    layout: every key would lay the whole screen out again, on a long form the cost of a key.
    A field's input has a size set by the stylesheet whatever its text, which scrolls inside it.
    """

    virtual_size = Reactive(Size(0, 0), layout=False)

    def update_node_styles(self, animate: bool = True) -> None:
        # Input's constructor sets classes (compact, valid) one by one, and each restyles the
        # widget and its component styles; before it is mounted that is wasted, as the mount
        # styles it with the classes it has by then.
        if self._parent is not None:
            super().update_node_styles(animate)


def estimated_rows(field: Field) -> int:
    """The lines the box of ``field`` takes on a step, with the blank line under it.

    Exact for the usual fields (a help text is taken as one line, a list's items as one line
    each); near enough for the rest.  It decides how much of a long step is mounted first, and
    how much room the fields still to come keep (:class:`MoreSpace`).
    """
    if field.hidden or field.widget == "hidden":
        return 0
    text = sum(1 for line in (field.description, field.help, field.note) if line)
    kind, widget = field.kind, field.widget
    if kind in ("array", "key_value"):
        items = child_fields(field)
        # Border, the items (or the "no items" line), the add button, the blank line.  An item is
        # one line, or a box of its own with no blank line under it.
        lines = sum(estimated_rows(item) - 1 if item.kind in GROUP_KINDS else 1 for item in items)
        return 4 + text + max(1, lines)
    if kind == "choice":
        # Border, the branch's drop-down and the line under it, its fields, the blank line.
        return 5 + text + sum(estimated_rows(child) for child in child_fields(field))
    if kind in GROUP_KINDS:
        return 3 + text + sum(estimated_rows(child) for child in child_fields(field))
    if widget == "textarea":
        return 8 + text
    if field.options and (widget == "radio" or kind == "multi_enum"):
        return 2 + len(field.options) + text
    if kind in ("const", "null") or field.read_only or widget == "readonly":
        return 2 + text
    if kind == "boolean" and widget not in ("radio", "select"):
        # The switch and its title share a line.
        return 2 + text
    return 3 + text


def owner_box(widget: Widget) -> FieldBox | None:
    """The nearest field box above ``widget``."""
    node = widget.parent
    while node is not None and not isinstance(node, FieldBox):
        node = node.parent
    return node if isinstance(node, FieldBox) else None


# -- the field boxes -------------------------------------------------------


GROUP_KINDS = frozenset({"object", "choice", "array", "key_value"})
"""Field kinds drawn as a box around their children."""


class FieldBox(Vertical):
    """One field: its title, control, help text, note and, once there is one, its error."""

    ERRORS_FIRST: ClassVar[bool] = False
    """Containers show their own errors under the title, before their children."""

    TITLED: ClassVar[bool] = True
    """The box draws the field's title on its first line, above its control (``render``): one
    widget fewer per field than a label would be.  Boxes that show the title elsewhere (a border,
    a row beside a switch) or not at all say False."""

    def __init__(self, field: Field, form: FormView, *, bare: bool = False) -> None:
        prefilled = form.is_prefilled(field.path)
        self.titled = self.TITLED and not bare
        # A boxed group's border shows where the focus is (:focus-within).  A bare one (a step's
        # top object) has no border: without the class, moving the focus inside it does not
        # restyle its whole subtree, which on a big step costs seconds.
        group = not bare and field.kind in GROUP_KINDS
        classes = [
            "form-field",
            f"form-{field.kind}",
            *(["-bare"] if bare else []),
            *(["form-group"] if group else []),
            *(["-prefilled"] if prefilled else []),
            *(["-titled"] if self.titled else []),
        ]
        # The classes are given here rather than set afterwards: each later change restyles the box.
        super().__init__(classes=" ".join(classes))
        self.field = field
        self.form = form
        self.bare = bare
        self.shape = shape(field)
        self.title = label_content(field, prefilled=prefilled)
        if field.hidden:
            self.display = False

    @property
    def path(self) -> Path:
        return tuple(self.field.path)

    @property
    def value(self) -> Any:
        return self.form.model.get(self.path)

    def render(self) -> RenderResult:
        if not self.titled:
            return super().render()
        # The children start a line lower (styles/form.tcss): this line is the title's.
        return self.title.stylize_before(self.form.title_style(invalid=self.has_class("-invalid")))

    def compose(self) -> ComposeResult:
        if self.ERRORS_FIRST:
            yield self._error_line()
        yield from self.compose_control()
        yield from self.compose_help()

    def compose_control(self) -> ComposeResult:
        yield from ()

    def compose_help(self) -> ComposeResult:
        field = self.field
        for text in (field.description, field.help):
            if text:
                yield Static(Content(text), classes="field-help")
        if field.note:
            yield Static(Content("ⓘ ") + Content(field.note), classes="field-note")

    def _error_line(self) -> Static:
        error = Static(classes="field-error")
        error.display = False
        return error

    def child_boxes(self) -> list[FieldBox]:
        """The boxes directly inside this one."""
        return [box for box in self.query(FieldBox) if owner_box(box) is self]

    def update_field(self, field: Field) -> None:
        """Take a field of the same shape: only visibility can have changed."""
        self.field = field
        if self.display == field.hidden:
            self.display = not field.hidden

    def set_errors(self, messages: list[str]) -> None:
        """Show ``messages`` on the error line (under the field; under the title of a group)."""
        if not self.is_mounted:
            # Not composed yet: the line would land above the field's own widgets.
            self.call_later(self.set_errors, messages)
            return
        lines = self.query_children(".field-error")
        if lines:
            error = lines.first(Static)
        elif messages:
            # A field's error line is only added once it has something to say.
            error = self._error_line()
            self.mount(error)
        else:
            self._set_invalid(False)
            return
        if messages:
            error.update(Content("✖ ") + Content("; ".join(messages)))
        error.display = bool(messages)
        self._set_invalid(bool(messages))

    def _set_invalid(self, invalid: bool) -> None:
        if invalid != self.has_class("-invalid"):
            self.set_class(invalid, "-invalid")
            self.refresh()  # the title it draws turns red, or back

    def write(self, value: Any) -> None:
        self.form.write(self, value)

    def erase(self) -> None:
        self.form.erase(self)


class TextBox(FieldBox):
    """Text, password, number, date, e-mail and URL fields: one ``Input``."""

    suggester: Suggester | None = None

    def compose_control(self) -> ComposeResult:
        field = self.field
        value = self.value
        text = "" if value is MISSING or value is None else str(value)
        input_type = "text"
        if "integer" in (field.kind, field.widget):
            input_type = "integer"
        elif "number" in (field.kind, field.widget):
            input_type = "number"
        yield FieldInput(
            text,
            placeholder=field.placeholder or field.input_help or "",
            password=field.widget == "password",
            type=input_type,  # type: ignore[arg-type]
            select_on_focus=False,
            suggester=self.suggester,
            classes=compact("field-input"),
            compact=True,
        )

    @property
    def control(self) -> Input:
        return self.query_one(Input)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        if event.input is not self.control:
            return
        event.stop()
        text = event.value
        current = self.value
        if text == "":
            if current is not MISSING:
                self.erase()
            return
        value: Any = text
        if self.control.type in ("integer", "number"):
            value = parse_number(text, self.control.type)
        if value != current or type(value) is not type(current):
            self.write(value)


class TextAreaBox(FieldBox):
    """Multi-line text."""

    def compose_control(self) -> ComposeResult:
        value = self.value
        text = value if isinstance(value, str) else ""
        yield TextArea(text, soft_wrap=True, show_line_numbers=False, tab_behavior="focus", classes="field-textarea")

    @on(TextArea.Changed)
    def _changed(self, event: TextArea.Changed) -> None:
        event.stop()
        text = event.text_area.text
        if text == "":
            if self.value is not MISSING:
                self.erase()
        elif text != self.value:
            self.write(text)


class SelectBox(FieldBox):
    """One value out of a list, in a drop-down; the options keep the schema's types."""

    def compose_control(self) -> ComposeResult:
        options = list(self.field.options or ())
        selected = _index_of(options, self.value)
        allow_blank = not (self.field.required and selected is not None)
        yield Select(
            [(Content(option.label), index) for index, option in enumerate(options)],
            value=Select.NULL if selected is None else selected,
            allow_blank=allow_blank,
            prompt="Select…",
            classes=compact("field-select"),
            compact=True,
        )

    @on(Select.Changed)
    def _changed(self, event: Select.Changed) -> None:
        event.stop()
        options = list(self.field.options or ())
        if event.value is Select.NULL or not isinstance(event.value, int):
            if self.value is not MISSING:
                self.erase()
            return
        value = options[event.value].value
        if _index_of(options, self.value) != event.value:
            self.write(value)


class RadioBox(FieldBox):
    """One value out of a short list, as radio buttons."""

    def compose_control(self) -> ComposeResult:
        options = list(self.field.options or ())
        selected = _index_of(options, self.value)
        with RadioSet(classes=compact("field-radio"), compact=True):
            for index, option in enumerate(options):
                yield RadioButton(Content(option.label), value=index == selected, compact=True, classes=compact(""))

    @on(RadioSet.Changed)
    def _changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        options = list(self.field.options or ())
        if 0 <= event.index < len(options) and _index_of(options, self.value) != event.index:
            self.write(options[event.index].value)


class ChecksBox(FieldBox):
    """Several values out of a list, as check boxes."""

    def compose_control(self) -> ComposeResult:
        options = list(self.field.options or ())
        current = self.value if isinstance(self.value, list) else []
        chosen = {index for index, option in enumerate(options) if _contains(current, option.value)}
        yield SelectionList[int](
            *[(Content(option.label), index, index in chosen) for index, option in enumerate(options)],
            classes=compact("field-checks"),
            compact=True,
        )

    @on(SelectionList.SelectedChanged)
    def _changed(self, event: SelectionList.SelectedChanged[int]) -> None:
        event.stop()
        options = list(self.field.options or ())
        values = [options[index].value for index in sorted(event.selection_list.selected)]
        if not values:
            if self.value is not MISSING:
                self.erase()
        elif values != self.value:
            self.write(values)


class SwitchBox(FieldBox):
    """A yes/no field: a switch with the word on/off and its title beside it, on the switch's line."""

    TITLED = False
    SWITCH_WIDTH = 4
    """Cells the switch takes (``.field-switch`` in styles/form.tcss); the text starts after them."""

    def __init__(self, field: Field, form: FormView, *, bare: bool = False) -> None:
        super().__init__(field, form, bare=bare)
        self.checked = self.value is True

    def compose_control(self) -> ComposeResult:
        yield Switch(value=self.checked, classes="field-switch")

    def render(self) -> RenderResult:
        # The box draws the rest of the switch's line: one widget, not a row of three.
        # The word says what the colour says, for terminals without colour.
        state = Content("on " if self.checked else "off").stylize_before(self.form.get_visual_style("form-view--muted"))
        title = self.title.stylize_before(self.form.title_style())
        return Content(" " * (self.SWITCH_WIDTH + 1)) + state + Content(" ") + title

    @on(Switch.Changed)
    def _changed(self, event: Switch.Changed) -> None:
        event.stop()
        self.checked = event.value
        self.refresh()
        if event.value is not self.value:
            self.write(event.value)


class ReadOnlyBox(FieldBox):
    """A value the user cannot change (read-only fields and constants), on one line."""

    TITLED = False

    def compose_control(self) -> ComposeResult:
        value = self.value
        if value is MISSING:
            value = self.field.default
        if value is MISSING and self.field.options:
            value = self.field.options[0].value
        with Horizontal(classes="field-readonly-row"):
            if not self.bare:
                yield Label(label_content(self.field), classes="field-label")
            yield Static(Content(display_value(value)), classes="field-readonly")


class VirtualBox(FieldBox):
    """A field that only exists in the web form (a sign-in request): explained, not edited."""

    def compose_help(self) -> ComposeResult:
        if self.field.description:
            yield Static(Content(self.field.description), classes="field-help")

    def compose_control(self) -> ComposeResult:
        configured = getattr(self.app, "provider_tokens", {})
        tokens, missing = tokens_for(self.field.auth_descriptors, configured)
        sent = [token.provider for token in tokens]
        text = "The web console asks for a sign-in here"
        if sent:
            text += f"; the context's {', '.join(sent)} token is sent with the run"
        if missing:
            text += (
                f"; no {', '.join(missing)} token is configured (auth_token_env in the context), "
                "so the run starts without it"
            )
        yield Static(Content(text + "."), classes="field-readonly")


class HiddenBox(FieldBox):
    """A field with no widget (``ui:widget: hidden``): kept in the tree, never shown."""

    TITLED = False

    def __init__(self, field: Field, form: FormView, *, bare: bool = False) -> None:
        super().__init__(field, form, bare=bare)
        self.display = False

    def compose(self) -> ComposeResult:
        yield from ()

    def update_field(self, field: Field) -> None:
        self.field = field


class ObjectBox(FieldBox):
    """A group of fields in a titled border; bare (no border) for a wizard step."""

    ERRORS_FIRST = True
    TITLED = False

    def __init__(self, field: Field, form: FormView, *, bare: bool = False) -> None:
        super().__init__(field, form, bare=bare)
        if not bare:
            self.border_title = self.title
        self.pending: list[Field] = []
        """The fields not mounted yet: a long step shows a screenful first, then adds the rest in
        batches (:meth:`FormView.fill`)."""

    def compose_control(self) -> ComposeResult:
        children = child_fields(self.field)
        shown = self.form.first_batch(self, children)
        for child in children[:shown]:
            yield build_box(child, self.form)
        self.pending = children[shown:]
        if self.pending:
            yield MoreFields()
            yield MoreSpace(sum(estimated_rows(child) for child in self.pending))

    def on_mount(self) -> None:
        if self.pending:
            self.form.fill(self)

    def update_field(self, field: Field) -> None:
        super().update_field(field)
        if self.pending:
            # Same shape: the same children, the last ones still waiting to be mounted.
            children = child_fields(field)
            self.pending = children[len(children) - len(self.pending) :]

    @property
    def more(self) -> MoreFields | None:
        found = self.query_children(MoreFields)
        return found.first() if found else None

    def compose_help(self) -> ComposeResult:
        # The description belongs under the title, above the fields.
        yield from ()

    def compose(self) -> ComposeResult:
        field = self.field
        if field.description:
            yield Static(Content(field.description), classes="field-help object-help")
        if field.note:
            yield Static(Content("ⓘ ") + Content(field.note), classes="field-note")
        yield from super().compose()


class MoreFields(Static, can_focus=True):
    """The line under a long step's fields while the rest are being added.

    Tab from the last field lands here and waits: the next field takes the focus once it is there.
    """

    BINDINGS = [Binding("tab", "wait", show=False)]

    def __init__(self) -> None:
        super().__init__(Content("Loading more fields…"), classes="form-more")

    def action_wait(self) -> None:
        """Tab does not leave the form before its last fields are there."""


class MoreSpace(Widget):
    """The room the fields still to come will take, under :class:`MoreFields`.

    Each batch takes its share of it, so that the step keeps its height while it fills: the
    form and its scrollbar stay as they are, and the fields on the screen are not drawn again.
    """

    def __init__(self, rows: int) -> None:
        super().__init__(classes="form-more-space")
        self.rows = rows
        self.styles.height = rows

    def give(self, rows: int) -> None:
        """Hand ``rows`` of the room over to a batch that has just been added above."""
        self.rows = max(0, self.rows - rows)
        self.styles.height = self.rows


class FieldBatch(Vertical):
    """Fields of a long step mounted together; folded while they are far from the view.

    Each layout costs as much as the widgets shown on the screen, off the view or not.  A folded
    batch hides its fields and keeps their height, so that the scrollbar and everything below
    stay where they are: on a long step only the fields near the view (and near the focus) count.

    A batch added far below the view comes folded, at the height its fields are estimated to
    take (:func:`estimated_rows`): its fields are laid out only once the view comes near them.

    It ends with a widget of fixed height (none): a container whose children all have an automatic
    height is arranged anew whenever the height around it changes; with such a child, only when
    its width or its own children change.
    """

    def __init__(self, boxes: list[FieldBox], *, folded_rows: int | None = None) -> None:
        self.body = Vertical(*boxes, classes="form-batch-body")
        super().__init__(self.body, Widget(classes="form-batch-end"), classes="form-batch")
        self.folded = False
        if folded_rows is not None:
            self.folded = True
            self.styles.height = folded_rows
            self.body.display = False

    def fold(self) -> None:
        height = self.size.height
        if self.folded or not height:
            return
        self.folded = True
        self.styles.height = height
        self.body.display = False

    def unfold(self) -> bool:
        """Show the fields again; True if they were folded."""
        if not self.folded:
            return False
        self.folded = False
        self.body.display = True
        self.styles.height = "auto"
        return True


class ArrayButton(Button):
    """Add, remove or move an item of one array."""

    def __init__(
        self, label: str | Content, array: FieldBox, op: str, index: int | str = -1, **options: Any
    ) -> None:
        super().__init__(label, compact=True, classes=compact(f"array-button array-{op}"), **options)
        self.array = array
        self.op = op
        self.index = index


class FramedBox(FieldBox):
    """A field drawn inside a border that carries its title (lists, choices, entries)."""

    ERRORS_FIRST = True
    TITLED = False

    def __init__(self, field: Field, form: FormView, *, bare: bool = False) -> None:
        super().__init__(field, form, bare=bare)
        self.border_title = self.title


class EditableBox(FramedBox):
    """A framed field whose Add / Remove / Up / Down buttons edit it through the form."""

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        button = event.button
        if not isinstance(button, ArrayButton) or button.array is not self:
            return
        event.stop()
        self.form.post_message(FormView.ListEdit(self, button.op, button.index))


class ArrayBox(EditableBox):
    """A list of items with Add, Remove, Up and Down."""

    def __init__(self, field: Field, form: FormView, *, bare: bool = False) -> None:
        super().__init__(field, form, bare=bare)
        count = len(field.items)
        self.border_subtitle = Content(f"{count} item" if count == 1 else f"{count} items")

    def compose_control(self) -> ComposeResult:
        items = child_fields(self.field)
        last = len(items) - 1
        for index, item in enumerate(items):
            scalar = item.kind not in ("object", "array", "choice", "key_value")
            with Vertical(classes="array-item -scalar" if scalar else "array-item"):
                with Horizontal(classes="array-item-bar"):
                    yield Label(Content(f"#{index + 1}"), classes="array-item-number")
                    if scalar:
                        yield build_box(item, self.form, bare=True)
                    else:
                        yield Static(classes="array-item-spacer")
                    yield ArrayButton("Up", self, "up", index, disabled=index == 0, tooltip="Move up")
                    yield ArrayButton("Down", self, "down", index, disabled=index == last, tooltip="Move down")
                    yield ArrayButton("Remove", self, "remove", index, tooltip="Remove this item")
                if not scalar:
                    yield build_box(item, self.form, bare=True)
        if not items:
            yield Static(Content("No items."), classes="field-help array-empty")
        yield ArrayButton("+ Add", self, "add")


class ChoiceBox(FramedBox):
    """A ``oneOf``/``anyOf``: a drop-down of branches, then the chosen branch's fields."""

    def compose_control(self) -> ComposeResult:
        options = list(self.field.options or ())
        selected = self.field.selected_branch
        yield Select(
            [(Content(option.label), index) for index, option in enumerate(options)],
            value=selected if isinstance(selected, int) and 0 <= selected < len(options) else Select.NULL,
            allow_blank=not isinstance(selected, int),
            prompt="Select…",
            classes=compact("field-select choice-select"),
            compact=True,
        )
        for child in child_fields(self.field):
            # A branch that is not an object is edited in place, under the choice's title.
            yield build_box(child, self.form, bare=tuple(child.path) == self.path)

    @on(Select.Changed)
    def _changed(self, event: Select.Changed) -> None:
        if not event.select.has_class("choice-select") or owner_box(event.select) is not self:
            return
        event.stop()
        if isinstance(event.value, int) and event.value != self.field.selected_branch:
            self.form.post_message(FormView.BranchChosen(self, event.value))


class KeyValueRow(Horizontal):
    """One entry of a key/value object: its key, its value's field, Remove."""

    def __init__(self, box: KeyValueBox, entry: Field) -> None:
        super().__init__(classes="kv-row")
        self.box = box
        self.entry = entry
        self.entry_key = str(entry.key)

    def compose(self) -> ComposeResult:
        yield FieldInput(self.entry_key, placeholder="key", compact=True, classes=compact("kv-key"))
        yield build_box(self.entry, self.box.form, bare=True)
        yield ArrayButton("Remove", self.box, "remove", self.entry_key, tooltip="Remove this entry")


class KeyValueBox(EditableBox):
    """Free-form entries (``additionalProperties``): a key and a value per row, Add and Remove."""

    def compose_control(self) -> ComposeResult:
        with Vertical(classes="kv-rows"):
            for entry in self.field.items:
                yield KeyValueRow(self, entry)
        if not self.field.items:
            yield Static(Content("No entries."), classes="field-help array-empty")
        yield ArrayButton("+ Add", self, "add")

    @on(Input.Changed, ".kv-key")
    def _renamed(self, event: Input.Changed) -> None:
        row = event.input.parent
        if not isinstance(row, KeyValueRow) or row.box is not self:
            return
        event.stop()
        name = event.value.strip()
        if name == row.entry_key:
            self.set_errors([])
            return
        current = self.value if isinstance(self.value, dict) else {}
        if not name:
            self.set_errors(["A key cannot be empty"])
            return
        if name in current:
            self.set_errors([f"The key {name} is already used"])
            return
        self.set_errors([])
        old, row.entry_key = row.entry_key, name
        for button in row.query(ArrayButton):
            button.index = name
        if self.form.model.rename_key(self.path, old, name):
            self.form.request_sync()


def build_box(field: Field, form: FormView, *, bare: bool = False) -> FieldBox:
    """The box that renders ``field``."""
    kind, widget = field.kind, field.widget
    box: type[FieldBox]
    if field.dynamic is not None and not field.hidden:
        from orch_tui.ui.widgets.dynamic_fields import BOXES

        return BOXES[widget](field, form, bare=bare)
    if widget == "hidden":
        box = HiddenBox
    elif field.virtual:
        box = VirtualBox
    elif kind == "object":
        box = ObjectBox
    elif kind == "array":
        box = ArrayBox
    elif kind == "choice":
        box = ChoiceBox
    elif kind == "key_value":
        box = KeyValueBox
    elif kind in ("const", "null") or field.read_only or widget == "readonly":
        box = ReadOnlyBox
    elif kind == "multi_enum":
        box = ChecksBox
    elif kind in ("enum", "boolean") and widget == "radio":
        box = RadioBox
    elif kind == "enum" or (kind == "boolean" and widget == "select"):
        box = SelectBox
    elif kind == "boolean":
        box = SwitchBox
    elif widget == "textarea":
        box = TextAreaBox
    else:
        box = TextBox
    return box(field, form, bare=bare)


def _inside(path: Path, field: Field) -> bool:
    """``path`` is ``field``'s or that of a field inside it."""
    return path[: len(field.path)] == tuple(field.path)


def _index_of(options: list[Option], value: Any) -> int | None:
    if value is MISSING:
        return None
    for index, option in enumerate(options):
        if option.value == value and type(option.value) is type(value):
            return index
    return None


def _contains(values: list[Any], value: Any) -> bool:
    return any(item == value and type(item) is type(value) for item in values)


# -- the form of one step --------------------------------------------------


LONG_STEP_SCREENS = 3
"""A step whose fields take more than this many screens is a long one: its first screenful is
mounted at once, the rest in batches after the first paint."""

MIN_SCREEN_ROWS = 24
"""The screen height assumed when the app's is not known yet."""


@contextmanager
def full_collections_held() -> Iterator[None]:
    """Hold the garbage collector's full collections (young ones go on) while the block runs.

    Objects that survive are moved to the oldest generation, and a full collection follows each
    time it has grown by a quarter: a form growing by tens of thousands of objects sets off one
    after another, each a stall of hundreds of milliseconds.  After the block the threshold is
    as before, and the next full collection comes as usual (once the heap has grown again).
    """
    first, second, third = gc.get_threshold()
    gc.set_threshold(first, second, max(third, FULL_COLLECTION_HOLD))
    try:
        yield
    finally:
        if gc.get_threshold()[2] == max(third, FULL_COLLECTION_HOLD):
            gc.set_threshold(first, second, third)


FULL_COLLECTION_HOLD = 1_000_000
"""The collector's third threshold while a long step is shown (its default is 10)."""


FIRST_FILL_BATCH = 4
"""Fields in the first batch after the first paint; later batches are sized by how long it took."""

FILL_BATCH_SECONDS = 0.04
"""The time each batch of fields should take to mount (the screen is not painted meanwhile)."""

FILL_BATCH_MAX = 40
"""The most fields in one batch."""

FOLD_MARGIN_SCREENS = 1
"""Batches within this many screens above or below the view stay unfolded (scrolling finds them
laid out)."""

FOCUS_NEIGHBOURS = 2
"""Batches on either side of the focused one that stay unfolded (Tab and shift+Tab go there)."""


class FormView(Vertical):
    """The fields of one step, wired to the model."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"form-view--title", "form-view--invalid-title", "form-view--muted"}
    """Styles of the text the field boxes draw themselves (styles/form.tcss).  They are the form's
    rather than each box's: a component style costs a node of its own in each widget that has it."""

    class StructureChanged(Message):
        """The model's tree changed shape: steps may have appeared or disappeared."""

    class Resync(Message, bubble=False):
        """Bring the widgets in line with the model (posted, so boxes are never rebuilt
        from inside their own handlers)."""

    class ListEdit(Message, bubble=False):
        """Add, remove or move an entry of a list or key/value box."""

        def __init__(self, box: FieldBox, op: str, index: int | str) -> None:
            super().__init__()
            self.box = box
            self.op = op
            self.index = index

    class BranchChosen(Message, bubble=False):
        """Another branch of a oneOf/anyOf was chosen."""

        def __init__(self, box: FieldBox, index: int) -> None:
            super().__init__()
            self.box = box
            self.index = index

    def __init__(
        self,
        model: FormModel,
        field: Field,
        *,
        prefilled: Collection[str] = (),
        dynamic: DynamicSession | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id, classes="form-view")
        self.model = model
        self.field = field
        self.prefilled = set(prefilled)
        self.dynamic = dynamic
        """Fetches for the dynamic widgets (None: nothing is fetched, as in the playground)."""
        self.dynamic_boxes: set[Any] = set()
        self.problems: list[tuple[str, str]] = []
        self.errors: list[FieldError] = []
        self._sync_pending = False
        self._wanted: tuple[Path, Widget | None] | None = None
        """A field to focus once it is mounted, and the widget it may take the focus from."""
        self._refold_pending = False
        self._collections_held: ExitStack | None = None
        """Full garbage collections wait while a long step is shown (:meth:`fill`)."""

    def compose(self) -> ComposeResult:
        problems = Static(classes="form-problems")
        problems.display = False
        yield problems
        yield build_box(self.field, self, bare=self.field.kind in ("object", "choice"))

    def title_style(self, *, invalid: bool = False) -> VisualStyle:
        """The style of a field's title (red while the field has an error)."""
        return self.get_visual_style("form-view--invalid-title" if invalid else "form-view--title")

    def is_prefilled(self, path: Iterable[str | int]) -> bool:
        return bool(self.prefilled) and dotted(path) in self.prefilled

    @property
    def root_box(self) -> FieldBox:
        return self.query_children(FieldBox).first()

    def box_at(self, path: Iterable[str | int]) -> FieldBox | None:
        wanted = tuple(path)
        for box in self.query(FieldBox):
            if box.path == wanted:
                return box
        return None

    # -- long steps: a screenful first, the rest in batches ---------------------

    @property
    def complete(self) -> bool:
        """Every field of the step has its widgets."""
        box = self._step_box()
        return box is None or not box.pending

    def _step_box(self) -> ObjectBox | None:
        """The box of the step's fields, if the step is an object (only those are long)."""
        root = self.query_children(FieldBox)
        box = root.first() if root else None
        return box if isinstance(box, ObjectBox) else None

    def first_batch(self, box: ObjectBox, children: list[Field]) -> int:
        """How many of ``box``'s fields to mount with it: all of them, but a screenful on a long step."""
        if box.parent is not self:
            return len(children)
        screen = max(self.app.size.height, MIN_SCREEN_ROWS)
        rows = [estimated_rows(child) for child in children]
        if sum(rows) <= LONG_STEP_SCREENS * screen:
            return len(children)
        total = 0
        for count, height in enumerate(rows, 1):
            total += height
            if total >= screen:
                return count
        return len(children)

    def fill(self, box: ObjectBox) -> None:
        """Mount the fields ``box`` holds back, a batch at a time, each after the screen's refresh."""
        # The fields made here live as long as the form, and each batch laid out or unfolded adds
        # more: full collections (which that growth sets off again and again, each walking every
        # object the form has, hundreds of milliseconds on a long step) wait until it is closed.
        if self._collections_held is None:
            self._collections_held = ExitStack()
            self._collections_held.enter_context(full_collections_held())
        self.run_worker(
            self._fill_batches(box),
            group="form-fill",
            exclusive=True,
            exit_on_error=False,
            description="Adding the step's fields",
        )

    def on_unmount(self) -> None:
        if self._collections_held is not None:
            self._collections_held.close()
            self._collections_held = None

    async def _fill_batches(self, box: ObjectBox) -> None:
        size = FIRST_FILL_BATCH
        while box.pending and box.is_attached:
            # After the screen's refresh: the first paint, then each batch's layout, come first.
            await self.wait_for_refresh()
            self._refold()
            more = box.more
            if not box.pending or more is None or not box.is_attached:
                break
            started = time.perf_counter()
            first = len(child_fields(box.field)) - len(box.pending)
            fields, box.pending = box.pending[:size], box.pending[size:]
            boxes = [build_box(field, self) for field in fields]
            rows = sum(estimated_rows(field) for field in fields)
            # A layout costs as much as all the widgets on the screen: one layout per batch.
            with self.app.batch_update():
                await box.mount(FieldBatch(boxes, folded_rows=rows if self._far(more) else None), before=more)
                for space in box.query_children(MoreSpace):
                    space.give(rows)
            elapsed = time.perf_counter() - started
            await self._catch_up(box, first, boxes)
            self._batch_mounted(boxes)
            size = max(1, min(size * 2, FILL_BATCH_MAX, int(size * FILL_BATCH_SECONDS / max(elapsed, 0.001))))
        if box.is_attached and not box.pending and (more := box.more) is not None:
            await box.remove_children([more, *box.query_children(MoreSpace)])
            await self.wait_for_refresh()
            self._refold()

    # -- folding: only the batches near the view and the focus are laid out ---------

    def _batches(self) -> list[FieldBatch]:
        box = self._step_box()
        return list(box.query_children(FieldBatch)) if box is not None else []

    def _scroller(self) -> Widget | None:
        return next((node for node in self.ancestors if isinstance(node, ScrollableContainer)), None)

    def _view(self) -> Region | None:
        """Where the form's scrolling container is on the screen, if it is there."""
        scroller = self._scroller()
        return scroller.region if scroller is not None and scroller.region else None

    def on_mount(self) -> None:
        if (scroller := self._scroller()) is not None:
            self.watch(scroller, "scroll_y", lambda: self._refold_soon(), init=False)

    def on_resize(self) -> None:
        self._refold_soon()

    def _refold_soon(self) -> None:
        """Fold and unfold after the next refresh (the batches' places are known then)."""
        if not self._refold_pending and self._batches():
            self._refold_pending = True
            self.call_after_refresh(self._refold)

    def _refold(self) -> None:
        """Unfold the batches within a screen of the view and next to the focus; fold the others."""
        self._refold_pending = False
        batches = self._batches()
        view = self._view()
        if not batches or view is None:
            return
        top, bottom = view.y - view.height * FOLD_MARGIN_SCREENS, view.bottom + view.height * FOLD_MARGIN_SCREENS
        rows = self._rows()
        near_focus = self._near_focus(batches)
        ahead = False
        for index, batch in enumerate(batches):
            first, end = rows.get(batch, (0, 0))
            if index in near_focus or (end >= view.y and first <= view.bottom):
                batch.unfold()
            elif end >= top and first <= bottom:
                # Off the view but near it: one batch per screen refresh, as each one unfolded
                # for the first time is laid out and measured in full.
                if batch.folded and not ahead:
                    ahead = batch.unfold()
                elif batch.folded:
                    self._refold_soon()
            else:
                batch.fold()

    def _rows(self) -> dict[Widget, tuple[int, int]]:
        """The screen rows (first, and one past the last) of each widget of the step's box, worked
        out from their sizes at the last layout.

        The screen knows where a widget off the view is only after laying out the whole screen
        again, once per scroll: on a long step, as costly as the scroll itself.
        """
        box = self._step_box()
        if box is None or not box.region:
            return {}
        rows: dict[Widget, tuple[int, int]] = {}
        y = box.content_region.y
        margin_above = 0
        for child in box.children:
            if not child.display:
                continue
            margin = child.styles.margin
            # Textual lets the margins of two widgets one above the other overlap.
            y += max(margin_above, margin.top)
            height = child.outer_size.height
            rows[child] = (y, y + height)
            y += height
            margin_above = margin.bottom
        return rows

    def _far(self, widget: Widget) -> bool:
        """``widget`` (one of the step's box's) is more than the fold margin below the view."""
        view = self._view()
        if view is None or widget not in (rows := self._rows()):
            return False
        return rows[widget][0] > view.bottom + view.height * FOLD_MARGIN_SCREENS

    def _near_focus(self, batches: list[FieldBatch]) -> range:
        """The batches Tab and shift+Tab can reach next from the focus, unfolded whatever the view."""
        focused = self.app.focused
        at = -1
        if focused is not None and self in focused.ancestors:
            at = next((index for index, batch in enumerate(batches) if batch in focused.ancestors), -1)
        return range(at - FOCUS_NEIGHBOURS, at + FOCUS_NEIGHBOURS + 1)

    def on_descendant_focus(self) -> None:
        # Unfold what Tab reaches next at once; the view's batches after the refresh.
        batches = self._batches()
        for index in self._near_focus(batches):
            if 0 <= index < len(batches):
                batches[index].unfold()
        self._refold_soon()

    def _unfold_around(self, widget: Widget) -> bool:
        """Unfold the batch that holds ``widget``; True if it was folded."""
        batch = next((node for node in widget.ancestors_with_self if isinstance(node, FieldBatch)), None)
        return batch is not None and batch.unfold()

    async def _catch_up(self, box: ObjectBox, first: int, boxes: list[FieldBox]) -> None:
        """The model may have changed while ``boxes`` were mounted: bring them in line, and show
        their errors."""
        current = child_fields(box.field)[first : first + len(boxes)]
        for new_box, field in zip(boxes, current, strict=False):
            if new_box.field is not field and new_box.is_attached:
                await self._sync(new_box, field)
        errors = [e for e in self.errors if any(_inside(tuple(e.path), b.field) for b in boxes)]
        if errors:
            self._show_inline([inner for b in boxes if b.is_attached for inner in (b, *b.query(FieldBox))], errors)

    def _batch_mounted(self, boxes: list[FieldBox]) -> None:
        """New fields are there: the focus may have waited for one of them."""
        boxes = [b for b in boxes if b.is_attached]
        wanted, self._wanted = self._wanted, None
        focused = self.app.focused
        if wanted is not None:
            path, keep = wanted
            target = next((b for b in boxes if b.path == path), None)
            if target is None:
                self._wanted = wanted
            elif focused is None or focused is keep or isinstance(focused, MoreFields):
                self._focus_within([*target.query(".-invalid").results(FieldBox), target])
                return
        if isinstance(focused, MoreFields):
            # Tab waited on the line under the fields: the first new field takes the focus.
            self._focus_within(boxes)

    def _held_back(self) -> list[Field]:
        """The step's fields that are not mounted yet."""
        box = self._step_box()
        return box.pending if box is not None else []

    def _waiting(self, path: Path) -> bool:
        """``path`` is (inside) a field that is not mounted yet."""
        return any(_inside(path, field) for field in self._held_back())

    def _focus_within(self, scopes: Sequence[Widget]) -> Widget | None:
        """Focus the first focusable widget inside the first scope that has one (unfolded)."""
        chain: list[Widget] | None = None
        for scope in scopes:
            if self._unfold_around(scope) or chain is None:
                chain = self.screen.focus_chain
            for widget in chain:
                if scope in widget.ancestors_with_self:
                    widget.focus()
                    # A widget just mounted or unfolded has no place on the screen before the next
                    # layout: Textual's own scrolling to the focus finds nothing to scroll to.
                    self.call_after_refresh(self._scroll_to_focus, widget)
                    return widget
        return None

    def _scroll_to_focus(self, widget: Widget) -> None:
        screen = self.screen
        if self.app.focused is widget and not screen.can_view_entire(widget):
            screen.scroll_to_center(widget, origin_visible=True)

    def _top_level(self, path: Path) -> Path:
        """The path of the step's field that holds ``path``."""
        return path[: len(self.field.path) + 1]

    def _focus_later(self, path: Path | None, keep: Widget | None) -> None:
        """Focus the step's field at ``path`` once it is shown, unless the focus has moved on from
        ``keep`` by then."""
        self._wanted = (path, keep) if path is not None else None

    def focus_field(self, path: Iterable[str | int]) -> bool:
        """Focus the field at ``path`` (its batch unfolded); False if it has no widgets (yet)."""
        box = self.box_at(path)
        return box is not None and self._focus_within([box]) is not None

    def focus_first_field(self) -> None:
        """Focus the field marked autofocus, or else the first field."""
        autofocus = [box for box in self.query(FieldBox) if box.field.autofocus]
        later = None
        if not autofocus:
            held_back = self._held_back()
            later = next((tuple(f.path) for f in held_back if any(inner.autofocus for inner in f.walk())), None)
        focused = self._focus_within([*autofocus, self])
        self._focus_later(self._top_level(later) if later is not None else None, focused)

    def focus_first_error(self) -> None:
        """Focus the first field with an error; one not shown yet takes the focus once it is."""
        invalid = list(self.query(".-invalid").results(FieldBox))
        later: Path | None = None
        if invalid:
            self._focus_within(invalid)
        else:
            paths = [tuple(error.path) for error in self.errors]
            later = next((tuple(f.path) for f in self._held_back() if any(_inside(p, f) for p in paths)), None)
        self._focus_later(self._top_level(later) if later is not None else None, self.app.focused)

    # -- edits -------------------------------------------------------------

    def write(self, box: FieldBox, value: Any) -> None:
        """Store a value typed or picked in ``box``; the form is rebuilt only if its shape changed."""
        self._wanted = None  # the user is busy with a field: the focus stays there
        box.set_errors([])
        if self.model.set(box.path, value):
            self.request_sync()
        self._data_changed()

    def erase(self, box: FieldBox) -> None:
        self._wanted = None
        box.set_errors([])
        if self.model.delete(box.path):
            self.request_sync()
        self._data_changed()

    def _data_changed(self) -> None:
        """Tell the dynamic widgets: the ones whose requests depend on what changed fetch again."""
        for box in list(self.dynamic_boxes):
            box.data_changed()

    def request_sync(self) -> None:
        if not self._sync_pending:
            self._sync_pending = True
            self.post_message(self.Resync())

    @on(Resync)
    async def _resync(self) -> None:
        self._sync_pending = False
        await self.sync()

    @on(BranchChosen)
    async def _branch_chosen(self, message: BranchChosen) -> None:
        if message.box.is_attached:
            await self.select_branch(message.box, message.index)

    @on(ListEdit)
    async def _list_edit(self, message: ListEdit) -> None:
        if message.box.is_attached:
            await self.list_edit(message.box, message.op, message.index)

    async def select_branch(self, box: FieldBox, index: int) -> None:
        box.set_errors([])
        self.model.select_branch(box.path, index)
        await self.rebuild(box)
        await self.sync()

    async def list_edit(self, box: FieldBox, op: str, index: int | str) -> None:
        """Add, remove or move an entry of the list (or key/value object) in ``box``."""
        path = box.path
        focus: tuple[str, int | str] | None = None
        if op == "add":
            added = self.model.add_item(path)
            focus = ("entry", added[-1])
        elif op == "remove":
            self.model.remove_item(path, index)
            focus = ("add", -1)
        elif op in ("up", "down") and isinstance(index, int):
            delta = -1 if op == "up" else 1
            if self.model.move_item(path, index, delta):
                focus = (op, index + delta)
        box.set_errors([])
        new_box = await self.rebuild(box)
        await self.sync()
        if new_box is not None and focus is not None:
            self._focus_in_list(new_box, *focus)

    def _focus_in_list(self, box: FieldBox, what: str, key: int | str) -> None:
        """After a list edit, put the focus where the user will want it next."""
        if what == "entry":
            for entry in box.child_boxes():
                if entry.path and entry.path[-1] == key:
                    row = entry.parent if isinstance(entry.parent, KeyValueRow) else entry
                    for widget in row.query("*"):
                        if widget.focusable and not isinstance(widget, Button):
                            widget.focus()
                            return
        buttons = [button for button in box.query(ArrayButton) if button.array is box and not button.disabled]
        wanted = [what, "down" if what == "up" else "up"] if what in ("up", "down") else []
        for op in wanted:
            for button in buttons:
                if button.op == op and button.index == key:
                    button.focus()
                    return
        for button in buttons:
            if button.op == "add":
                button.focus()
                return

    # -- structure -----------------------------------------------------------

    def _find(self, path: Path, kind: str | None = None) -> Field | None:
        """The field at ``path`` in the model's current tree.

        A branch that is not an object shares its path with the choice holding it;
        ``kind`` tells them apart.
        """
        candidates = [field for field in self.model.root.walk() if tuple(field.path) == path]
        for field in candidates:
            if kind is None or field.kind == kind:
                return field
        return candidates[0] if candidates else None

    async def rebuild(self, box: FieldBox) -> FieldBox | None:
        """Build ``box`` again from the model (its value or shape changed)."""
        field = self._find(box.path, box.field.kind)
        if field is None:
            await box.remove()
            return None
        return await self._replace(box, field)

    async def sync(self) -> None:
        """Bring the widgets in line with the model's tree, rebuilding only what changed shape."""
        root = self.root_box
        field = self._find(root.path, root.field.kind)
        if field is not None:
            self.field = field
            await self._sync(root, field)
        self.post_message(self.StructureChanged())

    async def _sync(self, box: FieldBox, field: Field) -> None:
        if shape(field) != box.shape:
            await self._replace(box, field)
            return
        box.update_field(field)
        for child_box, child_field in zip(box.child_boxes(), child_fields(field), strict=False):
            await self._sync(child_box, child_field)

    async def _replace(self, box: FieldBox, field: Field) -> FieldBox:
        new_box = build_box(field, self, bare=box.bare)
        parent = box.parent
        assert isinstance(parent, Widget)
        with self.app.batch_update():
            await parent.mount(new_box, after=box)
            await box.remove()
        return new_box

    # -- errors --------------------------------------------------------------

    def show_errors(self, errors: Iterable[FieldError], *, only: Collection[Path] | None = None) -> list[tuple[str, str]]:
        """Errors inline under their fields and listed at the top; returns the list.

        With ``only``, just those fields' errors are replaced and the others stay as they are.
        """
        errors = list(errors)
        if only is not None:
            wanted = {tuple(path) for path in only}
            errors = [e for e in self.errors if tuple(e.path) not in wanted] + errors
        self.errors = errors
        # The fields not mounted yet show theirs once they are (_batch_mounted).
        shown = [error for error in errors if not self._waiting(tuple(error.path))]
        self._show_inline(self.query(FieldBox), shown)
        self.problems = [(self.path_title(tuple(error.path)), error.message) for error in errors]
        self._show_problems()
        return self.problems

    def _show_inline(self, scope: Iterable[FieldBox], errors: list[FieldError] | None = None) -> None:
        """Each error under the innermost box of ``scope`` that holds its field."""
        boxes: dict[Path, FieldBox] = {}
        for box in scope:
            boxes.setdefault(box.path, box)
        inline: dict[Path, list[str]] = {}
        for error in self.errors if errors is None else errors:
            owner = tuple(error.path)
            while owner and owner not in boxes:
                owner = owner[:-1]
            if owner in boxes:
                inline.setdefault(owner, []).append(error.message)
        for path, box in boxes.items():
            box.set_errors(inline.get(path, []))

    def clear_errors(self) -> None:
        self.show_errors([])

    def path_title(self, path: Path) -> str:
        """A readable name for a path inside this step: ``Members › #2 › E-mail``."""
        return path_title(self.model, path, tuple(self.field.path)) or field_title(self.field)

    def _show_problems(self) -> None:
        widget = self.query_children(".form-problems").first(Static)
        widget.display = bool(self.problems)
        if self.problems:
            widget.update(problems_content(self.problems))


def path_title(model: FormModel, path: Path, root: Path = ()) -> str:
    """The titles along ``path`` below ``root``, list positions as ``#n``."""
    parts: list[str] = []
    for depth in range(len(root) + 1, len(path) + 1):
        prefix = path[:depth]
        last = prefix[-1]
        if isinstance(last, int):
            parts.append(f"#{last + 1}")
            continue
        field = model.field(prefix)
        parts.append(field_title(field) if field is not None else str(last))
    return " › ".join(parts)


def problems_content(problems: list[tuple[str, str]]) -> Content:
    """``2 problems: Name — Required; Region — Required``."""
    count = len(problems)
    text = Content.styled(f"{count} problem{'s' if count != 1 else ''}: ", "bold")
    for number, (title, message) in enumerate(problems):
        if number:
            text += Content("; ")
        text += Content.assemble((title, "bold"), " — ", message)
    return text


# -- the review -------------------------------------------------------------


class ReviewTable(Vertical):
    """What will be sent: title → value, nested rows indented."""

    def __init__(self, rows: list[ReviewRow], *, id: str | None = None) -> None:
        super().__init__(id=id, classes="review-table")
        self.rows = rows

    def compose(self) -> ComposeResult:
        if not self.rows:
            yield Static(Content("No values will be sent."), classes="review-empty")
        for row in self.rows:
            heading = row.value == ""
            with Horizontal(classes="review-row -heading" if heading else "review-row"):
                yield Label(Content("  " * row.depth) + Content(row.title), classes="review-title")
                yield Label(Content(row.value), classes="review-value")
