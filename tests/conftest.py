"""Shared fixtures: a frozen clock and the embedded demo backend built on it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import pytest

from orch_tui.core.backend import Backend
from orch_tui.core.connect import demo_backend

FROZEN_NOW = datetime(2026, 11, 22, 14, 0, 0, tzinfo=timezone.utc)


def frozen_clock() -> datetime:
    return FROZEN_NOW


@pytest.fixture(autouse=True)
def _private_state(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the console keeps between sessions (start snapshots, drafts, recent entities) goes to
    a directory of the test's own, never the user's."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))


@pytest.fixture
def clock() -> Callable[[], datetime]:
    return frozen_clock


@pytest.fixture
def make_demo_backend() -> Callable[..., Backend]:
    """Build the demo backend on the frozen clock; keyword options go to ``demo.create_app``."""

    def make(**options: Any) -> Backend:
        return demo_backend(clock=frozen_clock, **options)

    return make
