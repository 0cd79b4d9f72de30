"""The engine and its tasks in the console (backends with ``CAN_ENGINE`` / ``CAN_TASKS``): the
header badge's text, and "Retry failed tasks" (asked first, sent in a worker, the count said)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from orch_tui.core.backend import CAN_TASKS
from orch_tui.core.formatting import single_line
from orch_tui.core.status import ENGINE_UNKNOWN, engine_look
from orch_tui.ui.widgets.failure import Failure

if TYPE_CHECKING:
    from orch_tui.core.engine import EngineState
    from orch_tui.ui.app import OrchApp

RETRY_TASKS_PREFIX = "Cannot retry failed tasks"
NO_TASKS = "this orchestrator has no tasks"
READ_ONLY_TASKS = "read-only context: failed tasks are not retried from here"


def engine_texts(engine: EngineState | None, failure: Failure | None) -> list[str]:
    """The badge's text, longest first (the header shows the longest that fits): ``▶ running``,
    ``⏸ paused · 3 failed tasks`` down to ``⏸ paused``; ``? engine`` when it could not be
    fetched; none before the first answer."""
    if failure is not None:
        return [ENGINE_UNKNOWN.label()]
    if engine is None:
        return []
    head = engine_look(engine.state).label()
    failed = engine.failed_tasks
    if failed <= 0:
        return [head]
    return [
        f"{head} · {failed} failed task{'' if failed == 1 else 's'}",
        f"{head} · {failed} failed",
        f"{head} · {failed}✖",
        f"{head} {failed}✖",
        head,
    ]


def engine_class(engine: EngineState | None, failure: Failure | None) -> str:
    """The style class of the badge (colour only adds to the glyph and the word)."""
    if failure is not None or engine is None:
        return ENGINE_UNKNOWN.style_class
    return engine_look(engine.state).style_class


def retry_tasks_blocked(app: OrchApp) -> str | None:
    """Why failed tasks cannot be retried from this console now, or None."""
    if CAN_TASKS not in app.capabilities:
        return NO_TASKS
    if app.read_only:
        return READ_ONLY_TASKS
    return None


def retry_failed_tasks(app: OrchApp) -> None:
    """Ask, then retry every failed task (the server's count of them is said afterwards)."""
    from orch_tui.ui.widgets.confirm import ConfirmDialog

    blocked = retry_tasks_blocked(app)
    if blocked is not None:
        app.notify(f"{RETRY_TASKS_PREFIX}: {blocked}", markup=False, severity="warning")
        return
    engine = app.engine
    known = ""
    if engine is not None and app.engine_failure is None:
        count = engine.failed_tasks
        known = f"The engine counted {count} failed task{'' if count == 1 else 's'} when last asked. "
    message = Content(
        f"Every task that failed (or waits, or met an unavailable API or inconsistent data) is run "
        f"again from the step it stopped at. {known}Runs that are not tasks are left alone."
    )

    def answered(confirmed: bool | None) -> None:
        if confirmed:
            app.run_worker(
                _retry(app), group="retry-tasks", exclusive=True, exit_on_error=False,
                description="Retrying failed tasks",
            )

    app.push_screen(
        ConfirmDialog(Content("Retry failed tasks?"), message, confirm="Retry failed tasks", danger=False), answered
    )


async def _retry(app: OrchApp) -> None:
    """Failures go to the app's one handler (a toast with the backend's reason)."""
    from orch_tui.ui.screens.runs import RunListScreen

    assert app.backend is not None
    count = await app.backend.retry_failed_tasks()
    if count:
        text = f"Retrying {count} failed task{'' if count == 1 else 's'}."
    else:
        text = "No failed tasks to retry."
    app.notify(single_line(text, 200), title="Retry failed tasks", markup=False)
    app.refresh_engine()
    if isinstance(app.screen, RunListScreen):
        app.screen.refresh_now()
