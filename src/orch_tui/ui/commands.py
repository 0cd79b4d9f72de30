"""Command palette entries: open or run any loaded workflow, the entity scope, refresh, help,
switching context, read-only on or off, and the actions of the screen underneath (a run's abort,
run again, retrigger).  Textual's own commands (theme, keys, screenshot, quit) are offered too.

In a read-only context nothing that starts, stops or resumes a run is offered; an action the
permissions deny is left out too (its key on the screen says why).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol, cast, runtime_checkable

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from orch_tui.core.backend import CAN_TASKS
from orch_tui.core.entity import compact_ref
from orch_tui.core.formatting import single_line
from orch_tui.core.status import status_look
from orch_tui.ui.engine import retry_failed_tasks

if TYPE_CHECKING:
    from orch_tui.ui.app import OrchApp


@dataclass(frozen=True)
class PaletteCommand:
    text: str
    """Plain text the query is matched against."""
    display: Content
    callback: Callable[[], object]
    help: Content | None = None


@runtime_checkable
class PaletteSource(Protocol):
    """A screen that offers its own palette commands (only those it can carry out now)."""

    def palette_commands(self) -> Iterator[PaletteCommand]: ...


def command(text: str, callback: Callable[[], object], help_text: str | None = None) -> PaletteCommand:
    """A palette entry whose label and help are literal text."""
    return PaletteCommand(text, Content(text), callback, Content(help_text) if help_text else None)


MAX_RUN_COMMANDS = 200
"""Runs offered by id at the most (the newest runs lists first)."""


class OrchCommands(Provider):
    """The console's own commands; every label is built as Content, never markup."""

    @property
    def orch_app(self) -> OrchApp:
        return cast("OrchApp", self.app)

    def _commands(self) -> Iterator[PaletteCommand]:
        app = self.orch_app
        screen = self.screen
        yield command("Refresh", app.action_refresh, "Fetch fresh data now")
        yield command("Help", app.action_help, "Keys, status legend, file paths")
        yield command("API log", app.action_api_log, "The requests made: method, path, status, latency")
        yield command("All runs", app.open_runs, "Runs of every workflow (of the entity scope), filtered and paged")
        if CAN_TASKS in app.capabilities:
            from orch_tui.core.run_query import RunView

            yield command("Tasks", partial(app.open_runs, view=RunView.TASKS), "The runs that are tasks")
            if not app.read_only:
                yield command("Retry failed tasks", partial(retry_failed_tasks, app),
                              "Run every failed task again from the step it stopped at (asks first)")
        yield self._read_only_command()
        if getattr(screen, "SCOPE_KEYS", False):
            yield from self._scope_commands()
            yield from self._context_commands()
        if isinstance(screen, PaletteSource):
            yield from screen.palette_commands()
        yield from self._run_commands()
        for workflow in app.workflows.values():
            name = single_line(workflow.display_name, 80)
            description = single_line(workflow.description, 100) if workflow.description else None
            yield command(f"Open workflow: {name}", partial(app.open_workflow, workflow.key), description)
            if not app.read_only and workflow.available and app.run_denied(workflow.key) is None:
                yield command(f"Run workflow: {name}", partial(app.open_execute, workflow.key),
                              "Open its run form; nothing starts before Run")

    def _run_commands(self) -> Iterator[PaletteCommand]:
        """Jump to a run by (the start of) its id: the runs on the runs lists of the screen stack."""
        from orch_tui.ui.screens.runs import RunListScreen

        app = self.orch_app
        seen: set[str] = set()
        for screen in reversed(app.screen_stack):
            if not isinstance(screen, RunListScreen):
                continue
            for run in screen.runs:
                if run.id in seen or len(seen) >= MAX_RUN_COMMANDS:
                    continue
                seen.add(run.id)
                what = single_line(run.workflow_label, 60)
                yield command(f"Open run: {single_line(run.id, 60)}", partial(app.open_run, run.id),
                              f"{what} · {status_look(run.status).word}" if what else None)

    def _scope_commands(self) -> Iterator[PaletteCommand]:
        from orch_tui.ui.screens.entity_detail import open_entity_detail

        app = self.orch_app
        yield command("Scope to an entity…", app.action_pick_entity, "Recent entities and a catalog search")
        if app.scope is not None:
            yield command("Clear the entity scope", app.action_clear_scope, f"Now: {app.scope.target}")
            yield command("Entity details", partial(open_entity_detail, app, app.scope),
                          f"{app.scope.target}: its facts, parts, workflows and runs")
        if app.recent_entities is not None:
            for ref in app.recent_entities.load(app.context_name):
                if ref != app.scope:
                    yield command(f"Scope to entity: {compact_ref(ref.target)}", partial(app.set_scope, ref),
                                  "Recently used")

    def _read_only_command(self) -> PaletteCommand:
        app = self.orch_app
        if not app.read_only:
            why = "Now writable: offer no run start, abort or retrigger, and the backend adapter refuses them"
        elif app.configured_read_only:
            why = "Now read-only, as the context is configured: it stays read-only"
        else:
            why = "Now read-only: offer runs again"
        return command("Toggle read-only", app.action_toggle_read_only, why)

    def _context_commands(self) -> Iterator[PaletteCommand]:
        """Every other context of the config file, and the built-in demo."""
        from orch_tui.core.config import context_choices
        from orch_tui.core.errors import ConfigError

        app = self.orch_app
        try:
            names = context_choices()
        except ConfigError:
            return  # :ctx says what is wrong with the config file
        for name in names:
            if name != app.context_name:
                yield command(f"Switch context: {single_line(name, 60)}", partial(app.switch_context, name),
                              "Connect to it here: the screens start over at its workflows")

    async def discover(self) -> Hits:
        for entry in self._commands():
            # help is Content, not a markup string: the palette passes Content through as is.
            help_text: Any = entry.help
            yield DiscoveryHit(entry.display, entry.callback, text=entry.text, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for entry in self._commands():
            score = matcher.match(entry.text)
            if score > 0:
                help_text: Any = entry.help
                yield Hit(score, entry.display, entry.callback, text=entry.text, help=help_text)
