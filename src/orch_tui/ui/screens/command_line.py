"""The ``:`` command line: ``:entity REF`` scopes the console, ``:entity`` opens the picker.

=====================  ==========================================================
``:entity REF``        scope to an entity (``kind:namespace/name``, ``kind:name``
                       or ``namespace:kind:name``)
``:entity``            pick one (recent entities, catalog search)
``:entity -``          clear the scope (as ``0`` does)
``:runs``              the runs list (of the scope, when there is one)
``:workflows``         the workflow list
``:help`` / ``:quit``  help, quit
=====================  ==========================================================
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static

from orch_tui.core.entity import EntityRefError, parse_entity_ref

if TYPE_CHECKING:
    from orch_tui.ui.app import OrchApp

COMMANDS = ("entity", "runs", "workflows", "help", "quit")
ALIASES = {"e": "entity", "q": "quit", "w": "workflows", "r": "runs"}
CLEAR_WORDS = frozenset({"-", "none", "clear"})
USAGE = ":entity REF · :entity (pick) · :entity - (clear) · :runs · :workflows · :help · :quit"


class CommandLine(ModalScreen[None]):
    """A one-line prompt at the bottom of the screen."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="command-line.cancel")]

    def compose(self) -> ComposeResult:
        app = cast("OrchApp", self.app)
        recent = app.recent_entities.load(app.context_name) if app.recent_entities is not None else []
        suggestions = [*(f"entity {ref.target}" for ref in recent), *COMMANDS]
        with Vertical(id="command-line-box"):
            yield Static(id="command-line-error")
            yield Input(
                placeholder=USAGE,
                id="command-line-input",
                compact=True,
                suggester=SuggestFromList(suggestions, case_sensitive=False),
            )

    def on_mount(self) -> None:
        self.query_one("#command-line-error", Static).display = False
        self.query_one("#command-line-input", Input).focus()

    def _error(self, message: str) -> None:
        error = self.query_one("#command-line-error", Static)
        error.update(Content(message))
        error.display = True

    @on(Input.Submitted, "#command-line-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip().removeprefix(":").strip()
        if not text:
            self.dismiss(None)
            return
        word, _, rest = text.partition(" ")
        command = ALIASES.get(word.lower(), word.lower())
        argument = rest.strip()
        app = cast("OrchApp", self.app)
        if command == "entity":
            if not argument:
                self.dismiss(None)
                app.action_pick_entity()
            elif argument.lower() in CLEAR_WORDS:
                self.dismiss(None)
                app.action_clear_scope()
            else:
                try:
                    ref = parse_entity_ref(argument)
                except EntityRefError as exc:
                    self._error(str(exc))
                    return
                self.dismiss(None)
                app.set_scope(ref)
        elif command == "runs" and not argument:
            self.dismiss(None)
            app.open_runs()
        elif command == "workflows" and not argument:
            self.dismiss(None)
            while len(app.screen_stack) > 1:
                app.pop_screen()
        elif command == "help" and not argument:
            self.dismiss(None)
            app.action_help()
        elif command == "quit" and not argument:
            self.dismiss(None)
            app.exit()
        else:
            self._error(f"Unknown command {text!r}. Commands: {USAGE}")

    def action_cancel(self) -> None:
        self.dismiss(None)
