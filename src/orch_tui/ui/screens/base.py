"""What every console screen shares: access to the app, and worker failures sent to it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from textual import events, on
from textual._compositor import Compositor
from textual.geometry import Size
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import Worker

from orch_tui.ui.widgets.failure import Failure

if TYPE_CHECKING:
    from orch_tui.ui.app import OrchApp

ResultType = TypeVar("ResultType")

LOADING_DELAY = 0.25
"""Seconds a screen waits for its first data before it shows a loading indicator."""


class LaidOutCompositor(Compositor):
    """Textual's compositor, with its map of every widget known to be up to date after a full layout.

    A scroll, or a change to a widget off the view, marks that map out of date; the full layout
    that follows builds it anew but leaves the mark, so the next question about a widget off the
    view (where it is, how big it is) lays the whole screen out a second time: on a long form,
    each page scrolled cost two layouts.
    """

    def reflow(self, parent: Widget, size: Size) -> Any:
        result = super().reflow(parent, size)
        self._full_map_invalidated = False
        return result


class OrchScreen(Screen[ResultType]):
    """A screen whose workers' failures are handled by the app, in one place.

    Worker state messages do not bubble, so each screen hands them to the app;
    the app turns the error into a :class:`Failure`, logs it, and gives it back
    to :meth:`handle_failure` to show where it belongs (a stale marker, an
    error panel) or notifies when nobody claims it.
    """

    SCOPE_KEYS = True
    """The app's entity-scope keys (``:``, ``e``, ``0``) work over this screen."""

    RESTYLE_ON_FIRST_SHOW: ClassVar[bool] = True
    """Textual styles every widget of a screen again each time it is shown.  A screen that says
    False skips that the first time: its widgets were styled as they were mounted, just before,
    and nothing has changed since; on a big screen the pass would delay the first paint."""

    _shown_before = False

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    """The focused widget, as Textual's, but a move of the focus does not draw the whole screen
    again: the widgets that gain and lose it restyle, and so redraw, themselves."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._compositor = LaidOutCompositor()

    @on(events.ScreenResume)
    def _first_show(self, event: events.ScreenResume) -> None:
        # Runs before Textual's own handler, which reads refresh_styles.
        if not self._shown_before:
            self._shown_before = True
            if not self.RESTYLE_ON_FIRST_SHOW:
                event.refresh_styles = False

    @property
    def orch_app(self) -> OrchApp:
        return cast("OrchApp", self.app)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.orch_app.worker_state_changed(event)

    def handle_failure(self, worker: Worker[Any], failure: Failure) -> bool:
        """Show a failed worker in place; return False to leave it to a notification."""
        return False
