"""Rendering of runs and workflows into the DTOs the Orchestrator v2 API returns (8.13.2 shapes)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from .catalog import DemoWorkflow
from .engine import (
    ABORTED,
    ACTIVE,
    COMPLETED,
    ERROR,
    PENDING,
    SUSPENDED,
    DemoEngine,
    NodeRecord,
    Run,
    node_definition_id,
)
from .timeutil import human_duration, iso

MONTH_MS = 30 * 24 * 3_600_000


class _Variables(Mapping[str, Any]):
    """A run's ``variables``, computing ``workflowdata`` only when a filter reaches into it."""

    __slots__ = ("_data", "_engine", "_now", "_run")

    def __init__(self, engine: DemoEngine, run: Run, now: int) -> None:
        self._engine, self._run, self._now = engine, run, now
        self._data: dict[str, Any] | None = None

    def _materialise(self) -> dict[str, Any]:
        if self._data is None:
            self._data = self._engine.variables(self._run, self._now)
        return self._data

    def __getitem__(self, key: str) -> Any:
        if key == "initiatorEntity" and self._run.initiator is not None:
            return self._run.initiator
        if key == "targetEntity" and self._run.target is not None:
            return self._run.target
        return self._materialise()[key]

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default

    def __iter__(self) -> Iterator[str]:
        return iter(self._materialise())

    def __len__(self) -> int:
        return len(self._materialise())


class RunAccessor:
    """Reads ``ProcessInstance`` fields of runs at a fixed moment (for filters and ordering)."""

    def __init__(self, engine: DemoEngine, now: int) -> None:
        self.engine = engine
        self.now = now

    def extractor(self, field: str) -> Callable[[Run], Any]:
        engine, now = self.engine, self.now
        simple: dict[str, Callable[[Run], Any]] = {
            "id": lambda run: run.id,
            "processId": lambda run: run.workflow.id,
            "processName": lambda run: run.workflow.name,
            "version": lambda run: run.version,
            "start": lambda run: run.start,
            "businessKey": lambda run: run.business_key,
            "endpoint": lambda run: run.workflow.endpoint,
            "state": lambda run: engine.status(run, now)[0],
            "end": lambda run: engine.status(run, now)[1],
            "lastUpdate": lambda run: engine.last_update(run, now),
        }
        return simple.get(field, lambda run: None)

    def variables(self, run: Run) -> Mapping[str, Any]:
        return _Variables(self.engine, run, self.now)


class WorkflowAccessor:
    """Reads ``ProcessDefinition`` fields of workflows."""

    def extractor(self, field: str) -> Callable[[DemoWorkflow], Any]:
        simple: dict[str, Callable[[DemoWorkflow], Any]] = {
            "id": lambda wf: wf.id,
            "name": lambda wf: wf.name,
            "version": lambda wf: wf.version,
            "type": lambda wf: "SW",
            "endpoint": lambda wf: wf.endpoint,
            "serviceUrl": lambda wf: wf.url,
            "description": lambda wf: wf.description or None,
        }
        return simple.get(field, lambda wf: None)

    def variables(self, workflow: DemoWorkflow) -> Mapping[str, Any]:
        return {}


# ------------------------------------------------------------------------------ instances


def execution_summary(engine: DemoEngine, run: Run, now: int, records: Sequence[NodeRecord]) -> list[str]:
    """The human-readable event list the UI parses (started, failed, retriggered, ...)."""
    state, end = engine.status(run, now)
    nodes = run.workflow.nodes
    if state == PENDING:
        return [f"Workflow queued at {iso(run.start)}"]
    limit = now
    if run.aborted_at is not None and run.aborted_at <= now:
        limit = run.aborted_at
    if run.halted_at is not None:
        limit = min(limit, run.halted_at)
    events: list[tuple[int, str]] = [(run.start, f"Workflow started at {iso(run.start)}")]
    for attempt in run.attempts:
        if attempt.number > 1 and attempt.started <= limit:
            events.append((attempt.started, f"Workflow retriggered at {iso(attempt.started)}"))
        if attempt.fail_node is not None and attempt.ends_at <= limit:
            name = nodes[attempt.fail_node].name
            events.append((attempt.ends_at, f"Node {name} failed at {iso(attempt.ends_at)}"))
    events.sort(key=lambda event: event[0])
    lines = [text for _, text in events]
    if state == ACTIVE and records:
        current = records[-1]
        if current.exit is None and current.error is None and nodes[current.node_index].waits:
            lines.append(f"Waiting at node {nodes[current.node_index].name} since {iso(current.enter)}")
    elif state == COMPLETED and end is not None:
        lines.append(f"Workflow completed at {iso(end)}")
    elif state == ABORTED and end is not None:
        lines.append(f"Workflow aborted at {iso(end)}")
    elif state == SUSPENDED and run.halted_at is not None:
        lines.append(f"Workflow suspended at {iso(run.halted_at)}")
    return lines


def _node_dto(run: Run, record: NodeRecord) -> dict[str, Any]:
    node = run.workflow.nodes[record.node_index]
    dto: dict[str, Any] = {
        "id": record.instance_id,
        "nodeId": str(record.node_index),
        "definitionId": node_definition_id(record.node_index),
        "type": node.type,
        "name": node.name,
        "enter": iso(record.enter),
    }
    if record.exit is not None:
        dto["exit"] = iso(record.exit)
    if record.error is not None:
        dto["errorMessage"] = record.error
    dto["__typename"] = "NodeInstance"
    return dto


def instance_dto(engine: DemoEngine, run: Run, now: int, *, full: bool) -> dict[str, Any]:
    """A ``ProcessInstanceDTO``: a list item (``full=False``) or the getInstanceById answer."""
    state, end = engine.status(run, now)
    records = engine.records(run, now)
    workflow = run.workflow
    dto: dict[str, Any] = {
        "id": run.id,
        "processId": workflow.id,
        "processName": workflow.name,
        "version": run.version,
    }
    if full:
        if workflow.description:
            dto["description"] = workflow.description
        dto["serviceUrl"] = workflow.url
    dto["executionSummary"] = execution_summary(engine, run, now, records)
    error_instance: str | None = None
    if full:
        failed = engine.failed_attempt(run, now)
        if failed is not None and failed.fail_node is not None:
            failed_record = next(
                (r for r in reversed(records) if r.attempt == failed.number and r.node_index == failed.fail_node), None
            )
            if failed_record is not None:
                error_instance = failed_record.instance_id
                dto["error"] = {
                    "nodeDefinitionId": node_definition_id(failed.fail_node),
                    "nodeInstanceId": error_instance,
                    "message": run.fail_message,
                }
    dto["start"] = iso(run.start)
    if end is not None:
        dto["end"] = iso(end)
        dto["duration"] = human_duration(end - run.start)
    dto["workflowdata"] = engine.workflowdata(run, now)
    if run.initiator is not None:
        dto["initiatorEntity"] = run.initiator
    if run.target is not None:
        dto["targetEntity"] = run.target
    dto["state"] = state
    if full:
        dto["nodes"] = [
            _node_dto(run, record) for record in records if record.error is None or record.instance_id == error_instance
        ]
    else:
        dto["nodes"] = [{"id": record.instance_id, "__typename": "NodeInstance"} for record in records]
    return dto


def dumps(data: Any) -> str:
    """Compact JSON, as Express sends it."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def list_item_json(engine: DemoEngine, run: Run, now: int) -> str:
    """A run as a serialised list item, cached once the run no longer changes with time."""
    cached = run.listing_cache
    if cached is not None and cached[0] <= now:
        return cached[1]
    text = dumps(instance_dto(engine, run, now, full=False))
    settled = engine.settled_since(run, now)
    if settled is not None:
        run.listing_cache = (settled, text)
    return text


def logs_dto(engine: DemoEngine, run: Run, now: int) -> dict[str, Any]:
    """What the Loki log provider returns: ``{instanceId, logs: [{id: <ns timestamp>, log}]}``."""
    workflow = run.workflow
    state, end = engine.status(run, now)
    entries: list[tuple[int, str, str]] = []

    def emit(moment: int, level: str, logger: str, text: str) -> None:
        entries.append((moment, level, f"[{logger}] (executor-thread-{1 + len(entries) % 4}) {text}"))

    process = "org.kie.kogito.process.impl.AbstractProcessInstance"
    node_logger = "org.jbpm.workflow.instance.impl.NodeInstanceImpl"
    if state == PENDING:
        emit(run.start, "INFO", process, f"Process instance {run.id} of '{workflow.id}' created, waiting to start")
    else:
        emit(run.start, "INFO", process, f"Starting workflow '{workflow.id}' ({run.id})")
    for attempt in run.attempts[1:]:
        if attempt.started <= now:
            name = workflow.nodes[attempt.first_node].name
            emit(attempt.started, "INFO", process, f"Retriggering process instance {run.id} from node '{name}'")
    for record in engine.records(run, now):
        node = workflow.nodes[record.node_index]
        emit(record.enter, "INFO", node_logger, f"Node '{node.name}' ({node.type}) entered, instance {run.id}")
        if record.error is not None:
            failed_at = record.enter + run.attempts[record.attempt - 1].fail_after
            emit(
                failed_at,
                "ERROR",
                "org.kie.kogito.process.impl.DefaultWorkItemHandlerConfig",
                f"Error executing node '{node.name}' of process instance {run.id}: {record.error}",
            )
        if record.exit is not None and record.error is None:
            emit(
                record.exit,
                "INFO",
                node_logger,
                f"Node '{node.name}' completed in {record.exit - record.enter} ms, instance {run.id}",
            )
    if state == COMPLETED and end is not None:
        emit(end, "INFO", process, f"Workflow '{workflow.id}' ({run.id}) completed")
    elif state == ABORTED and end is not None:
        emit(end, "WARN", process, f"Workflow '{workflow.id}' ({run.id}) aborted")
    elif state == SUSPENDED and run.halted_at is not None:
        emit(run.halted_at, "INFO", process, f"Workflow '{workflow.id}' ({run.id}) suspended")
    entries.sort(key=lambda entry: entry[0])
    logs = []
    for sequence, (moment, level, text) in enumerate(entries):
        logs.append({"id": str(moment * 1_000_000 + sequence), "log": f"{iso(moment)} {level:<5} {text}"})
    return {"instanceId": run.id, "logs": logs}


# ------------------------------------------------------------------------------ workflows


def run_stats(engine: DemoEngine, workflow: DemoWorkflow, runs: Sequence[Run], now: int) -> dict[str, Any] | None:
    """``workflowRunStats`` over the runs made with the workflow's current version."""
    month_ago = now - MONTH_MS
    total = success = errors = last_month = 0
    durations = 0
    for run in runs:
        if run.version != workflow.version:
            continue
        total += 1
        if run.start >= month_ago:
            last_month += 1
        state, end = engine.status(run, now)
        if state == COMPLETED:
            success += 1
        elif state == ERROR:
            errors += 1
        if end is not None:
            durations += end - run.start
    if total == 0:
        return None
    finished = success + errors
    return {
        "successRatio": success / finished if finished else None,
        "runsLastMonth": last_month,
        "successCount": success,
        "errorCount": errors,
        "totalCount": finished,
        "averageTimeToComplete": durations / total,
    }


def overview_dto(engine: DemoEngine, workflow: DemoWorkflow, runs: Sequence[Run], now: int) -> dict[str, Any]:
    """A ``WorkflowOverviewDTO``; ``runs`` (ordered by start) scope the last run and the stats."""
    dto: dict[str, Any] = {"workflowId": workflow.id, "name": workflow.name, "format": workflow.format}
    last = runs[-1] if runs else None
    if last is not None:
        dto["lastRunId"] = last.id
    dto["lastTriggeredMs"] = last.start if last is not None else 0
    if last is not None:
        dto["lastRunStatus"] = engine.state(last, now)
    if workflow.description:
        dto["description"] = workflow.description
    dto["isAvailable"] = workflow.available
    if not workflow.available:
        dto["availability"] = workflow.availability()
    dto["version"] = workflow.version
    stats = run_stats(engine, workflow, runs, now)
    if stats is not None:
        dto["workflowRunStats"] = stats
    return dto
