"""Fault injection for the demo orchestrator: ``orch-tui demo-server --chaos RATE``.

At the given rate, API requests get one of three faults, chosen by a seeded random generator
so that a run can be reproduced: a 5xx answer with the backend's error body, an answer held back
past the client's timeout, or a connection dropped after the response has started.  Chaos can
be switched off and on while the server runs (``app.state.chaos.enabled``), so a test can
watch the console recover.
"""

from __future__ import annotations

import asyncio
import json
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

Scope = dict[str, Any]
Receive = Any
Send = Any

FAULTS = ("error", "slow", "reset")


@dataclass
class Chaos:
    """The fault plan: how often, how slow, and what happened so far."""

    rate: float
    seed: int = 7
    slow_seconds: float = 15.0
    enabled: bool = True
    counts: Counter[str] = field(default_factory=Counter)
    _random: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not 0.0 <= self.rate <= 1.0:
            raise ValueError(f"chaos rate must be between 0 and 1, not {self.rate}")
        self._random = random.Random(self.seed)

    def draw(self) -> str | None:
        """The fault for the next request, or None.  Draws even while disabled, so switching
        chaos off and on again keeps the sequence reproducible."""
        hit = self._random.random() < self.rate
        fault = self._random.choice(FAULTS)
        if not (hit and self.enabled):
            self.counts["ok"] += 1
            return None
        self.counts[fault] += 1
        return fault


class ChaosMiddleware:
    """ASGI middleware that applies a :class:`Chaos` plan to requests below ``/api/``."""

    def __init__(self, app: Any, chaos: Chaos) -> None:
        self.app = app
        self.chaos = chaos

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope.get("path", "").startswith("/api/"):
            await self.app(scope, receive, send)
            return
        fault = self.chaos.draw()
        if fault == "error":
            body = json.dumps(
                {
                    "error": {"name": "ServiceUnavailableError", "message": "Injected fault: the backend is overloaded"},
                    "request": {"method": scope.get("method", ""), "url": scope.get("path", "")},
                    "response": {"statusCode": 503},
                }
            ).encode()
            await send(
                {"type": "http.response.start", "status": 503, "headers": [(b"content-type", b"application/json")]}
            )
            await send({"type": "http.response.body", "body": body})
            return
        if fault == "slow":
            await asyncio.sleep(self.chaos.slow_seconds)
            await self.app(scope, receive, send)
            return
        if fault == "reset":
            await send(
                {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]}
            )
            await send({"type": "http.response.body", "body": b'{"trunc', "more_body": True})
            # The server drops the connection mid-answer: the client sees a reset, not a status.
            raise ConnectionResetError("Injected fault: connection reset")
        await self.app(scope, receive, send)
