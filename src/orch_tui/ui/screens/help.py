"""The ``?`` screen: keys by context, what the status glyphs mean, where files live."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, VerticalScroll
from textual.content import Content
from textual.widgets import Label, Static

from orch_tui.core.state import default_config_path, log_dir
from orch_tui.core.models import RunStatus
from orch_tui.core.status import AVAILABLE, NEVER_RUN, STATUS_LOOKS, UNAVAILABLE, StatusLook
from orch_tui.ui.screens.base import OrchScreen
from orch_tui.ui.widgets.footer import OrchFooter
from orch_tui.ui.widgets.header import AppHeader

KeySection = tuple[str, Iterable[BindingType]]

_MEANINGS = {
    RunStatus.ACTIVE: "the run is in progress",
    RunStatus.PENDING: "the run is waiting to start",
    RunStatus.SUSPENDED: "the run is paused, waiting for an event",
    RunStatus.COMPLETED: "the run finished successfully",
    RunStatus.ERROR: "the run finished with an error",
    RunStatus.ABORTED: "the run was stopped",
    RunStatus.UNKNOWN: "the backend reported a state this console does not know",
}


def shown_bindings(bindings: Iterable[BindingType]) -> list[Binding]:
    """Bindings that carry a description, one per action (the first key wins)."""
    seen: set[str] = set()
    result: list[Binding] = []
    for binding in Binding.make_bindings(bindings):
        if not binding.description or binding.action in seen:
            continue
        seen.add(binding.action)
        result.append(binding)
    return result


class HelpScreen(OrchScreen[None]):
    """Keys, status legend and paths."""

    SCOPE_KEYS = False
    BINDINGS = [
        Binding("escape", "close", "Close", id="help.close"),
        Binding("q", "close", "Close", show=False, id="help.close-alt"),
        Binding("question_mark", "close", "Close", show=False, id="help.close-toggle"),
    ]

    def __init__(self, sections: list[KeySection], notes: Iterable[str] = ()) -> None:
        super().__init__(id="help")
        self._sections = sections
        self._notes = list(notes)

    def compose(self) -> ComposeResult:
        yield AppHeader()
        with VerticalScroll(id="help-body"):
            yield Static(Content("Help"), classes="help-title")
            for note in self._notes:
                yield Static(Content(note), classes="help-note")
            for title, bindings in self._sections:
                yield Static(Content(title), classes="help-section")
                with Grid(classes="help-keys"):
                    for binding in shown_bindings(bindings):
                        binding = self._rebound(binding)
                        yield Label(Content(self.app.get_key_display(binding)), classes="help-key")
                        yield Label(Content(binding.description), classes="help-text")
            yield Static(Content("Status legend"), classes="help-section")
            with Grid(classes="help-legend"):
                for look, meaning in self._legend():
                    yield Label(Content(look.label()), classes=f"help-glyph {look.style_class}")
                    yield Label(Content(meaning), classes="help-text")
            yield Static(Content("Files"), classes="help-section")
            with Grid(classes="help-keys"):
                yield Label(Content("config"), classes="help-key")
                yield Label(Content(str(default_config_path())), classes="help-text", id="help-config-path")
                yield Label(Content("logs"), classes="help-key")
                yield Label(Content(str(log_dir())), classes="help-text", id="help-log-path")
        yield OrchFooter()

    def _rebound(self, binding: Binding) -> Binding:
        """The binding with the key the config's ``[keymap]`` gives it, if any."""
        keys = getattr(self.app, "keymap_overrides", {}).get(binding.id or "")
        return replace(binding, key=keys.split(",")[0]) if keys else binding

    @staticmethod
    def _legend() -> list[tuple[StatusLook, str]]:
        rows: list[tuple[StatusLook, str]] = [
            (look, _MEANINGS.get(status, "")) for status, look in STATUS_LOOKS.items()
        ]
        rows.append((NEVER_RUN, "the workflow has never run"))
        rows.append((AVAILABLE, "the workflow service answers"))
        rows.append((UNAVAILABLE, "the workflow service is down; it cannot be run"))
        return rows

    def action_close(self) -> None:
        self.dismiss()
