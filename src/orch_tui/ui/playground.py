"""The form playground: a local input schema in the run form; Run hands back the payload.

Workflow authors use it to see their schema as users will (``orch-tui form SCHEMA.json``).
Nothing is sent anywhere: Run ends the app with the payload, quitting ends it with none.
"""

from __future__ import annotations

from typing import Any

from textual.content import Content

from orch_tui.core.backend import OnePageSession, StartOutcome, StartPage, StartSession
from orch_tui.core.errors import BadRequest
from orch_tui.core.formatting import single_line
from orch_tui.core.prefill import PrefillResult
from orch_tui.ui.app import OrchApp
from orch_tui.ui.screens.execute import ExecuteScreen


class PlaygroundScreen(ExecuteScreen):
    """The run form for a schema given directly instead of fetched from a backend."""

    def __init__(
        self,
        schema: dict[str, Any],
        data: dict[str, Any] | None,
        title: str,
        prefill: PrefillResult | None = None,
    ) -> None:
        super().__init__(
            "form-playground", initial_data=data, prefilled_paths=prefill.applied if prefill is not None else ()
        )
        self._schema = schema
        self._title = title
        self._prefill = prefill

    def _dynamic_session(self) -> None:
        # Nothing is fetched for a local schema: dynamic widgets say so and act as plain fields.
        return None

    async def _open_session(self) -> tuple[StartSession, StartOutcome]:
        # A local one-page session: the schema as given; Run hands the payload back (``_submit``).
        if self._prefill is not None:
            await self.show_prefill_notice(len(self._prefill.applied), list(self._prefill.ignored), "--query")
        schema, data = self._schema, self.initial_data

        async def load() -> StartPage:
            return StartPage(schema, data)

        async def run(payload: dict[str, Any], tokens: Any) -> str:
            raise BadRequest("The playground starts nothing.")

        session = OnePageSession(load, run, title=self._title)
        return session, await session.open()

    def _update_title(self) -> None:
        self.query_one("#execute-title").update(Content("Form playground · ") + Content(single_line(self._title, 80)))

    async def _submit(self, payload: dict[str, Any]) -> None:
        self.app.exit(payload)

    def action_close(self) -> None:
        self.app.exit(None)


class PlaygroundApp(OrchApp):
    def __init__(
        self, schema: dict[str, Any], data: dict[str, Any] | None, title: str, prefill: PrefillResult | None = None
    ) -> None:
        super().__init__(None, context_name="playground")
        self._screen_args = (schema, data, title, prefill)

    def get_default_screen(self) -> PlaygroundScreen:  # type: ignore[override]
        return PlaygroundScreen(*self._screen_args)


def run_playground(
    schema: dict[str, Any],
    data: dict[str, Any] | None,
    title: str = "local schema",
    prefill: PrefillResult | None = None,
) -> Any:
    """Run the playground; the payload when the user pressed Run, None when they quit.

    ``prefill`` (from ``--query``) marks the fields it filled and lists what it did not apply.
    """
    app = PlaygroundApp(schema, data, title, prefill)
    return app.run()
