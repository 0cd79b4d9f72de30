"""The run form opened from a web UI execute link (``orch-tui open …/workflows/ID/execute?…``).

The form is prefilled as the web UI prefills it (:mod:`orch_tui.core.prefill`): the inputs of the
link's ``instanceId`` run are the base (as "Run again"), the query parameters go on top. Fields
the link filled are marked "prefilled"; parameters that were not applied are listed above the
form with the reason, where the web UI drops them silently. Nothing is sent before Run.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.content import Content
from textual.widgets import Static

from orch_tui.core.prefill import RESERVED_PARAMS, PrefillIssue, merge_query_params
from orch_tui.ui.screens.execute import ExecuteScreen

NOTICE_ID = "execute-link-notice"


def link_notice(applied: int, ignored: list[PrefillIssue]) -> Content:
    """``2 fields prefilled from the link`` and each parameter that was not applied, with why."""
    lines: list[Content] = []
    if applied:
        noun = "field" if applied == 1 else "fields"
        lines.append(Content(f"{applied} {noun} prefilled from the link (marked “prefilled”)."))
    if ignored:
        lines.append(Content.styled("Not applied from the link:", "bold"))
        lines.extend(Content("  • ") + Content(str(issue)) for issue in ignored)
    return Content("\n").join(lines)


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

    async def _fetch_form(self) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        schema, stored = await super()._fetch_form()
        base = stored or {}
        if self.instance_id is not None:
            response = await self.orch_app.backend.get_input_schema(self.workflow_id, instance_id=self.instance_id)
            base = response.data or {}
        if not schema:
            self.ignored = [
                PrefillIssue(key, value, "this workflow takes no input")
                for key, value in self.query_params
                if key not in RESERVED_PARAMS
            ]
            await self._show_notice(0)
            return schema, stored
        result = merge_query_params(schema, self.query_params, base)
        self.ignored = list(result.ignored)
        self.prefilled_paths = set(result.applied)
        if self.instance_id is not None or result.applied or result.ignored:
            # What the link asked for is the form's data: no draft is offered over it.
            self.initial_data = result.data
        await self._show_notice(len(result.applied))
        return schema, result.data

    async def _show_notice(self, applied: int) -> None:
        await self.query(f"#{NOTICE_ID}").remove()
        if not applied and not self.ignored:
            return
        notice = Static(link_notice(applied, self.ignored), id=NOTICE_ID, classes="link-notice")
        notice.set_class(bool(self.ignored), "-ignored")
        await self.query_one("#execute-body").mount(notice, before=self.query_one("#execute-page"))
