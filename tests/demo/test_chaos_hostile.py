"""The demo's fault injection (--chaos) and hostile data (--hostile)."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn

from orch_tui.core import errors
from orch_tui.core.backstage import BackstageBackend
from orch_tui.demo import create_app
from orch_tui.demo.chaos import Chaos
from orch_tui.demo.hostile import HOSTILE, MEGABYTE


def backend_for(app: object, timeout: float = 5.0) -> BackstageBackend:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    return BackstageBackend("http://demo.test", transport=transport, retries=0, timeout=timeout)


def test_chaos_is_reproducible_and_can_be_switched_off() -> None:
    first, second = Chaos(0.5, seed=3), Chaos(0.5, seed=3)
    draws = [first.draw() for _ in range(200)]
    assert draws == [second.draw() for _ in range(200)]
    assert {"error", "slow", "reset"} <= set(draws) and None in draws
    assert 70 <= sum(d is not None for d in draws) <= 130
    first.enabled = False
    assert all(first.draw() is None for _ in range(50))
    with pytest.raises(ValueError, match="between 0 and 1"):
        Chaos(1.5)


@contextlib.contextmanager
def served(app: object) -> Iterator[str]:
    """The app on a real HTTP server on 127.0.0.1 (timeouts and dropped connections are real)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.mark.parametrize(
    ("fault", "error"),
    [("error", errors.ServerError), ("reset", errors.Unreachable), ("slow", errors.BackendTimeout)],
)
async def test_each_fault_reaches_the_client_as_its_typed_error(
    fault: str, error: type[errors.OrchError], monkeypatch: pytest.MonkeyPatch
) -> None:
    chaos = Chaos(1.0, slow_seconds=3.0)
    monkeypatch.setattr(chaos, "draw", lambda: fault)
    with served(create_app(seed_runs=0, chaos=chaos)) as url:
        backend = BackstageBackend(url, retries=0, timeout=0.5)
        with pytest.raises(error):
            await backend.list_workflows()
        await backend.aclose()


async def test_with_chaos_off_the_demo_answers_normally() -> None:
    chaos = Chaos(1.0)
    app = create_app(seed_runs=5, chaos=chaos)
    backend = backend_for(app)
    with pytest.raises(errors.OrchError):
        await backend.list_workflows()
    app.state.chaos.enabled = False  # type: ignore[attr-defined]
    assert await backend.list_workflows()
    assert chaos.counts["ok"] == 1 and sum(chaos.counts.values()) == 2


async def test_hostile_demo_puts_traps_in_every_text_and_keeps_ids() -> None:
    backend = backend_for(create_app(seed_runs=0, hostile=True))
    workflows = await backend.list_workflows()
    assert {w.workflowId for w in workflows} >= {"greeting", "provision-environment"}
    assert all(any(trap in (w.name or "") for trap in HOSTILE) for w in workflows)
    assert any(MEGABYTE in (w.description or "") for w in workflows)
    schema = (await backend.get_input_schema("greeting")).inputSchema
    assert schema is not None and any(trap in schema["title"] for trap in HOSTILE)
    language = schema["properties"]["language"]
    assert language["enum"][0] == "English", "values stay usable"
    assert any(trap in language["enumNames"][0] for trap in HOSTILE)
