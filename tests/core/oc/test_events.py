"""The websocket event stream against a local websockets server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest

from orch_tui.core.orchestrator_core.adapter import CoreBackend
from orch_tui.core.orchestrator_core.events import (
    AUTH_SUBPROTOCOL,
    Connected,
    CoreEvents,
    Disconnected,
    Invalidation,
    parse_frame,
)

serve = pytest.importorskip("websockets.asyncio.server").serve

PROCESS = "3fb4ee18-8b19-4505-adf3-ec6cc1726996"
FRAMES = [
    '{"name":"invalidateCache","value":{"type":"processes","id":"LIST"}}',
    '{"name":"invalidateCache","value":{"type":"processes","id":"%s"}}' % PROCESS,
    '{"name":"invalidateCache","value":{"type":"processStatusCounts"}}',
    '{"name":"somethingElse","value":{}}',
    "not json",
    '{"name":"invalidateCache","value":{"type":"subscriptions"}}',
]


@asynccontextmanager
async def server(handler: Callable[[Any], Any], **options: Any) -> AsyncIterator[str]:
    async with serve(handler, "127.0.0.1", 0, **options) as running:
        port = next(iter(running.sockets)).getsockname()[1]
        yield f"ws://127.0.0.1:{port}/api/ws/events"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def take(events: CoreEvents, count: int, timeout: float = 10) -> list[Any]:
    got: list[Any] = []

    async def collect() -> None:
        async for event in events:
            got.append(event)
            if len(got) >= count:
                return

    await asyncio.wait_for(collect(), timeout)
    await events.aclose()
    return got


def test_parse_frame_keeps_invalidations_only() -> None:
    assert parse_frame(FRAMES[0]) == Invalidation("runs", "LIST")
    assert parse_frame(FRAMES[1]) == Invalidation("runs", PROCESS)
    assert parse_frame(FRAMES[2]) == Invalidation("run-counts", None)
    assert parse_frame(FRAMES[3]) is None
    assert parse_frame(FRAMES[4]) is None
    event = parse_frame(FRAMES[1])
    assert event is not None and event.run_id == PROCESS and not event.is_list
    assert event.affects("runs", PROCESS) and not event.affects("runs")
    assert Invalidation("runs", "LIST").affects("runs")
    assert Invalidation("entities").affects("entities", "any-id")  # no id: everything of the type
    assert not Invalidation("entities").affects("runs")


def test_server_names_become_the_console_topics() -> None:
    subscription = "3f2a1c8e-0000-4000-8000-00000000abcd"

    def frame(type_: str, id_: str | None = None) -> str:
        value = {"type": type_} if id_ is None else {"type": type_, "id": id_}
        return json.dumps({"name": "invalidateCache", "value": value})

    assert parse_frame(frame("subscriptions", subscription)) == Invalidation(
        "entities", f"subscription:default/{subscription}"
    )
    event = parse_frame(frame("subscriptions", subscription))
    assert event is not None and event.entity == f"subscription:default/{subscription}" and event.run_id is None
    assert parse_frame(frame("subscriptions", "LIST")) == Invalidation("entities", "LIST")
    assert parse_frame(frame("engineStatus")) == Invalidation("engine")
    assert parse_frame(frame("somethingNew", "x")) == Invalidation("somethingNew", "x")


async def test_invalidations_arrive_and_pings_are_answered() -> None:
    pings: list[str] = []

    async def handler(ws: Any) -> None:
        async for message in ws:
            if message == "__ping__":
                pings.append(message)
                await ws.send("__pong__")
                if len(pings) == 1:
                    for frame in FRAMES:
                        await ws.send(frame)

    async with server(handler) as url:
        events = CoreEvents(url, ping_interval=0.2, pong_timeout=2)
        got = await take(events, 5)
    assert got[0] == Connected(url, reconnect=False)
    assert got[1:] == [
        Invalidation("runs", "LIST"),
        Invalidation("runs", PROCESS),
        Invalidation("run-counts"),
        Invalidation("entities"),
    ]
    assert pings and pings[0] == "__ping__"


async def test_keeps_pinging_while_quiet() -> None:
    pings: list[float] = []

    async def handler(ws: Any) -> None:
        async for message in ws:
            if message == "__ping__":
                pings.append(asyncio.get_running_loop().time())
                await ws.send("__pong__")
                if len(pings) == 4:
                    await ws.send(FRAMES[2])

    async with server(handler) as url:
        got = await take(CoreEvents(url, ping_interval=0.1, pong_timeout=1), 2)
    assert got[1] == Invalidation("run-counts")
    assert len(pings) >= 4


async def test_reconnects_after_the_server_closes() -> None:
    connections: list[int] = []

    async def handler(ws: Any) -> None:
        connections.append(1)
        if len(connections) == 1:
            await ws.close()
            return
        await ws.send(FRAMES[0])
        await ws.wait_closed()

    async with server(handler) as url:
        events = CoreEvents(url, backoff_initial=0.05, ping_interval=5)
        got = await take(events, 4)
    assert isinstance(got[0], Connected) and not got[0].reconnect
    assert isinstance(got[1], Disconnected) and got[1].attempt == 1 and not got[1].final
    assert got[2] == Connected(url, reconnect=True)
    assert got[3] == Invalidation("runs", "LIST")


async def test_missing_pong_means_disconnected() -> None:
    async def handler(ws: Any) -> None:
        async for _ in ws:  # never answers the pings
            pass

    async with server(handler) as url:
        got = await take(CoreEvents(url, ping_interval=0.05, pong_timeout=0.3, max_attempts=1), 2)
    assert isinstance(got[1], Disconnected)
    assert "__pong__" in got[1].reason and got[1].final


async def test_unreachable_server_backs_off_then_gives_up() -> None:
    url = f"ws://127.0.0.1:{free_port()}/api/ws/events"
    events = CoreEvents(url, backoff_initial=0.01, backoff_max=0.05, max_attempts=4, open_timeout=2)
    got = await take(events, 4)
    assert all(isinstance(event, Disconnected) for event in got)
    assert [event.attempt for event in got] == [1, 2, 3, 4]
    assert [event.final for event in got] == [False, False, False, True]
    delays = [event.retry_in for event in got[:3]]
    assert delays[0] < delays[1] and delays[2] <= 0.05 * 1.1  # doubling, capped
    assert not events.connected


async def test_token_goes_in_the_subprotocols_and_never_in_messages() -> None:
    token = "s3cr3t-token-value"
    offered: list[Any] = []

    def select(connection: Any, subprotocols: Any) -> Any:
        offered.append(list(subprotocols))
        return None

    async def handler(ws: Any) -> None:
        await ws.close(code=4001, reason="nope")

    async with server(handler, select_subprotocol=select) as url:
        events = CoreEvents(url, token=token, max_attempts=1)
        got = await take(events, 2)
    assert offered == [[AUTH_SUBPROTOCOL, token]]
    assert all(token not in str(event) for event in got)
    assert token not in repr(events)


async def test_refused_handshake_is_a_disconnect_without_the_token() -> None:
    token = "another-secret"

    async def handler(ws: Any) -> None:  # pragma: no cover - the handshake is refused
        await ws.close()

    def refuse(connection: Any, request: Any) -> Any:
        return connection.respond(403, f"forbidden for {request.headers.get('Sec-WebSocket-Protocol')}\n")

    async with server(handler, process_request=refuse) as url:
        got = await take(CoreEvents(url, token=token, max_attempts=1), 1)
    assert isinstance(got[0], Disconnected) and "403" in got[0].reason
    assert token not in got[0].reason


def test_backend_events_use_the_websocket_url() -> None:
    backend = CoreBackend("https://orchestrator.example.org/base", token="tok-123")
    events = backend.events(max_attempts=1)
    assert events.url == "wss://orchestrator.example.org/base/api/ws/events"
    assert "tok-123" not in repr(events)
    assert CoreBackend("http://127.0.0.1:18080/api/").events().url == "ws://127.0.0.1:18080/api/ws/events"
    assert json.dumps(Invalidation("runs", "LIST").__dict__) == '{"type": "runs", "id": "LIST"}'
