"""Breadcrumbs: a short name for each place of the screen stack (``Workflows › Greeting › Runs``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.screen import Screen

if TYPE_CHECKING:
    from orch_tui.ui.app import OrchApp


def screen_crumb(app: OrchApp, screen: Screen[Any]) -> str | None:
    """One breadcrumb for a screen of the stack; None for dialogs."""
    from orch_tui.core.formatting import single_line
    from orch_tui.ui.screens.api_log import ApiLogScreen
    from orch_tui.ui.screens.execute import ExecuteScreen
    from orch_tui.ui.screens.help import HelpScreen
    from orch_tui.ui.screens.run_detail import RunDetailScreen
    from orch_tui.ui.screens.runs import RunListScreen
    from orch_tui.ui.screens.workflow_detail import WorkflowDetailScreen
    from orch_tui.ui.screens.workflows import WorkflowListScreen

    if isinstance(screen, WorkflowListScreen):
        return "Workflows"
    if isinstance(screen, WorkflowDetailScreen):
        workflow = app.workflows.get(screen.workflow_id)
        return single_line(workflow.display_name if workflow is not None else screen.workflow_id, 24)
    if isinstance(screen, RunListScreen):
        return "Runs"
    if isinstance(screen, RunDetailScreen):
        return screen.run_id[:8]
    if isinstance(screen, ExecuteScreen):
        return "Run form"
    if isinstance(screen, HelpScreen):
        return "Help"
    if isinstance(screen, ApiLogScreen):
        return "API log"
    return None
