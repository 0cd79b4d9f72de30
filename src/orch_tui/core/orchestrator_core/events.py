"""orchestrator-core's live updates: the websocket ``/api/ws/events`` as a typed event stream.

The server sends cache-invalidation hints without data::

    {"name": "invalidateCache", "value": {"type": "processes", "id": "LIST" | "<process id>"}}
    {"name": "invalidateCache", "value": {"type": "subscriptions", "id": "LIST" | "<id>"}}  (id may be absent)
    {"name": "invalidateCache", "value": {"type": "processStatusCounts"}}
    {"name": "invalidateCache", "value": {"type": "engineStatus"}}

and answers the text ``__ping__`` with ``__pong__``.  The hints are yielded in the console's
topics (``processes`` → ``runs``, ``subscriptions`` → ``entities`` with the subscription's entity
reference, ``engineStatus`` → ``engine``).  :class:`CoreEvents` pings every
``ping_interval`` seconds (the web UI: 30 s) and treats the connection as dead after
``pong_timeout`` seconds without a pong (35 s); it reconnects with exponential backoff.
Iterating it yields :class:`Invalidation` events, plus :class:`Connected` and
:class:`Disconnected`: while disconnected (or when it never connects) the caller polls instead,
and keeps polling only as a slow safety net after the next :class:`Connected`.  With a token it connects as the web UI does,
with the subprotocols ``base64.bearer.token, <token>``; the token is never logged.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import ssl
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

from orch_tui.core import live
from orch_tui.core.live import Connected, Disconnected, Event, Invalidation
from orch_tui.core.orchestrator_core.mapping import subscription_entity

log = logging.getLogger(__name__)
# websockets logs handshake headers (the token subprotocol among them) at DEBUG: never emit those
_WS_LOG = logging.getLogger(__name__ + ".websocket")
_WS_LOG.setLevel(logging.INFO)

PING = "__ping__"
PONG = "__pong__"
AUTH_SUBPROTOCOL = "base64.bearer.token"


SERVER_TOPICS = {
    "processes": live.RUNS,
    "processStatusCounts": live.RUN_COUNTS,
    "subscriptions": live.ENTITIES,
    "engineStatus": live.ENGINE,
    "workflows": live.WORKFLOWS,
}
"""The server's cache names, as the console's topics (:mod:`orch_tui.core.live`)."""


def parse_frame(text: str) -> Invalidation | None:
    """An ``invalidateCache`` frame as an :class:`Invalidation` in the console's topics (a
    subscription's id becomes its entity reference); anything else is None."""
    try:
        frame = json.loads(text)
    except ValueError:
        return None
    if not isinstance(frame, dict) or frame.get("name") != "invalidateCache":
        return None
    value = frame.get("value")
    if not isinstance(value, dict) or not isinstance(value.get("type"), str):
        return None
    server_type = value["type"]
    item = str(value["id"]) if value.get("id") is not None else None
    topic = SERVER_TOPICS.get(server_type, server_type)
    if topic == live.ENTITIES and item is not None and item != live.LIST:
        item = subscription_entity(item)
    return Invalidation(topic, item)


Connector = Callable[..., Any]


class CoreEvents:
    """The event stream of one orchestrator-core (see the module docstring)."""

    def __init__(
        self,
        url: str,
        *,
        token: str | None = None,
        verify: bool | str = True,
        ping_interval: float = 30.0,
        pong_timeout: float = 35.0,
        open_timeout: float = 10.0,
        backoff_initial: float = 0.5,
        backoff_max: float = 30.0,
        max_attempts: int | None = None,
        connector: Connector | None = None,
    ) -> None:
        """``max_attempts`` consecutive failed connections end the stream (None: never give up);
        ``connector`` replaces ``websockets.asyncio.client.connect`` (tests)."""
        self.url = url
        self._token = token or None
        self._verify = verify
        self.ping_interval = ping_interval
        self.pong_timeout = pong_timeout
        self.open_timeout = open_timeout
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
        self.max_attempts = max_attempts
        self._connector = connector
        self._closed = False
        self._socket: Any = None
        self.connected = False

    def __repr__(self) -> str:  # never shows the token
        return f"CoreEvents({self.url!r}, connected={self.connected})"

    async def aclose(self) -> None:
        """Stop: the iteration ends after the current wait."""
        self._closed = True
        socket = self._socket
        if socket is not None:
            try:
                await socket.close()
            except Exception:  # noqa: BLE001 - closing a broken socket has nothing left to report
                pass

    def backoff(self, attempt: int) -> float:
        """Delay before attempt ``attempt + 1``: doubling from ``backoff_initial``, capped, ±10 %."""
        base = min(self.backoff_max, self.backoff_initial * (2 ** max(0, attempt - 1)))
        return round(base * random.uniform(0.9, 1.1), 3)

    def _connect(self) -> Any:
        options: dict[str, Any] = {"open_timeout": self.open_timeout, "ping_interval": None, "logger": _WS_LOG}
        if self._token:
            options["subprotocols"] = [AUTH_SUBPROTOCOL, self._token]
        if self.url.startswith("wss:"):
            options["ssl"] = _ssl_context(self._verify)
        if self._connector is not None:
            return self._connector(self.url, **options)
        from websockets.asyncio.client import connect

        return connect(self.url, **options)

    async def __aiter__(self) -> AsyncIterator[Event]:
        attempt = 0
        ever = False
        while not self._closed:
            try:
                async with self._connect() as socket:
                    self._socket = socket
                    self.connected = True
                    attempt = 0
                    yield Connected(self.url, reconnect=ever)
                    ever = True
                    async for event in self._read(socket):
                        yield event
                reason = "the server closed the connection"
            except asyncio.CancelledError:
                raise
            except Exception as error:  # noqa: BLE001 - every failure means: reconnect later
                reason = _reason(error)
                if self._token:
                    reason = reason.replace(self._token, "***")
            finally:
                self._socket = None
                self.connected = False
            if self._closed:
                return
            attempt += 1
            final = self.max_attempts is not None and attempt >= self.max_attempts
            delay = 0.0 if final else self.backoff(attempt)
            log.info("event stream %s down (%s); %s", self.url, reason,
                     "giving up" if final else f"retry {attempt} in {delay:.1f}s")
            yield Disconnected(reason, delay, attempt, final)
            if final:
                return
            await asyncio.sleep(delay)

    async def _read(self, socket: Any) -> AsyncIterator[Invalidation]:
        await socket.send(PING)
        last_ping = last_pong = time.monotonic()
        while not self._closed:
            now = time.monotonic()
            if now - last_pong > self.pong_timeout:
                raise TimeoutError(f"no {PONG} for {self.pong_timeout:g}s")
            wait = max(0.0, min(last_ping + self.ping_interval, last_pong + self.pong_timeout) - now)
            try:
                message = await asyncio.wait_for(socket.recv(), timeout=wait or 0.001)
            except (TimeoutError, asyncio.TimeoutError):
                if time.monotonic() - last_ping >= self.ping_interval:
                    await socket.send(PING)
                    last_ping = time.monotonic()
                continue
            if isinstance(message, bytes):
                message = message.decode("utf-8", "replace")
            if message == PONG:
                last_pong = time.monotonic()
                continue
            event = parse_frame(message)
            if event is not None:
                yield event
            else:
                log.debug("event stream: ignored a frame of %d characters", len(message))


def _reason(error: BaseException) -> str:
    text = str(error).strip()
    name = type(error).__name__
    return f"{name}: {text}" if text and name not in text else (text or name)


def _ssl_context(verify: bool | str) -> ssl.SSLContext:
    if isinstance(verify, str):
        return ssl.create_default_context(cafile=verify)
    context = ssl.create_default_context()
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context
