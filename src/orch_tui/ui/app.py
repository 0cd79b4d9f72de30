"""The Textual application: owns the backend, the freshness state and error routing."""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping
from datetime import datetime
from typing import Any, ClassVar, Protocol, runtime_checkable

from pydantic import SecretStr
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.signal import Signal
from textual.worker import Worker, WorkerState

from orch_tui.core.backend import Backend
from orch_tui.core.deeplink import DeepLink
from orch_tui.core.drafts import DraftStore
from orch_tui.core.formatting import utcnow
from orch_tui.core.models import WorkflowOverview
from orch_tui.resources import stylesheets
from orch_tui.ui.commands import OrchCommands
from orch_tui.ui.widgets.failure import Failure
from orch_tui.ui.widgets.header import LinkState

log = logging.getLogger(__name__)


@runtime_checkable
class FailureHandler(Protocol):
    """A screen or widget that shows its own workers' failures (stale marker, error panel)."""

    def handle_failure(self, worker: Worker[Any], failure: Failure) -> bool: ...


class OrchApp(App[None]):
    """Terminal console for a workflow orchestrator."""

    TITLE = "orch-tui"
    CSS_PATH: ClassVar[list[str]] = [str(path) for path in stylesheets()]  # type: ignore[misc]
    COMMANDS = App.COMMANDS | {OrchCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.quit"),
        Binding("question_mark", "help", "Help", id="app.help"),
    ]

    def __init__(
        self,
        backend: Backend | None,
        *,
        context_name: str = "demo",
        read_only: bool = False,
        refresh_interval: float = 5.0,
        clock: Callable[[], datetime] = utcnow,
        drafts: DraftStore | None = None,
        provider_tokens: Mapping[str, SecretStr] | None = None,
        deep_link: DeepLink | None = None,
    ) -> None:
        super().__init__()
        self.deep_link = deep_link
        """A web UI link to open once the console is up (``orch-tui open URL``)."""
        self.provider_tokens: Mapping[str, SecretStr] = dict(provider_tokens or {})
        """Sign-in tokens per provider, sent as ``authTokens`` to workflows that ask for them."""
        self.drafts = drafts
        """Where run-form drafts are kept; None keeps none."""
        self.backend = backend
        self.context_name = context_name
        self.read_only = read_only
        self.refresh_interval = refresh_interval
        self.clock = clock
        self.link = LinkState()
        self.link_changed: Signal[LinkState] = Signal(self, "link-changed")
        self.workflows: dict[str, WorkflowOverview] = {}
        """The latest workflow list, for the palette and for opening details quickly."""

    def get_default_screen(self) -> Screen[Any]:
        from orch_tui.ui.screens.workflows import WorkflowListScreen

        return WorkflowListScreen()

    def on_mount(self) -> None:
        if self.deep_link is not None:
            from orch_tui.ui.deeplink import open_link

            open_link(self, self.deep_link)

    async def on_unmount(self) -> None:
        if self.backend is None:
            return
        try:
            await self.backend.aclose()
        except Exception:  # closing must never turn a clean quit into a crash
            log.exception("closing the backend failed")

    # -- shared state ------------------------------------------------------

    def workflows_loaded(self, workflows: list[WorkflowOverview]) -> None:
        self.workflows = {workflow.key: workflow for workflow in workflows}

    def link_succeeded(self) -> None:
        was_stale = self.link.stale
        self.link.succeeded(self.clock())
        self.link_changed.publish(self.link)
        if was_stale:
            self.notify("Backend reachable again.", title="Recovered", markup=False)

    def link_failed(self, failure: Failure) -> float:
        """Mark the data stale; return the delay before the next retry."""
        delay = self.link.failed(failure, self.clock(), self.refresh_interval)
        self.link_changed.publish(self.link)
        return delay

    # -- navigation --------------------------------------------------------

    def open_workflow(self, workflow_id: str) -> None:
        from orch_tui.ui.screens.workflow_detail import WorkflowDetailScreen

        while len(self.screen_stack) > 1 and not self._is_root(self.screen):
            self.pop_screen()
        self.push_screen(WorkflowDetailScreen(workflow_id, self.workflows.get(workflow_id)))

    def open_execute(
        self,
        workflow_id: str,
        *,
        initial_data: dict[str, Any] | None = None,
        target_entity: str | None = None,
        prefilled_paths: Collection[str] = frozenset(),
    ) -> None:
        """Open the run form of a workflow on top of the current screen."""
        from orch_tui.ui.screens.execute import ExecuteScreen

        self.push_screen(
            ExecuteScreen(
                workflow_id,
                initial_data=initial_data,
                target_entity=target_entity,
                prefilled_paths=set(prefilled_paths),
            )
        )

    def open_runs(self, workflow_id: str | None = None, *, entity: str | None = None) -> None:
        """Open the runs list: of every workflow, or of one; of every entity, or of one."""
        from orch_tui.ui.screens.runs import RunListScreen
        from orch_tui.ui.widgets.run_filters import RunFilters

        workflow = self.workflows.get(workflow_id) if workflow_id is not None else None
        screen = RunListScreen(workflow_id, workflow.display_name if workflow is not None else None)
        if entity is not None:
            screen.query_state = screen.query_state.with_filters(RunFilters(entity=entity))
        self.push_screen(screen)

    def open_run(self, run_id: str) -> None:
        """Open one run on top of the current screen."""
        from orch_tui.ui.screens.run_detail import RunDetailScreen

        self.push_screen(RunDetailScreen(run_id))

    def _is_root(self, screen: Screen[Any]) -> bool:
        return screen is self.screen_stack[0]

    def action_help(self) -> None:
        from orch_tui.ui.screens.execute import ExecuteScreen
        from orch_tui.ui.screens.help import HelpScreen, KeySection
        from orch_tui.ui.screens.run_detail import RunDetailScreen
        from orch_tui.ui.screens.runs import RunListScreen
        from orch_tui.ui.screens.workflow_detail import WorkflowDetailScreen
        from orch_tui.ui.screens.workflows import WorkflowListScreen
        from orch_tui.ui.widgets.run_results import LinkTable, NextWorkflowTable
        from orch_tui.ui.widgets.run_table import RunTable
        from orch_tui.ui.widgets.workflow_table import WorkflowTable

        if isinstance(self.screen, HelpScreen):
            return
        # The run screens' keys are listed when help is asked for from one of them.
        run_sections: list[KeySection] = []
        if isinstance(self.screen, (RunListScreen, RunDetailScreen)):
            run_sections = [
                ("Runs", [*RunTable.BINDINGS, *RunListScreen.BINDINGS]),
                ("Run detail", [*RunDetailScreen.BINDINGS, *LinkTable.BINDINGS, *NextWorkflowTable.BINDINGS]),
            ]
        sections: list[KeySection] = [
            ("Everywhere", [*self.BINDINGS, self._palette_binding()]),
            *run_sections,
            ("Workflow list", [*WorkflowTable.BINDINGS, *WorkflowListScreen.BINDINGS]),
            ("Workflow detail", WorkflowDetailScreen.BINDINGS),
            ("Run form", ExecuteScreen.BINDINGS),
            ("Help", HelpScreen.BINDINGS),
        ]
        self.push_screen(HelpScreen(sections))

    def _palette_binding(self) -> Binding:
        return Binding(self.COMMAND_PALETTE_BINDING, "command_palette", "Command palette")

    def action_refresh(self) -> None:
        refresh = getattr(self.screen, "action_refresh", None) or getattr(self.screen, "action_reload", None)
        if callable(refresh):
            refresh()

    # -- the one place worker failures are handled -------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.worker_state_changed(event)

    def worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Every worker failure, from any screen, ends up here."""
        if event.state is not WorkerState.ERROR:
            return
        worker = event.worker
        error = worker.error
        if error is None:
            return
        failure = Failure.from_exception(error)
        if failure.expected:
            log.warning("%s failed: %s", worker.description or worker.name, failure.summary)
        else:
            log.error("%s crashed", worker.description or worker.name, exc_info=error)
        node = worker.node
        handled = isinstance(node, FailureHandler) and node.is_attached and node.handle_failure(worker, failure)
        if not handled or not failure.expected:
            self.notify(failure.message, title=failure.title, severity="error", timeout=8, markup=False)
