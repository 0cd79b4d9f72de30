"""Open a web UI link in the console: the screen the link's page corresponds to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from orch_tui.core.deeplink import DeepLink, Route
from orch_tui.core.entity import EntityRefError, parse_entity_ref

if TYPE_CHECKING:
    from orch_tui.ui.app import OrchApp


def open_link(app: OrchApp, link: DeepLink) -> None:
    """Push the link's screen over the workflow list, with the screens a user would have come
    through below it (a workflow under its runs or run form), so Esc walks back naturally.

    An execute link opens the run form only: nothing is sent before the user presses Run.
    The entity routes (``/orchestrator/entity/…``, an entity's Workflows tab) scope the console to
    their entity first, as the web UI's pages are scoped.
    """
    route = link.route
    workflow_id = link.workflow_id
    if link.entity and route in (Route.ENTITY_WORKFLOW, Route.ENTITY_RUN, Route.ENTITY_WORKFLOWS):
        try:
            app.set_scope(parse_entity_ref(link.entity))
        except EntityRefError:
            pass  # the link parser already checked it
    if route in (Route.WORKFLOW, Route.ENTITY_WORKFLOW, Route.WORKFLOW_RUNS, Route.EXECUTE) and workflow_id:
        app.open_workflow(workflow_id)
    if route is Route.WORKFLOW_RUNS:
        app.open_runs(workflow_id)
    elif route is Route.EXECUTE and workflow_id:
        from orch_tui.ui.screens.execute_link import LinkedExecuteScreen

        app.push_screen(
            LinkedExecuteScreen(
                workflow_id, query=link.query, instance_id=link.instance_id, target_entity=link.entity
            )
        )
    elif route in (Route.RUN, Route.ENTITY_RUN) and link.run_id:
        app.open_run(link.run_id)
