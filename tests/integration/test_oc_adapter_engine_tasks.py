"""orch-tui's orchestrator-core adapter against the real server: the engine status as the
console's EngineState, and the task filter (REST ``isTask``)."""

from __future__ import annotations


import pytest

from orch_tui.core.backend import CAN_ENGINE, CAN_TASKS
from orch_tui.core.engine import EngineState
from orch_tui.core.filters import SearchRequest, eq
from orch_tui.core.orchestrator_core import CoreBackend
from orch_tui.core.run_query import TASK_FIELD, RunQuery

from .conftest import CREATE, NAP_TASK, Core
from .test_oc_adapter_forms import settle

pytestmark = pytest.mark.integration


async def test_engine_status_is_an_engine_state(backend: CoreBackend, core: Core) -> None:
    assert {CAN_ENGINE, CAN_TASKS} <= backend.info.capabilities
    engine = await backend.engine_status()
    assert isinstance(engine, EngineState)
    assert engine.state == "running" and engine.label == "running" and engine.accepts_changes
    assert engine.running is not None and engine.running >= 0
    counts = core.http.get("/api/processes/status-counts").json()
    assert engine.run_counts == counts["process_counts"] and engine.task_counts == counts["task_counts"]
    retryable = ("failed", "waiting", "api_unavailable", "inconsistent_data")
    assert engine.failed_tasks == sum(counts["task_counts"].get(status, 0) for status in retryable)


async def test_the_task_filter(backend: CoreBackend, core: Core) -> None:
    process_id = core.start(NAP_TASK, [{"seconds": 0}])
    await settle(backend, process_id, {"completed"})

    tasks = await backend.list_runs(RunQuery(tasks_only=True, page_size=50).to_request())
    assert process_id in [run.id for run in tasks.items]
    assert tasks.items and all(run.is_task for run in tasks.items)
    nap = await backend.list_runs(RunQuery(tasks_only=True, page_size=5).to_request(), workflow_id=NAP_TASK)
    assert nap.items[0].id == process_id and all(run.processId == NAP_TASK for run in nap.items)
    assert (await backend.list_runs(RunQuery(tasks_only=True, page_size=5).to_request(), workflow_id=CREATE)).items == []

    not_tasks = await backend.list_runs(SearchRequest(filters=eq(TASK_FIELD, False)))
    assert process_id not in [run.id for run in not_tasks.items]
    assert all(not run.is_task for run in not_tasks.items)

    await backend.delete_run(process_id)
