"""The engine status and tasks through the generic protocol (CAN_ENGINE, CAN_TASKS): CoreBackend
maps its engine and counts to an EngineState, filters runs on ``isTask``, retries failed tasks;
the Backstage adapter has neither and says so."""

from __future__ import annotations

from typing import Any

import pytest

from orch_tui.core import errors
from orch_tui.core.backend import CAN_ENGINE, CAN_TASKS
from orch_tui.core.engine import EngineState
from orch_tui.core.filters import SearchRequest, eq
from orch_tui.core.models import RunStatus
from orch_tui.core.orchestrator_core import CoreBackend, mapping
from orch_tui.core.run_query import TASK_FIELD, RunQuery, RunView

from .conftest import URL, response_of
from .crafted import DONE_TASK, FAILED_TASK, NAP_TASK, TASKS_QUERY, engine_exchanges, resume_all_exchange
from .crafted import runs_list_exchange, task_rows
from .replay import replay


def crafted_backend(rec: Any, *exchanges: dict[str, Any], **options: Any) -> tuple[CoreBackend, Any]:
    background = [rec["workflows"]["list_workflows"][:1] * 3]
    transport, handler = replay(list(exchanges), *background)
    return CoreBackend(URL, transport=transport, retries=0, **options), handler


def test_the_core_adapter_has_the_engine_and_tasks(core: Any) -> None:
    backend, _ = core()
    assert {CAN_ENGINE, CAN_TASKS} <= backend.info.capabilities


async def test_engine_status_is_the_console_engine_state(core: Any, rec: Any) -> None:
    backend, handler = core("workflows/engine_status")
    engine = await backend.engine_status()
    assert isinstance(engine, EngineState)
    counts = response_of(rec, "workflows/engine_status", 1)
    assert engine.state == "running" and engine.label == "running" and engine.accepts_changes
    assert engine.running == 0
    assert engine.run_counts == counts["process_counts"] and engine.task_counts == counts["task_counts"]
    assert engine.failed_tasks == 0
    assert [key["path"] for key in handler.sent] == ["/settings/status", "/processes/status-counts"]
    assert engine.to_json() == {
        "state": "running", "label": "running", "running": 0, "runs": counts["process_counts"],
        "tasks": counts["task_counts"], "failedTasks": 0,
    }

    locked, _ = core("workflows/engine_locked_status")
    paused = await locked.engine_status()
    assert paused.state == "paused" and not paused.accepts_changes
    assert paused.label == "paused: starts and resumes are refused"


async def test_a_pausing_engine_with_failed_tasks(rec: Any) -> None:
    exchanges = engine_exchanges(
        rec["workflows"]["engine_status"], global_status="PAUSING", global_lock=True, running=2,
        task_counts={"failed": 2, "waiting": 1, "inconsistent_data": 1, "completed": 5},
    )
    backend, _ = crafted_backend(rec, *exchanges)
    engine = await backend.engine_status()
    assert engine.state == "pausing" and engine.label == "pausing: 2 processes still running"
    # what resume-all retries: failed, waiting, api_unavailable and inconsistent_data tasks
    assert engine.failed_tasks == 4 and engine.task_counts["completed"] == 5


async def test_an_engine_status_word_the_console_does_not_know(rec: Any) -> None:
    exchanges = engine_exchanges(rec["workflows"]["engine_status"], global_status="MAINTENANCE", global_lock=True)
    backend, _ = crafted_backend(rec, *exchanges)
    assert (await backend.engine_status()).state == "paused"


async def test_retry_failed_tasks_sends_resume_all_and_returns_the_count(rec: Any) -> None:
    backend, handler = crafted_backend(rec, resume_all_exchange(rec["runs"]["retry_all_failed_tasks"], 3))
    assert await backend.retry_failed_tasks() == 3
    assert handler.sent == [{"method": "PUT", "path": "/processes/resume-all", "query": [], "body": None}]


async def test_retry_failed_tasks_read_only_sends_nothing(core: Any) -> None:
    backend, handler = core("runs/retry_all_failed_tasks", read_only=True)
    with pytest.raises(errors.ReadOnly, match="read-only"):
        await backend.retry_failed_tasks()
    assert handler.sent == []


def test_the_task_filter_is_the_rest_is_task_filter() -> None:
    tasks = RunQuery(tasks_only=True, page_size=20).to_request()
    assert tasks.filters == eq(TASK_FIELD, True)
    assert mapping.process_params(tasks, None) == {
        "range": "0,20", "sort": "startedAt,desc", "filter": "isTask,true",
    }
    failed_tasks = RunQuery(tasks_only=True, statuses=(RunStatus.ERROR,), page_size=5).to_request()
    assert mapping.process_params(failed_tasks, NAP_TASK)["filter"] == (
        f"workflowName,{NAP_TASK},lastStatus,failed|api_unavailable|inconsistent_data,isTask,true"
    )
    not_tasks = SearchRequest(filters=eq(TASK_FIELD, False))
    assert mapping.process_params(not_tasks, None)["filter"] == "isTask,false"
    with pytest.raises(errors.BadRequest, match="cannot filter runs on isTask"):
        mapping.process_params(SearchRequest(filters=eq(TASK_FIELD, "yes")), None)


def test_views_are_the_web_ui_tabs() -> None:
    active = RunQuery(statuses=RunView.ACTIVE.statuses).to_request()
    assert set(mapping.process_params(active, None)["filter"].removeprefix("lastStatus,").split("|")) == {
        "created", "running", "suspended", "waiting", "failed", "resumed", "inconsistent_data",
        "api_unavailable", "awaiting_callback",
    }
    completed = RunQuery(statuses=RunView.COMPLETED.statuses).to_request()
    assert mapping.process_params(completed, None)["filter"] == "lastStatus,completed|aborted"
    assert RunView.TASKS.tasks_only and not RunView.TASKS.statuses and not RunView.ALL.statuses


async def test_list_the_tasks(rec: Any) -> None:
    template = rec["lists"]["list_runs_default"][0]
    exchange = runs_list_exchange(TASKS_QUERY, task_rows(template), template)
    backend, handler = crafted_backend(rec, exchange)
    page = await backend.list_runs(RunQuery(tasks_only=True).to_request())
    assert [run.id for run in page.items] == [FAILED_TASK, DONE_TASK] and page.total == 2
    assert all(run.is_task and run.processId == NAP_TASK for run in page.items)
    assert page.items[0].processName == "Lab nap task" and page.items[0].state is RunStatus.ERROR
    assert handler.sent[0]["query"] == [tuple(pair) for pair in TASKS_QUERY]


async def test_backstage_has_no_engine_and_no_tasks(make_demo_backend: Any) -> None:
    backend = make_demo_backend()
    assert not {CAN_ENGINE, CAN_TASKS} & backend.info.capabilities
    with pytest.raises(errors.BadRequest, match="no engine status"):
        await backend.engine_status()
    with pytest.raises(errors.BadRequest, match="no tasks"):
        await backend.retry_failed_tasks()
    await backend.aclose()
