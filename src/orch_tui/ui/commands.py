"""Command palette entries: open any loaded workflow, refresh, help."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from orch_tui.core.formatting import single_line

if TYPE_CHECKING:
    from orch_tui.ui.app import OrchApp


@dataclass(frozen=True)
class PaletteCommand:
    text: str
    """Plain text the query is matched against."""
    display: Content
    callback: Callable[[], object]
    help: Content | None = None


class OrchCommands(Provider):
    """The console's own commands; every label is built as Content, never markup."""

    @property
    def orch_app(self) -> OrchApp:
        return cast("OrchApp", self.app)

    def _commands(self) -> Iterator[PaletteCommand]:
        app = self.orch_app
        yield PaletteCommand("Refresh", Content("Refresh"), app.action_refresh, Content("Fetch fresh data now"))
        yield PaletteCommand("Help", Content("Help"), app.action_help, Content("Keys, status legend, file paths"))
        yield PaletteCommand(
            "All runs", Content("All runs"), app.open_runs, Content("Runs of every workflow, filtered and paged")
        )
        for workflow in app.workflows.values():
            name = single_line(workflow.display_name, 80)
            text = f"Open workflow: {name}"
            yield PaletteCommand(
                text,
                Content(text),
                partial(app.open_workflow, workflow.key),
                Content(single_line(workflow.description, 100)) if workflow.description else None,
            )

    async def discover(self) -> Hits:
        for command in self._commands():
            # help is Content, not a markup string: the palette passes Content through as is.
            help_text: Any = command.help
            yield DiscoveryHit(command.display, command.callback, text=command.text, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.text)
            if score > 0:
                help_text: Any = command.help
                yield Hit(score, command.display, command.callback, text=command.text, help=help_text)
