"""Boxes for the orchestrator's dynamic widgets: fields that fetch what they offer as the form changes.

ActiveTextInput, ActiveDropdown, ActiveMultiSelect, ActiveText and SchemaUpdater ask the
form's :class:`~orch_tui.core.forms.dynamic.DynamicSession` for their answers when they appear
and again, a moment after the last keystroke, whenever a field they depend on
(``fetch:retrigger``) changes.  The requests run in workers; a failure is shown on the field
itself and never loses what was typed.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.suggester import Suggester
from textual.timer import Timer
from textual.widgets import Input, Markdown, Select, SelectionList, Static
from textual.widgets.selection_list import Selection

from orch_tui.core.errors import OrchError
from orch_tui.core.forms import MISSING, Field, SchemaError
from orch_tui.core.forms.dynamic import (
    DynamicFieldError,
    DynamicProps,
    dropdown_options,
    render_text,
    string_list,
)
from orch_tui.ui.widgets.form import FieldBox, FieldInput, FormView, TextBox, compact, dotted

DEBOUNCE = 0.3
"""Seconds after the last change of a field a fetch depends on before it is sent."""


class ListSuggester(Suggester):
    """Completes typed text from a list that the fetch replaces."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=False)
        self.items: list[str] = []

    async def get_suggestion(self, value: str) -> str | None:
        wanted = value.casefold()
        if not wanted:
            return None
        return next((item for item in self.items if item.casefold().startswith(wanted)), None)


class DynamicBox(FieldBox):
    """What every dynamic widget shares: fetching, re-fetching and showing how that went."""

    def __init__(self, field: Field, form: FormView, *, bare: bool = False) -> None:
        super().__init__(field, form, bare=bare)
        self.add_class("form-dynamic")
        self._trigger: tuple[Any, ...] | None = None
        self._timer: Timer | None = None
        self._validate_trigger: tuple[Any, ...] | None = None
        self._validate_timer: Timer | None = None
        self.answer: dict[str, Any] | None = None
        """The selected values of the last successful fetch."""
        self.fetches = 0
        """Requests this box has sent (cached answers are not counted)."""

    @property
    def pending(self) -> bool:
        """A fetch or a validation waits for the typing to pause."""
        return self._timer is not None or self._validate_timer is not None

    @property
    def props(self) -> DynamicProps:
        assert self.field.dynamic is not None
        return self.field.dynamic

    def compose_help(self) -> ComposeResult:
        yield from super().compose_help()
        status = Static(classes="field-dynamic")
        status.display = False
        yield status

    def on_mount(self) -> None:
        self.form.dynamic_boxes.add(self)
        session = self.form.dynamic
        if session is not None:
            self._validate_trigger = self._validation_trigger()
        if self.props.fetch is not None and session is None:
            self.show_status("Not fetched: no orchestrator is connected to this form.")
        self.data_changed(immediate=True)

    def on_unmount(self) -> None:
        self.form.dynamic_boxes.discard(self)

    # -- status line -----------------------------------------------------------

    def show_status(self, text: str | None, *, error: bool = False) -> None:
        status = self.query_children(".field-dynamic").first(Static)
        status.display = bool(text)
        status.set_class(error, "-error")
        if text:
            status.update(Content(text))

    # -- fetching --------------------------------------------------------------

    def data_changed(self, *, immediate: bool = False) -> None:
        """The form's data changed: fetch again if what the fetch depends on changed."""
        session = self.form.dynamic
        if session is None:
            return
        self._maybe_validate()
        if self.props.fetch is None:
            self.apply({})
            return
        context = session.context(self.form.model.data)
        trigger = session.trigger(self.props, context)
        if trigger == self._trigger:
            return
        self._trigger = trigger
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        cached = session.cached(self.path, self.props, context)
        if cached is not None:
            self._settle(cached)
            return
        if not self.props.ready(context) and self.props.ignore_unready:
            # Nothing to ask yet: the fields the request is built from are empty.
            self.show_status(None)
            self.not_ready()
            return
        if immediate:
            self._start_fetch()
        else:
            self._timer = self.set_timer(DEBOUNCE, self._start_fetch)

    def _start_fetch(self) -> None:
        self._timer = None
        self.run_worker(
            self._fetch(),
            group=f"dynamic:{dotted(self.path)}",
            exclusive=True,
            exit_on_error=False,
            description=f"Fetching {self.field.title or dotted(self.path)}",
        )

    async def _fetch(self) -> None:
        session = self.form.dynamic
        assert session is not None
        context = session.context(self.form.model.data)
        self.show_status("Loading…")
        self.set_class(True, "-loading")
        try:
            if session.cached(self.path, self.props, context) is None:
                self.fetches += 1
            answer = await session.fetch(self.path, self.props, context)
        except OrchError as error:
            self.answer = None
            self._trigger = None  # the next change, or the next visit, asks again
            self.show_status(None if self.props.silent else f"✖ {error.message}", error=True)
            self.fetch_failed()
            return
        finally:
            self.set_class(False, "-loading")
        self._settle(answer)

    def _settle(self, answer: dict[str, Any]) -> None:
        self.answer = answer
        self.show_status(None)
        try:
            self.apply(answer)
        except (DynamicFieldError, SchemaError) as error:
            self.show_status(f"✖ {error.message}", error=True)

    def apply(self, answer: dict[str, Any]) -> None:
        """Use a fetch's selected values (``{}`` when the widget fetches nothing)."""

    def not_ready(self) -> None:
        """The fields the fetch depends on are still empty."""

    def fetch_failed(self) -> None:
        """The fetch failed; the status line says why."""

    # -- validate:retrigger ---------------------------------------------------------

    def _validation_trigger(self) -> tuple[Any, ...] | None:
        session = self.form.dynamic
        spec = self.props.validate
        if session is None or spec is None or not spec.retrigger:
            return None
        return spec.trigger_values(session.context(self.form.model.data))

    def _maybe_validate(self) -> None:
        trigger = self._validation_trigger()
        if trigger is None or trigger == self._validate_trigger:
            return
        self._validate_trigger = trigger
        if self._validate_timer is not None:
            self._validate_timer.stop()
        self._validate_timer = self.set_timer(DEBOUNCE, self._start_validation)

    def _start_validation(self) -> None:
        self._validate_timer = None
        self.run_worker(
            self._validate(), group=f"validate:{dotted(self.path)}", exclusive=True, exit_on_error=False
        )

    async def _validate(self) -> None:
        session = self.form.dynamic
        assert session is not None
        errors = await session.validate(self.form.model, [self.field])
        self.form.show_errors(errors, only=[self.path])


class ActiveInputBox(DynamicBox, TextBox):
    """ActiveTextInput: a text field whose default and completions come from a fetch."""

    def __init__(self, field: Field, form: FormView, *, bare: bool = False) -> None:
        super().__init__(field, form, bare=bare)
        self.suggester = ListSuggester()
        session = form.dynamic
        self._memory = session.memory(field.path) if session is not None else {}

    def compose_help(self) -> ComposeResult:
        yield from super().compose_help()
        suggestions = Static(classes="field-suggestions")
        suggestions.display = False
        yield suggestions

    def apply(self, answer: dict[str, Any]) -> None:
        items = string_list(answer.get("autocomplete"), "fetch:response:autocomplete")
        self.suggester.items = items
        line = self.query_children(".field-suggestions").first(Static)
        line.display = bool(items)
        if items:
            line.update(Content("Known: ") + Content(", ".join(items)) + Content.styled("  (→ completes)", "dim"))
        value = answer.get("value")
        if isinstance(value, list):
            value = value[0] if value else None
        if value is None or isinstance(value, dict | bool):
            return
        current = self.value
        # The fetched value fills an empty field, or replaces one it filled itself, never typing.
        if current in (MISSING, None, "") or current == self._memory.get("filled"):
            self._memory["filled"] = str(value)
            self.control.value = str(value)


class ActiveDropdownBox(DynamicBox):
    """ActiveDropdown: one value out of a list the fetch returns (labels and values)."""

    def compose_control(self) -> ComposeResult:
        current = self.value
        prompt = "Loading…" if current in (MISSING, None) else f"{current} (loading…)"
        yield Select[str]([], prompt=prompt, allow_blank=True, classes=compact("field-select"), compact=True)

    @property
    def control(self) -> Select[str]:
        return self.query_one(Select)

    def apply(self, answer: dict[str, Any]) -> None:
        options = dropdown_options(answer)
        select = self.control
        select.set_options([(Content(label), value) for label, value in options])
        select.prompt = "Select…"
        values = [value for _, value in options]
        current = self.value
        if isinstance(current, str) and current in values:
            select.value = current
        elif current not in (MISSING, None):
            self.erase()
            self.show_status(f"{current} is not offered any more; choose again.")

    def not_ready(self) -> None:
        self.control.set_options([])

    fetch_failed = not_ready

    @on(Select.Changed)
    def _changed(self, event: Select.Changed) -> None:
        event.stop()
        # Read the widget, not the event: options replaced by a fetch post a blank first.
        value = event.select.value
        if value is Select.NULL:
            if self.answer is not None and self.value is not MISSING:
                self.erase()
            return
        if value != self.value:
            self.write(value)


class ActiveMultiBox(DynamicBox):
    """ActiveMultiSelect: several strings, offered by a fetch; some preselected, some mandatory."""

    def __init__(self, field: Field, form: FormView, *, bare: bool = False) -> None:
        super().__init__(field, form, bare=bare)
        self.options: list[str] = []
        self.mandatory: list[str] = []
        session = form.dynamic
        memory = session.memory(field.path) if session is not None else {}
        self.added: list[str] = memory.setdefault("added", [])
        """Items typed in by the user (``ui:allowNewItems``): kept whatever the fetch says."""

    def _current(self) -> list[str]:
        value = self.value
        return [str(item) for item in value] if isinstance(value, list) else []

    def compose_control(self) -> ComposeResult:
        current = self._current()
        self.options = list(current)
        yield SelectionList[str](
            *[Selection(Content(item), item, True) for item in current], classes=compact("field-checks"), compact=True
        )
        if self.props.allow_new_items:
            yield FieldInput(placeholder="Add another, then Enter", classes=compact("field-new-item"), compact=True)

    @property
    def control(self) -> SelectionList[str]:
        return self.query_one(SelectionList)

    def apply(self, answer: dict[str, Any]) -> None:
        offered = string_list(answer.get("autocomplete"), "fetch:response:autocomplete")
        preselected = string_list(answer.get("value"), "fetch:response:value")
        self.mandatory = string_list(answer.get("mandatory"), "fetch:response:mandatory")
        current = self._current()
        keep = [item for item in current if item in offered or item in self.added]
        if not [item for item in keep if item not in self.mandatory]:
            keep += [item for item in preselected if item not in keep]
        keep += [item for item in self.mandatory if item not in keep]
        self._show(offered, keep)

    def _show(self, offered: list[str], chosen: list[str]) -> None:
        self.options = list(dict.fromkeys([*offered, *self.added, *chosen]))
        control = self.control
        control.clear_options()
        control.add_options(
            [
                Selection(
                    Content(item) + (Content.styled(" (required)", "dim") if item in self.mandatory else Content("")),
                    item,
                    item in chosen,
                    disabled=item in self.mandatory,
                )
                for item in self.options
            ]
        )
        self._store(chosen)

    def _store(self, chosen: list[str]) -> None:
        values = [item for item in self.options if item in chosen]
        if values:
            if values != self.value:
                self.write(values)
        elif self.value is not MISSING:
            self.erase()

    @on(SelectionList.SelectedChanged)
    def _changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        event.stop()
        selected = set(event.selection_list.selected) | set(self.mandatory)
        self._store([item for item in self.options if item in selected])

    @on(Input.Submitted, ".field-new-item")
    def _added(self, event: Input.Submitted) -> None:
        event.stop()
        item = event.value.strip()
        event.input.value = ""
        if not item:
            return
        if item not in self.added:
            self.added.append(item)
        chosen = [*self._current(), item] if item not in self._current() else self._current()
        offered = [option for option in self.options if option not in self.added]
        self._show(offered, chosen)

    @on(Input.Changed, ".field-new-item")
    def _typing(self, event: Input.Changed) -> None:
        event.stop()


class ActiveTextBox(DynamicBox):
    """ActiveText: Markdown filled from the form and from a fetch; holds no value."""

    TITLED = False

    def __init__(self, field: Field, form: FormView, *, bare: bool = False) -> None:
        super().__init__(field, form, bare=bare)
        if self.props.variant:
            self.add_class(f"-variant-{self.props.variant}")
        self._shown: str | None = None

    def compose_control(self) -> ComposeResult:
        yield Markdown("", classes="active-text")

    def data_changed(self, *, immediate: bool = False) -> None:
        super().data_changed(immediate=immediate)
        if self.props.fetch is not None and self.answer is not None:
            # The text may show form values too: keep them current.
            self.apply(self.answer)

    def apply(self, answer: dict[str, Any]) -> None:
        session = self.form.dynamic
        if session is None:
            return
        text = render_text(self.props.text or "", session.context(self.form.model.data), answer)
        if text != self._shown:
            self._shown = text
            self.query_one(Markdown).update(text)

    def not_ready(self) -> None:
        self._shown = None
        self.query_one(Markdown).update("")


class SchemaUpdaterBox(DynamicBox):
    """SchemaUpdater: no widget of its own; its fetch replaces parts of the form's schema."""

    TITLED = False

    def compose_help(self) -> ComposeResult:
        status = Static(classes="field-dynamic")
        status.display = False
        yield status

    def show_status(self, text: str | None, *, error: bool = False) -> None:
        if text == "Loading…":
            text = "Loading more fields…"
        super().show_status(text, error=error)

    def apply(self, answer: dict[str, Any]) -> None:
        patch = answer.get("value")
        if not isinstance(patch, dict):
            raise DynamicFieldError("SchemaUpdater: the answer must be a JSON object of property schemas.")
        if self.form.model.update_schema(patch):
            self.form.request_sync()


BOXES: dict[str, type[DynamicBox]] = {
    "active_input": ActiveInputBox,
    "active_dropdown": ActiveDropdownBox,
    "active_multi": ActiveMultiBox,
    "active_text": ActiveTextBox,
    "schema_updater": SchemaUpdaterBox,
}
