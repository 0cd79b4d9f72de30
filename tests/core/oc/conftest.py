"""Fixtures of the hermetic orchestrator-core tests: the recorded exchanges and a replaying adapter."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from orch_tui.core.orchestrator_core import CoreBackend

from .replay import Replay, load, replay

URL = "http://127.0.0.1:18081"


@pytest.fixture(scope="session")
def rec() -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Every recorded group: ``rec["runs"]["get_run_failed"]`` is a list of exchanges."""
    return {group: load(group) for group in ("workflows", "forms", "runs", "lists", "subscriptions")}


@pytest.fixture
def core(rec: dict[str, dict[str, list[dict[str, Any]]]]) -> Callable[..., tuple[CoreBackend, Replay]]:
    """``core("runs/get_run_failed", ...)``: an adapter that can only make those recorded calls.

    The workflow list (labels) and the translations are always available, as a live server has them.
    """

    def make(*names: str, **options: Any) -> tuple[CoreBackend, Replay]:
        chosen = [rec[group][name] for group, name in (name.split("/") for name in names)]
        background = [rec["workflows"]["list_workflows"][:1] * 3, rec["workflows"]["translations"] * 3]
        transport, handler = replay(*chosen, *background)
        return CoreBackend(URL, transport=transport, retries=0, **options), handler

    return make


def request_of(rec: dict[str, Any], name: str, index: int = 0) -> dict[str, Any]:
    group, key = name.split("/")
    return rec[group][key][index]["request"]


def response_of(rec: dict[str, Any], name: str, index: int = 0) -> Any:
    group, key = name.split("/")
    return rec[group][key][index]["response"]["body"]
