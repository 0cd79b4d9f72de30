"""Breadcrumbs: a short name for each place of the screen stack (``Workflows › Greeting › Runs``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.screen import Screen

if TYPE_CHECKING:
    from orch_tui.ui.app import OrchApp


def screen_crumb(app: OrchApp, screen: Screen[Any]) -> str | None:
    """One breadcrumb for a screen of the stack; None for dialogs."""
    from orch_tui.ui.screens.workflows import WorkflowListScreen

    if isinstance(screen, WorkflowListScreen):
        return "Workflows"
    # Each screen's module is imported only when a screen below it in this chain is not of its
    # kind: the first screen's breadcrumb costs no import of the others.
    from orch_tui.ui.screens.workflow_detail import WorkflowDetailScreen

    if isinstance(screen, WorkflowDetailScreen):
        from orch_tui.core.formatting import single_line

        workflow = app.workflows.get(screen.workflow_id)
        return single_line(workflow.display_name if workflow is not None else screen.workflow_id, 24)
    from orch_tui.ui.screens.runs import RunListScreen

    if isinstance(screen, RunListScreen):
        return "Runs"
    from orch_tui.ui.screens.run_detail import RunDetailScreen

    if isinstance(screen, RunDetailScreen):
        return screen.run_id[:8]
    from orch_tui.ui.screens.execute import ExecuteScreen

    if isinstance(screen, ExecuteScreen):
        return "Run form"
    from orch_tui.ui.screens.help import HelpScreen

    if isinstance(screen, HelpScreen):
        return "Help"
    from orch_tui.ui.screens.api_log import ApiLogScreen

    if isinstance(screen, ApiLogScreen):
        return "API log"
    from orch_tui.ui.screens.entity_detail import EntityDetailScreen

    if isinstance(screen, EntityDetailScreen):
        from orch_tui.core.entity import compact_ref
        from orch_tui.core.formatting import single_line

        overview = screen.overview
        return single_line(overview.title if overview is not None else compact_ref(screen.ref.target), 24)
    return None
