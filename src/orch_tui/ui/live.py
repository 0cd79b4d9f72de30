"""Live updates in the console: a backend's change hints refresh what is on screen.

With a backend that pushes hints (``CAN_EVENTS``) the app follows its event stream in one worker.
Hints arriving close together are gathered for :data:`GATHER` seconds and handed, as one set, to
every screen on the stack that is a :class:`LiveView`; a screen that is not showing just notes
that it must fetch when it shows again.  While the stream is up, polling slows to
:data:`SAFETY_INTERVAL` (a net for a missed hint); while it is down, or for a backend without
hints, screens poll at the refresh interval.  When the stream comes back, or goes down, every
live view refetches once, since hints may have been missed in between.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Literal, Protocol, runtime_checkable

from textual.timer import Timer
from textual.worker import Worker

from orch_tui.core import live
from orch_tui.core.backend import CAN_EVENTS
from orch_tui.core.live import Connected, Disconnected, Event, EventStream, Invalidation

if TYPE_CHECKING:
    from orch_tui.ui.app import OrchApp

log = logging.getLogger(__name__)

GATHER = 0.25
"""Seconds to gather hints before screens refetch: one change often brings several hints."""
SAFETY_INTERVAL = 60.0
"""Polling interval while the stream is up."""

EVERYTHING: frozenset[Invalidation] = frozenset(
    {Invalidation(live.RUNS), Invalidation(live.ENTITIES), Invalidation(live.ENGINE), Invalidation(live.RUN_COUNTS)}
)
"""What a view must assume changed when hints may have been missed."""

LiveState = Literal["off", "connecting", "live", "down"]


@runtime_checkable
class LiveView(Protocol):
    """A screen that refetches what it shows when the backend says it changed."""

    def live_invalidated(self, events: frozenset[Invalidation]) -> None: ...


class LiveUpdates:
    """The app's one follower of the backend's event stream."""

    def __init__(self, app: OrchApp) -> None:
        self.app = app
        self.state: LiveState = "off"
        self.reason: str | None = None
        """Why the stream is down, when it is."""
        self._stream: EventStream | None = None
        self._worker: Worker[None] | None = None
        self._pending: set[Invalidation] = set()
        self._timer: Timer | None = None

    @property
    def connected(self) -> bool:
        return self.state == "live"

    @property
    def gathering(self) -> bool:
        """Hints have arrived that the screens have not been given yet (the gathering timer runs
        exactly while there are some)."""
        return bool(self._pending)

    def poll_interval(self, base: float) -> float:
        """How often a screen polls: ``base``, or the safety interval while hints arrive."""
        return max(base, SAFETY_INTERVAL) if self.connected else base

    def start(self) -> None:
        """Follow the backend's hints, if it has any (nothing happens otherwise)."""
        backend = self.app.backend
        if self._stream is not None or backend is None or CAN_EVENTS not in backend.info.capabilities:
            return
        stream = backend.events()
        if stream is None:
            return
        self._stream = stream
        self.state = "connecting"
        self._worker = self.app.run_worker(
            self._follow(stream), name="live-updates", group="live", description="Live updates",
            exclusive=True, exit_on_error=False,
        )

    async def stop(self) -> None:
        """Stop following; screens poll at the refresh interval again."""
        stream, self._stream = self._stream, None
        worker, self._worker = self._worker, None
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._pending.clear()
        if worker is not None:
            worker.cancel()
        if stream is not None:
            try:
                await stream.aclose()
            except Exception:  # closing a broken stream has nothing left to report
                log.debug("closing the event stream failed", exc_info=True)
        self.state = "off"

    async def _follow(self, stream: EventStream) -> None:
        async for event in stream:
            if stream is not self._stream:
                return
            self.handle(event)
        if stream is self._stream:
            self.state = "down"

    def handle(self, event: Event) -> None:
        """Take one event from the stream."""
        if isinstance(event, Invalidation):
            self._pending.add(event)
            if self._timer is None:
                self._timer = self.app.set_timer(GATHER, self.flush, name="live-gather")
            return
        if isinstance(event, Connected):
            self.reason = None
            self.state = "live"
            if event.reconnect:
                self.dispatch(EVERYTHING)
        elif isinstance(event, Disconnected):
            was_live = self.connected
            self.reason = event.reason
            self.state = "down"
            if was_live:
                # pollers were waiting for the long safety interval: fetch now, then poll normally
                self.dispatch(EVERYTHING)

    def flush(self) -> None:
        """Hand the gathered hints to the screens."""
        self._timer = None
        events = frozenset(self._pending)
        self._pending.clear()
        if events:
            self.dispatch(events)

    def dispatch(self, events: frozenset[Invalidation]) -> None:
        """Hand ``events`` to every live view on the stack; the header's engine badge is asked
        again when the engine or the counts of runs (failed tasks among them) changed."""
        if any(event.type in (live.ENGINE, live.RUN_COUNTS) for event in events):
            self.app.refresh_engine()
        for screen in list(self.app.screen_stack):
            if isinstance(screen, LiveView) and screen.is_attached:
                try:
                    screen.live_invalidated(events)
                except Exception:  # one screen's trouble must not stop the others' updates
                    log.exception("%s could not take live updates", type(screen).__name__)
