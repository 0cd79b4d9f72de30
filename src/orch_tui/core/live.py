"""Live updates: what a backend that pushes change hints tells the console.

A backend with :data:`~orch_tui.core.backend.CAN_EVENTS` returns an :class:`EventStream` from
``Backend.events()``.  Iterating it yields :class:`Invalidation` hints (no data: "refetch what shows
this"), and :class:`Connected` / :class:`Disconnected` as the connection comes and goes.  While it
is down, or when a backend has no stream, the console polls; while it is up, polling is only a
slow safety net.

Topics are the console's words, not a server's: an adapter maps its server's names onto them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

RUNS = "runs"
"""A run (``id``: the run id) or the list of runs (``id`` ``"LIST"``) changed."""
RUN_COUNTS = "run-counts"
"""The counts of runs per status changed."""
ENTITIES = "entities"
"""An entity (``id``: its reference, ``kind:namespace/name``) or the list of entities changed."""
ENGINE = "engine"
"""The engine's state (running, pausing, paused) changed."""
WORKFLOWS = "workflows"
"""The workflow list changed."""

LIST = "LIST"


@dataclass(frozen=True)
class Invalidation:
    """Something of ``type`` changed on the server: refetch what shows it (the item ``id``, or
    the list when ``id`` is ``"LIST"``; every view of the type when ``id`` is None)."""

    type: str
    id: str | None = None

    @property
    def is_list(self) -> bool:
        """The list of this type changed (``id == "LIST"``)."""
        return self.id == LIST

    @property
    def run_id(self) -> str | None:
        """The run that changed, for a hint about one run."""
        return self.id if self.type == RUNS and self.id not in (None, LIST) else None

    @property
    def entity(self) -> str | None:
        """The reference of the entity that changed, for a hint about one entity."""
        return self.id if self.type == ENTITIES and self.id not in (None, LIST) else None

    def affects(self, type_: str, item_id: str | None = None) -> bool:
        """Whether a view of ``type_`` (one item, or the list when ``item_id`` is None) must refetch.

        A hint without an id invalidates everything of its type.
        """
        if self.type != type_:
            return False
        if self.id is None:
            return True
        return self.is_list if item_id is None else self.id == item_id


@dataclass(frozen=True)
class Connected:
    """The stream is live: polling can slow down.  ``reconnect`` is False for the first connection."""

    url: str
    reconnect: bool = False


@dataclass(frozen=True)
class Disconnected:
    """The stream is down (or never came up): poll until the next :class:`Connected`.

    ``retry_in`` is the delay before the next attempt; ``final`` when no attempt follows.
    """

    reason: str
    retry_in: float
    attempt: int
    final: bool = False


Event = Invalidation | Connected | Disconnected


@runtime_checkable
class EventStream(Protocol):
    """A backend's live hints: iterate for :data:`Event` values; ``aclose()`` ends the iteration."""

    url: str

    def __aiter__(self) -> AsyncIterator[Event]: ...

    async def aclose(self) -> None: ...


def runs_affected(events: frozenset[Invalidation] | set[Invalidation], shown: set[str] | frozenset[str]) -> bool:
    """Whether a list showing the runs ``shown`` must refetch for ``events``: the list changed, a
    shown run changed, or a hint names no id."""
    return any(
        event.type == RUNS and (event.id is None or event.is_list or event.id in shown) for event in events
    )
