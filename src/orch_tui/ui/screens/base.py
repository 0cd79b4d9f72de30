"""What every console screen shares: access to the app, and worker failures sent to it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual.screen import Screen
from textual.worker import Worker

from orch_tui.ui.widgets.failure import Failure

if TYPE_CHECKING:
    from orch_tui.ui.app import OrchApp

ResultType = TypeVar("ResultType")

LOADING_DELAY = 0.25
"""Seconds a screen waits for its first data before it shows a loading indicator."""


class OrchScreen(Screen[ResultType]):
    """A screen whose workers' failures are handled by the app, in one place.

    Worker state messages do not bubble, so each screen hands them to the app;
    the app turns the error into a :class:`Failure`, logs it, and gives it back
    to :meth:`handle_failure` to show where it belongs (a stale marker, an
    error panel) or notifies when nobody claims it.
    """

    SCOPE_KEYS = True
    """The app's entity-scope keys (``:``, ``e``, ``0``) work over this screen."""

    @property
    def orch_app(self) -> OrchApp:
        return cast("OrchApp", self.app)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.orch_app.worker_state_changed(event)

    def handle_failure(self, worker: Worker[Any], failure: Failure) -> bool:
        """Show a failed worker in place; return False to leave it to a notification."""
        return False
