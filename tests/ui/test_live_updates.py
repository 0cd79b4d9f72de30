"""Live updates: a backend's change hints refresh what is on screen; polling is the fallback.

The backend here is the demo with an event stream the test drives; the orchestrator-core stream
itself (its websocket, frames, pings, reconnects) is tested in ``tests/core/oc/test_events.py``,
and one test at the end runs the real ``CoreEvents`` over a scripted socket.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from ui_helpers import FaultyBackend, settle, wait_until

from orch_tui.core.backend import CAN_EVENTS, Backend
from orch_tui.core.live import Connected, Disconnected, Event, Invalidation
from orch_tui.ui import live as live_ui
from orch_tui.ui.app import OrchApp
from orch_tui.ui.screens.run_detail import RunDetailScreen
from orch_tui.ui.screens.runs import RunListScreen

SIZE = (100, 30)
INTERVAL = 5.0


class ScriptedStream:
    """An event stream whose events the test pushes."""

    url = "ws://demo.test/events"

    def __init__(self) -> None:
        self.queue: asyncio.Queue[Event | None] = asyncio.Queue()
        self.closed = False

    async def __aiter__(self) -> AsyncIterator[Event]:
        while True:
            event = await self.queue.get()
            if event is None:
                return
            yield event

    async def aclose(self) -> None:
        self.closed = True
        self.queue.put_nowait(None)

    def push(self, *events: Event) -> None:
        for event in events:
            self.queue.put_nowait(event)


class EventfulBackend(FaultyBackend):
    """The demo backend, announcing change hints through a scripted stream."""

    def __init__(self, inner: Backend) -> None:
        super().__init__(inner)
        self.info = dataclasses.replace(inner.info, capabilities=inner.info.capabilities | {CAN_EVENTS})
        self.streams: list[ScriptedStream] = []

    def events(self) -> ScriptedStream:
        stream = ScriptedStream()
        self.streams.append(stream)
        return stream

    @property
    def stream(self) -> ScriptedStream:
        return self.streams[-1]


@pytest.fixture
def backend(make_demo_backend: Callable[..., Backend]) -> EventfulBackend:
    return EventfulBackend(make_demo_backend())


@pytest.fixture
def app(backend: EventfulBackend, clock: Any) -> OrchApp:
    return OrchApp(backend, clock=clock, refresh_interval=INTERVAL)


def header_link(app: OrchApp) -> str:
    return str(app.screen.query_one("#header-link").render())


async def gathered(pilot: Any, queues: list[asyncio.Queue[Any]] | None = None) -> None:
    """Wait past the gathering delay until every pushed hint (in the scripted streams, or in
    ``queues``) has reached the screens, then for the fetches they started."""
    app = pilot.app
    if queues is None:
        queues = [stream.queue for stream in app.backend.streams]
    await asyncio.sleep(live_ui.GATHER + 0.1)
    await wait_until(pilot, lambda: all(queue.empty() for queue in queues) and not app.live.gathering)
    await settle(pilot)


async def open_runs(pilot: Any) -> RunListScreen:
    app = pilot.app
    app.open_runs()
    await settle(pilot)
    assert isinstance(app.screen, RunListScreen)
    return app.screen


async def test_a_connected_stream_slows_polling_and_shows_in_the_header(app: OrchApp, backend: EventfulBackend) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.live.state == "connecting"
        assert app.poll_interval() == INTERVAL
        backend.stream.push(Connected(backend.stream.url))
        await pilot.pause()
        assert app.live.state == "live"
        assert app.poll_interval() == live_ui.SAFETY_INTERVAL
        app.screen.query_one("#app-header").update_link()
        assert header_link(app).startswith("● live · events · updated")
        backend.stream.push(Disconnected("connection reset", 0.5, 1))
        await gathered(pilot)
        assert app.live.state == "down" and app.live.reason == "connection reset"
        assert app.poll_interval() == INTERVAL
        app.screen.query_one("#app-header").update_link()
        assert header_link(app).startswith("● polling")
    assert backend.stream.closed


async def test_a_hint_about_the_list_refetches_the_runs_page(app: OrchApp, backend: EventfulBackend) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        backend.stream.push(Connected(backend.stream.url))
        screen = await open_runs(pilot)
        before = backend.calls.count("list_runs")
        backend.stream.push(Invalidation("runs", "LIST"), Invalidation("runs", "LIST"), Invalidation("run-counts"))
        await gathered(pilot)
        # several hints at once: one fetch
        assert backend.calls.count("list_runs") == before + 1
        shown = screen.runs[0].id
        backend.stream.push(Invalidation("runs", shown))
        await gathered(pilot)
        assert backend.calls.count("list_runs") == before + 2
        # a run that is not on this page, or another topic: nothing to fetch
        backend.stream.push(Invalidation("runs", "not-on-this-page"), Invalidation("entities", "LIST"))
        await gathered(pilot)
        assert backend.calls.count("list_runs") == before + 2
        # while live, the next poll waits for the safety interval, not the refresh interval
        assert screen.poller.waiting


async def test_an_ended_run_is_fetched_again_when_it_changes(app: OrchApp, backend: EventfulBackend) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        backend.stream.push(Connected(backend.stream.url))
        page = await backend.list_runs()
        ended = next(run for run in page.items if run.state in ("COMPLETED", "ERROR", "ABORTED"))
        app.open_run(ended.id)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RunDetailScreen)
        assert not screen.poller.live  # an ended run is not polled
        before = backend.calls.count("get_run")
        backend.stream.push(Invalidation("runs", "some-other-run"), Invalidation("runs", "LIST"))
        await gathered(pilot)
        assert backend.calls.count("get_run") == before
        backend.stream.push(Invalidation("runs", ended.id))
        await gathered(pilot)
        assert backend.calls.count("get_run") == before + 1


async def test_a_hidden_screen_fetches_when_it_shows_again(app: OrchApp, backend: EventfulBackend) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        backend.stream.push(Connected(backend.stream.url))
        runs = await open_runs(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RunDetailScreen)
        before = backend.calls.count("list_runs")
        backend.stream.push(Invalidation("runs", "LIST"))
        await gathered(pilot)
        assert backend.calls.count("list_runs") == before
        assert runs.poller.due
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is runs
        assert backend.calls.count("list_runs") == before + 1


async def test_a_reconnect_refetches_what_may_have_been_missed(app: OrchApp, backend: EventfulBackend) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        backend.stream.push(Connected(backend.stream.url))
        await open_runs(pilot)
        before = backend.calls.count("list_runs")
        backend.stream.push(Connected(backend.stream.url, reconnect=True))
        await gathered(pilot)
        assert backend.calls.count("list_runs") == before + 1


async def test_a_backend_without_hints_polls_as_before(make_demo_backend: Callable[..., Backend], clock: Any) -> None:
    app = OrchApp(make_demo_backend(), clock=clock, refresh_interval=INTERVAL)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.live.state == "off"
        assert app.poll_interval() == INTERVAL
        assert not [worker for worker in app.workers if worker.group == "live"]
        assert header_link(app).startswith("● live · updated")


async def test_core_websocket_hint_refreshes_the_run_on_screen() -> None:
    """The orchestrator-core stream end to end in the console: a scripted socket sends the
    server's frame for a process, and the run detail of that process fetches it again."""
    import json

    from test_core_backend import make_app, recorded

    from orch_tui.core.orchestrator_core.events import CoreEvents

    exchanges = recorded("runs/get_run_completed")
    run_id = exchanges[0]["request"]["path"].rsplit("/", 1)[-1]
    app, handler = make_app(exchanges)
    frames: asyncio.Queue[str] = asyncio.Queue()

    class Socket:
        async def __aenter__(self) -> Socket:
            return self

        async def __aexit__(self, *exc: object) -> None:
            return None

        async def send(self, message: str) -> None:
            if message == "__ping__":
                frames.put_nowait("__pong__")

        async def recv(self) -> str:
            return await frames.get()

        async def close(self) -> None:
            return None

    backend = app.backend
    backend.events = lambda: CoreEvents("ws://127.0.0.1:18081/api/ws/events", connector=lambda url, **_: Socket())
    async with app.run_test(size=(130, 45)) as pilot:
        await settle(pilot)
        await pilot.pause()
        assert app.live.state == "live"
        app.open_run(run_id)
        await settle(pilot)
        gets = lambda: sum(1 for key in handler.sent if key["path"].endswith(run_id))  # noqa: E731
        before = gets()
        frames.put_nowait(json.dumps({"name": "invalidateCache", "value": {"type": "processes", "id": run_id}}))
        await gathered(pilot, [frames])
        assert gets() > before
        # the engine badge is asked again when the server says the engine changed
        engine_asks = lambda: sum(1 for key in handler.sent if key["path"] == "/settings/status")  # noqa: E731
        before = engine_asks()
        frames.put_nowait(json.dumps({"name": "invalidateCache", "value": {"type": "engineStatus"}}))
        await gathered(pilot, [frames])
        assert engine_asks() == before + 1


async def test_the_entity_detail_follows_its_entity_and_its_runs(app: OrchApp, backend: EventfulBackend) -> None:
    from orch_tui.core.entity import parse_entity_ref
    from orch_tui.ui.screens.entity_detail import EntityDetailScreen, open_entity_detail

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        backend.stream.push(Connected(backend.stream.url))
        ref = parse_entity_ref("component:default/payments-api")
        open_entity_detail(app, ref)
        await settle(pilot)
        assert isinstance(app.screen, EntityDetailScreen)
        overviews, runs = backend.calls.count("entity_overview"), backend.calls.count("list_runs")
        backend.stream.push(Invalidation("entities", "component:default/another"))
        await gathered(pilot)
        assert backend.calls.count("entity_overview") == overviews
        backend.stream.push(Invalidation("entities", ref.target))
        await gathered(pilot)
        assert backend.calls.count("entity_overview") == overviews + 1
        assert backend.calls.count("list_runs") == runs
        backend.stream.push(Invalidation("runs", "LIST"))
        await gathered(pilot)
        assert backend.calls.count("list_runs") == runs + 1
