"""The live event stream: websocket /api/ws/events (orchestrator-core has no SSE endpoint)."""

from __future__ import annotations

import json
import time

import pytest

from .conftest import NAP_TASK, Core

pytestmark = pytest.mark.integration


def test_websocket_reports_a_process_change(core: Core) -> None:
    sync_client = pytest.importorskip("websockets.sync.client", reason="the integration stage installs websockets")

    with sync_client.connect(core.ws_url, open_timeout=10) as ws:
        # keep-alive: a text "__ping__" is answered with the text "__pong__"
        ws.send("__ping__")
        assert ws.recv(timeout=10) == "__pong__"

        process_id = core.start(NAP_TASK, [{"seconds": 0}])
        frames: list[dict] = []
        deadline = time.monotonic() + 20
        wanted = {"name": "invalidateCache", "value": {"type": "processes", "id": process_id}}
        while wanted not in frames:
            left = deadline - time.monotonic()
            if left <= 0:
                pytest.fail(f"no {wanted} within 20 s; got {frames}")
            try:
                raw = ws.recv(timeout=left)
            except TimeoutError:
                continue
            frames.append(json.loads(raw))

    # every frame is a cache-invalidation hint without data: refetch what is shown
    assert all(frame["name"] == "invalidateCache" for frame in frames)
    assert {"name": "invalidateCache", "value": {"type": "processes", "id": "LIST"}} in frames
    assert all(set(frame["value"]) <= {"type", "id"} for frame in frames)
    core.wait_for(process_id, "completed")
