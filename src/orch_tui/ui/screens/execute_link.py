"""The run form opened from a web UI execute link (``orch-tui open …/workflows/ID/execute?…``).

The form is prefilled as the web UI prefills it (:mod:`orch_tui.core.prefill`): the inputs of the
link's ``instanceId`` run are the base (as "Run again"), the query parameters go on top. Fields
the link filled are marked "prefilled"; parameters that were not applied are listed above the
form with the reason, where the web UI drops them silently. Nothing is sent before Run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from orch_tui.core.backend import StartPage

from orch_tui.core.prefill import RESERVED_PARAMS, PrefillIssue, merge_query_params
from orch_tui.ui.screens.execute import NOTICE_ID, ExecuteScreen

__all__ = ["NOTICE_ID", "LinkedExecuteScreen"]


class LinkedExecuteScreen(ExecuteScreen):
    """The run form of a workflow, prefilled from an execute link's query."""

    def __init__(
        self,
        workflow_id: str,
        *,
        query: Iterable[tuple[str, str]] = (),
        instance_id: str | None = None,
        target_entity: str | None = None,
    ) -> None:
        super().__init__(workflow_id, target_entity=target_entity)
        self.query_params = list(query)
        self.instance_id = instance_id
        self.ignored: list[PrefillIssue] = []
        """Parameters of the link that were not applied, and why."""

    async def _prepare_page(self, page: StartPage) -> StartPage:
        stored = page.data
        base = stored or {}
        if self.instance_id is not None:
            response = await self.orch_app.backend.get_input_schema(self.workflow_id, instance_id=self.instance_id)
            base = response.data or {}
        if page.empty or page.schema is None:
            self.ignored = [
                PrefillIssue(key, value, "this workflow takes no input")
                for key, value in self.query_params
                if key not in RESERVED_PARAMS
            ]
            await self.show_prefill_notice(0, self.ignored)
            return page
        result = merge_query_params(page.schema, self.query_params, base)
        self.ignored = list(result.ignored)
        self.prefilled_paths = set(result.applied)
        if self.instance_id is not None or result.applied or result.ignored:
            # What the link asked for is the form's data: no draft is offered over it.
            self.initial_data = result.data
        await self.show_prefill_notice(len(result.applied), self.ignored)
        return replace(page, data=result.data)
