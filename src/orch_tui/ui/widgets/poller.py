"""Polling with chained timers, for screens that keep their data fresh.

The next fetch is scheduled only when the previous one has ended (successfully or not), so a
slow backend never sees overlapping requests.  Nothing is fetched while the screen is hidden
(another screen or a dialog on top) or paused; a fetch missed that way is made up for at once
when the screen is shown again or resumed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen
from textual.timer import Timer


class Poller:
    """Owns the one pending timer of a screen's polling loop.

    The screen calls :meth:`fetch_now` to start, :meth:`schedule` when a fetch ends, and
    forwards its suspend/resume events.  ``fetch`` starts the (exclusive) fetch worker.
    """

    def __init__(self, screen: Screen[Any], fetch: Callable[[], object], interval: Callable[[], float]) -> None:
        self._screen = screen
        self._fetch = fetch
        self._interval = interval
        self._timer: Timer | None = None
        self.due = False
        """A fetch was skipped while hidden or paused."""
        self.paused = False
        self.live = True
        """False once there is nothing left to poll for (a run that has finished)."""

    @property
    def waiting(self) -> bool:
        """A timer is pending."""
        return self._timer is not None

    def fetch_now(self) -> None:
        """Fetch now, replacing any pending timer."""
        self._cancel()
        self.due = False
        self._fetch()

    def schedule(self, delay: float | None = None) -> None:
        """Arrange the next fetch after ``delay`` seconds (the refresh interval by default)."""
        self._cancel()
        if not self.live:
            return
        if self.paused or not self._screen.is_active:
            self.due = True
            return
        self._timer = self._screen.set_timer(self._interval() if delay is None else delay, self._tick)

    def poke(self) -> None:
        """What the screen shows changed: fetch now if it is showing and not paused, otherwise as
        soon as it is shown again or resumed (even when polling has stopped)."""
        if self.paused or not self._screen.is_active:
            self._cancel()
            self.due = True
            return
        self.fetch_now()

    def stop(self) -> None:
        """No more polling until :meth:`start`."""
        self.live = False
        self.due = False
        self._cancel()

    def start(self) -> None:
        self.live = True

    def pause(self) -> None:
        self.paused = True
        if self._timer is not None:
            self._cancel()
            self.due = True

    def unpause(self) -> None:
        """Resume polling with an immediate fetch."""
        self.paused = False
        if self.live or self.due:
            self.fetch_now()

    def suspend(self) -> None:
        """The screen was hidden: drop the timer, remember to catch up."""
        if self.live:
            self.due = True
        self._cancel()

    def resume(self) -> None:
        """The screen is visible again: fetch at once if a fetch was missed (or poked)."""
        if self.due and not self.paused:
            self.fetch_now()

    def _tick(self) -> None:
        self._timer = None
        if self.paused or not self._screen.is_active:
            self.due = True
            return
        self.fetch_now()

    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
