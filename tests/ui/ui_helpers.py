"""Helpers for Pilot tests: a fault injector around the real demo backend, and waits."""

from __future__ import annotations

import html
import inspect
import re
import time
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot
from textual.worker import WorkerError, WorkerFailed

from orch_tui.core.backend import Backend, OnePageSession
from orch_tui.core.errors import OrchError, Unreachable
from orch_tui.core.models import WorkflowOverview


class FaultyBackend:
    """Delegates to a real backend; can fail, or reshape the workflow list, on demand."""

    def __init__(self, inner: Backend) -> None:
        self._inner = inner
        self.info = inner.info
        self.failing = False
        self.failing_calls: set[str] = set()
        self.reshape: Callable[[list[WorkflowOverview]], list[WorkflowOverview]] | None = None
        self.closed = False
        self.calls: list[str] = []
        self.message = "Cannot reach embedded demo: connection refused"

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._inner, name)
        if not callable(attribute) or not inspect.iscoroutinefunction(attribute):
            return attribute

        async def call(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(name)
            if self.failing or name in self.failing_calls:
                raise Unreachable(self.message)
            return await attribute(*args, **kwargs)

        return call

    async def list_workflows(self, request: Any = None) -> list[WorkflowOverview]:
        self.calls.append("list_workflows")
        if self.failing or "list_workflows" in self.failing_calls:
            raise Unreachable(self.message)
        workflows = await self._inner.list_workflows(request)
        return self.reshape(workflows) if self.reshape else workflows

    async def start_session(self, workflow_id: str, **options: Any) -> Any:
        """The one-page session over *this* wrapper, so that its failures and overrides apply."""
        self.calls.append("start_session")
        if self.failing or "start_session" in self.failing_calls:
            raise Unreachable(self.message)
        return OnePageSession.for_backend(self, workflow_id, **options)

    async def aclose(self) -> None:
        self.closed = True
        await self._inner.aclose()


async def settle(pilot: Pilot[Any]) -> None:
    """Let every worker finish (but the live-updates follower, which runs for the app's life) and
    the screen catch up: at least three rounds, and on until two in a row found no worker (a
    worker's end may start another), but no more than twenty (a screen polling every few
    milliseconds always has one)."""
    rounds = calm = 0
    while rounds < 3 or (calm < 2 and rounds < 20):
        rounds += 1
        busy = [worker for worker in pilot.app.workers if worker.group != "live"]
        calm = 0 if busy else calm + 1
        for worker in busy:
            try:
                await worker.wait()
            except WorkerFailed as failed:
                if not isinstance(failed.error, OrchError):
                    raise  # a bug, not a backend's failure the app shows its own way
            except WorkerError:
                pass  # cancelled; or not started yet, and the next round waits for it
        await pilot.pause()


async def settle_fetches(pilot: Pilot[Any], timeout: float = 10.0) -> None:
    """Until no dynamic widget of the screen waits for its debounce, and every fetch is done (a
    fetch's answer may set another widget waiting)."""
    from orch_tui.ui.widgets.dynamic_fields import DynamicBox

    def calm() -> bool:
        return not any(box.pending for box in pilot.app.screen.query(DynamicBox))

    deadline = time.monotonic() + timeout
    await settle(pilot)
    while not calm():
        await wait_until(pilot, calm, timeout=max(0.0, deadline - time.monotonic()))
        await settle(pilot)


async def wait_until(
    pilot: Pilot[Any], condition: Callable[[], bool], timeout: float = 10.0,
    explain: Callable[[], object] | None = None,
) -> None:
    """Until ``condition()`` holds: a slow machine takes longer, never a different way.  When it
    never does, the failure says ``explain()`` (what the test knows of the state it waited on)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            said = f": {explain()!r}" if explain is not None else ""
            raise AssertionError(f"not met within {timeout} s{said}")
        await pilot.pause(0.01)


async def palette_search(pilot: Pilot[Any], query: str) -> None:
    """Open the command palette, type ``query``, and wait for its search to list the matches."""
    from textual.command import CommandList

    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*query)
    await settle(pilot)
    await wait_until(pilot, lambda: pilot.app.screen.query_one(CommandList).option_count > 0)


def screen_text(pilot: Pilot[Any]) -> str:
    """The visible terminal text (from an SVG screenshot), one string."""
    svg = pilot.app.export_screenshot()
    chunks = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    return html.unescape("".join(chunks)).replace("\xa0", " ")
