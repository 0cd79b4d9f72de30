"""The ``:`` command line: jump anywhere by typing, with aliases and completion.

========================  =========================================================
``:workflows`` ``:wf``    the workflow list; ``:wf ID`` opens a workflow
``:runs``                 the runs list (of the scope, when there is one)
``:tasks``                the runs list in its Tasks view (backends with tasks)
``:run ID``               a run: by a prefix of the id among the loaded runs, or the
                          exact id
``:entity REF`` ``:e``    scope to an entity (``kind:namespace/name``, ``kind:name``
                          or ``namespace:kind:name``); ``:entity`` picks one;
                          ``:entity -`` clears the scope (as ``0`` does)
``:entity-detail [REF]``  an entity's details (facts, parts, workflows, runs); without
``:sub``                  REF the scope's entity
``:ctx`` ``:ctx NAME``    list the contexts (the current one marked); switch to
                          one in place (the screens start over at its workflows)
``:open URL``             a web UI link of the current context, on its screen
``:apilog``               the API log: the requests this console made
``:help`` ``:quit``       help, quit (``:q``)
========================  =========================================================

Tab (or →) accepts the greyed completion; an unknown command is said on the error line above
the prompt, which stays open.
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

from orch_tui.core.entity import EntityRef, EntityRefError, parse_entity_ref
from orch_tui.core.formatting import single_line

if TYPE_CHECKING:
    from orch_tui.ui.app import OrchApp

COMMANDS = ("workflows", "runs", "tasks", "run", "entity", "entity-detail", "ctx", "open", "apilog", "help", "quit")
ALIASES = {
    "e": "entity", "sub": "entity-detail", "q": "quit", "w": "workflows", "wf": "workflows", "r": "runs",
    "context": "ctx", "q!": "quit", "log": "apilog", "h": "help",
}
CLEAR_WORDS = frozenset({"-", "none", "clear"})
USAGE = (
    ":wf [ID] · :runs · :tasks · :run ID · :entity [REF|-] · :sub [REF] · :ctx [NAME] · :open URL · :apilog"
    " · :help · :q"
)


def loaded_run_ids(app: OrchApp) -> list[str]:
    """The ids of the runs on any runs list of the screen stack, most recent screen first."""
    from orch_tui.ui.screens.runs import RunListScreen

    ids: list[str] = []
    for screen in reversed(app.screen_stack):
        if isinstance(screen, RunListScreen):
            ids += [run.id for run in screen.runs if run.id not in ids]
    return ids


def configured_contexts() -> tuple[list[str], str | None]:
    """The context names of the config file and its current context; none when it cannot be read."""
    from orch_tui.core.config import list_contexts
    from orch_tui.core.errors import ConfigError

    try:
        file, _path = list_contexts()
    except ConfigError:
        return [], None
    return sorted(file.contexts), file.current_context


class CommandLine(ModalScreen[None]):
    """A one-line prompt at the bottom of the screen."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="command-line.cancel"),
        Binding("tab", "complete", "Complete", show=False, id="command-line.complete"),
    ]

    def compose(self) -> ComposeResult:
        app = cast("OrchApp", self.app)
        recent = app.recent_entities.load(app.context_name) if app.recent_entities is not None else []
        contexts, _current = configured_contexts()
        suggestions = [
            *COMMANDS,
            *(f"entity {ref.target}" for ref in recent),
            *(f"entity-detail {ref.target}" for ref in recent),
            *(f"wf {key}" for key in sorted(app.workflows)),
            *(f"run {run_id}" for run_id in loaded_run_ids(app)),
            *(f"ctx {name}" for name in contexts),
        ]
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

    @property
    def orch_app(self) -> OrchApp:
        return cast("OrchApp", self.app)

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
        handler = getattr(self, f"_command_{command.replace('-', '_')}", None)
        if command not in COMMANDS or handler is None:
            self._error(f"Unknown command :{single_line(word, 30)}. Commands: {USAGE}")
            return
        handler(argument)

    def _no_argument(self, command: str, argument: str) -> bool:
        if argument:
            self._error(f":{command} takes no argument. Commands: {USAGE}")
            return False
        return True

    def _command_entity(self, argument: str) -> None:
        app = self.orch_app
        if not argument:
            self.dismiss(None)
            app.action_pick_entity()
        elif argument.lower() in CLEAR_WORDS:
            self.dismiss(None)
            app.action_clear_scope()
        else:
            ref = self._entity_ref(argument)
            if ref is not None:
                self.dismiss(None)
                app.set_scope(ref)

    def _entity_ref(self, argument: str) -> EntityRef | None:
        """``argument`` read as an entity reference; None (the reason shown) when it is not one."""
        try:
            return parse_entity_ref(argument)
        except EntityRefError as exc:
            self._error(str(exc))
            return None

    def _command_entity_detail(self, argument: str) -> None:
        from orch_tui.ui.screens.entity_detail import open_entity_detail

        app = self.orch_app
        if not argument:
            if app.scope is None:
                self._error(":entity-detail REF (or :sub REF): no entity scope is set to show. "
                            "REF is kind:namespace/name, e.g. subscription:default/<id>.")
                return
            ref: EntityRef | None = app.scope
        else:
            ref = self._entity_ref(argument)
        if ref is not None:
            self.dismiss(None)
            open_entity_detail(app, ref)

    def _command_workflows(self, argument: str) -> None:
        app = self.orch_app
        if not argument:
            self.dismiss(None)
            app.go_root()
            return
        if argument not in app.workflows:
            matches = [key for key in app.workflows if key.casefold().startswith(argument.casefold())]
            if len(matches) != 1:
                known = ", ".join(sorted(matches)[:5]) if matches else "none of the loaded workflows"
                self._error(f"No single workflow {single_line(argument, 40)!r} (matches: {known}).")
                return
            argument = matches[0]
        self.dismiss(None)
        app.open_workflow(argument)

    def _command_runs(self, argument: str) -> None:
        if self._no_argument("runs", argument):
            self.dismiss(None)
            self.orch_app.open_runs()

    def _command_tasks(self, argument: str) -> None:
        from orch_tui.core.backend import CAN_TASKS
        from orch_tui.core.run_query import RunView

        if not self._no_argument("tasks", argument):
            return
        if CAN_TASKS not in self.orch_app.capabilities:
            self._error("This orchestrator has no tasks: :runs lists its runs.")
            return
        self.dismiss(None)
        self.orch_app.open_runs(view=RunView.TASKS)

    def _command_run(self, argument: str) -> None:
        if not argument or " " in argument:
            self._error(":run ID: a run id, or the start of one shown on a runs list.")
            return
        ids = loaded_run_ids(self.orch_app)
        matches = [run_id for run_id in ids if run_id.casefold().startswith(argument.casefold())]
        if len(matches) > 1 and argument not in matches:
            shown = ", ".join(matches[:4]) + (" …" if len(matches) > 4 else "")
            self._error(f"{len(matches)} loaded runs start with {argument!r}: {shown}. Type more of the id.")
            return
        run_id = argument if argument in matches or not matches else matches[0]
        self.dismiss(None)
        self.orch_app.open_run(run_id)

    def _command_ctx(self, argument: str) -> None:
        from orch_tui.core.config import context_choices
        from orch_tui.core.errors import ConfigError

        app = self.orch_app
        try:
            contexts = context_choices()
        except ConfigError as exc:
            self._error(f"Cannot read the contexts: {single_line(exc.message, 200)}")
            return
        if app.context_name not in contexts:
            contexts.append(app.context_name)
        listed = ", ".join(
            f"{single_line(name, 40)}{' (current)' if name == app.context_name else ''}" for name in contexts
        )
        if not argument:
            self._error(f"Contexts: {listed}. :ctx NAME switches to one.")
            return
        if argument == app.context_name:
            self._error(f"Already on context {single_line(argument, 40)}.")
            return
        if argument not in contexts:
            self._error(f"No context {single_line(argument, 40)!r}. Contexts: {listed}.")
            return
        self.dismiss(None)
        app.switch_context(argument)

    def _command_open(self, argument: str) -> None:
        from orch_tui.core.deeplink import LinkError, parse_link
        from orch_tui.ui.deeplink import open_link

        if not argument:
            self._error(":open URL: a link copied from the web UI (/orchestrator/…).")
            return
        try:
            link = parse_link(argument)
        except LinkError as exc:
            self._error(exc.message)
            return
        problem = self.orch_app.link_mismatch(link)
        if problem:
            self._error(problem)
            return
        self.dismiss(None)
        open_link(self.orch_app, link)

    def _command_apilog(self, argument: str) -> None:
        if self._no_argument("apilog", argument):
            self.dismiss(None)
            self.orch_app.action_api_log()

    def _command_help(self, argument: str) -> None:
        if self._no_argument("help", argument):
            self.dismiss(None)
            self.orch_app.action_help()

    def _command_quit(self, argument: str) -> None:
        if self._no_argument("quit", argument):
            self.dismiss(None)
            self.orch_app.exit()

    def action_complete(self) -> None:
        """Accept the greyed completion (as → at the end of the line does)."""
        command_input = self.query_one("#command-line-input", Input)
        command_input.cursor_position = len(command_input.value)
        command_input.action_cursor_right()

    def action_cancel(self) -> None:
        self.dismiss(None)
