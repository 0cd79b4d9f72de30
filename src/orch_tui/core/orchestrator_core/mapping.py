"""How orchestrator-core's processes, statuses and steps become the console's runs.

Statuses (``last_status`` → :class:`~orch_tui.core.models.RunStatus`):

=====================================================  ===============
``created``                                            PENDING
``running``, ``resumed``                               ACTIVE
``suspended``, ``waiting``, ``awaiting_callback``      SUSPENDED
``failed``, ``api_unavailable``, ``inconsistent_data``  ERROR
``completed``                                          COMPLETED
``aborted``                                            ABORTED
=====================================================  ===============

Steps: the server lists the executed entries followed by every remaining step as ``pending``
(a retry appends a new entry after the failed one; a failed step is followed by a pending twin;
an abort appends ``User Aborted``).  ``last_step`` is the last *finished* step: the step being
run is the first ``pending`` one while the process is running.  Consecutive entries with one
name are grouped (:class:`StepGroup`), as the web UI's timeline groups them.

Runs queries: the console's :class:`~orch_tui.core.filters.SearchRequest` (the Backstage filter
language the runs list speaks) becomes the REST ``filter``/``sort``/``range`` parameters of
``GET /api/processes/``.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from orch_tui.core import errors
from orch_tui.core.filters import FieldFilter, Filter, LogicalFilter, NestedFilter, Operator, SearchRequest
from orch_tui.core.models import NodeInstance, ProcessInstanceError, RunStatus
from orch_tui.core.run_query import TASK_FIELD
from orch_tui.core.orchestrator_core.models import (
    CoreRun,
    RunSubscription,
    Step,
    StepGroup,
    WireProcess,
    epoch,
)

CORE_TO_RUN: dict[str, RunStatus] = {
    "created": RunStatus.PENDING,
    "running": RunStatus.ACTIVE,
    "resumed": RunStatus.ACTIVE,
    "suspended": RunStatus.SUSPENDED,
    "waiting": RunStatus.SUSPENDED,
    "awaiting_callback": RunStatus.SUSPENDED,
    "failed": RunStatus.ERROR,
    "api_unavailable": RunStatus.ERROR,
    "inconsistent_data": RunStatus.ERROR,
    "completed": RunStatus.COMPLETED,
    "aborted": RunStatus.ABORTED,
}
RUN_TO_CORE: dict[RunStatus, tuple[str, ...]] = {}
for _core, _run in CORE_TO_RUN.items():
    RUN_TO_CORE.setdefault(_run, ())
    RUN_TO_CORE[_run] = RUN_TO_CORE[_run] + (_core,)

#: Statuses in which a worker may be executing a step.
MOVING = frozenset({"created", "running", "resumed"})
FINAL = frozenset({"completed", "aborted"})
BOOKKEEPING_KEYS = frozenset({"process_id", "reporter", "workflow_name", "workflow_target"})

SORT_FIELDS = {
    "start": "startedAt",
    "processName": "workflowName",
    "processId": "workflowName",
    "state": "lastStatus",
    "end": "lastModifiedAt",
    "lastUpdate": "lastModifiedAt",
    "id": "processId",
}
DEFAULT_PAGE_SIZE = 100


def run_status(core_status: str | None) -> RunStatus:
    return CORE_TO_RUN.get((core_status or "").lower(), RunStatus.UNKNOWN)


# -- steps ----------------------------------------------------------------------------------


def to_step(wire: Any) -> Step:
    return Step(
        name=wire.name,
        status=wire.status,
        step_id=wire.step_id,
        created_by=wire.created_by,
        started=epoch(wire.started if wire.started is not None else wire.executed),
        completed=epoch(wire.completed),
        state=wire.state,
        state_delta=wire.state_delta,
        commit_hash=wire.commit_hash,
    )


def group_steps(steps: list[Step], core_status: str) -> tuple[list[StepGroup], str | None]:
    """The step groups and the name of the running step (None when no step runs)."""
    groups: list[StepGroup] = []
    running: str | None = None
    for step in steps:
        if step.status == "pending":
            if groups and groups[-1].name == step.name and groups[-1].attempts:
                # the pending twin of a failed (or suspended) entry: that step runs again next
                if running is None and core_status in MOVING:
                    groups[-1].status = "running"
                    running = step.name
                continue
            if running is None and core_status in MOVING:
                running = step.name
                groups.append(StepGroup(name=step.name, status="running"))
            else:
                groups.append(StepGroup(name=step.name, status="pending"))
            continue
        if groups and groups[-1].name == step.name:
            group = groups[-1]
            group.attempts.append(step)
            group.status = step.status
        else:
            groups.append(StepGroup(name=step.name, status=step.status, attempts=[step]))
    return groups, running


def step_nodes(run_id: str, groups: list[StepGroup], steps: list[Step]) -> tuple[list[NodeInstance], str | None]:
    """The run's nodes as the console's progress view reads them: every executed entry, then the
    running step (entered when the previous one completed); pending steps are not nodes.
    Returns the nodes and the id of the failed node, if any."""
    nodes: list[NodeInstance] = []
    failed_id: str | None = None
    last_end: datetime | None = None
    executed = [index for index, step in enumerate(steps) if step.status != "pending"]
    latest = executed[-1] if executed else -1
    ran: dict[int, int] = {}
    for group in groups:
        if group.attempts:
            ran[id(group.attempts[-1])] = len(group.attempts) + sum(step.retries for step in group.attempts)
    for index, step in enumerate(steps):
        if step.status == "pending":
            continue
        waiting = step.status in ("suspend", "awaiting_callback") and index == latest
        node_id = step.step_id or f"{run_id}:{index}"
        message = step.error if step.status in ("failed", "waiting") else None
        nodes.append(
            NodeInstance(
                id=node_id,
                nodeId=node_id,
                definitionId=step.name,
                type=step.status,
                name=step.name,
                enter=step.started or step.completed,
                exit=None if waiting else step.completed,
                errorMessage=message,
                attempts=ran.get(id(step), 1 + step.retries),
                detail=(step.state if step.status in ("failed", "waiting") else step.state_delta) or None,
            )
        )
        if step.status == "failed":
            failed_id = node_id
        last_end = step.completed or last_end
    for group in groups:
        if group.status == "running":
            nodes.append(
                NodeInstance(
                    id=f"{run_id}:running",
                    definitionId=group.name,
                    type="running",
                    name=group.name,
                    enter=last_end,
                )
            )
    return nodes, failed_id


# -- processes ------------------------------------------------------------------------------


def to_run(wire: WireProcess, workflow_label: str | None = None) -> CoreRun:
    """A REST process (list row or detail) as a console run."""
    core_status = wire.last_status.lower()
    status = run_status(core_status)
    detailed = wire.steps is not None
    steps = [to_step(step) for step in wire.steps or []]
    groups, running = group_steps(steps, core_status) if detailed else ([], None)
    nodes, failed_id = step_nodes(wire.process_id, groups, steps) if detailed else ([], None)
    started = epoch(wire.started_at)
    modified = epoch(wire.last_modified_at)
    subscriptions = [
        RunSubscription(
            subscription_id=sub.subscription_id,
            description=sub.description,
            status=sub.status,
            insync=sub.insync,
            version=sub.version,
            product_name=sub.product.name if sub.product else None,
            product_tag=sub.product.tag if sub.product else None,
        )
        for sub in wire.subscriptions
    ]
    error = None
    if wire.failed_reason and status is RunStatus.ERROR:
        error = ProcessInstanceError(
            nodeDefinitionId=wire.last_step, nodeInstanceId=failed_id, message=wire.failed_reason
        )
    description = "; ".join(sub.description for sub in subscriptions if sub.description) or None
    summary: list[str] = []
    if wire.failed_reason and status is RunStatus.ERROR:
        summary.append(f"{wire.last_step or 'A step'} failed: {wire.failed_reason}")
    return CoreRun(
        id=wire.process_id,
        processId=wire.workflow_name,
        processName=workflow_label or wire.workflow_name,
        description=description,
        state=status,
        start=started,
        end=modified if core_status in FINAL or status is RunStatus.ERROR else None,
        workflowdata=wire.current_state if detailed else None,
        initiatorEntity=wire.created_by,
        targetEntity=subscription_entity(subscriptions[0].subscription_id) if subscriptions else None,
        executionSummary=summary,
        nodes=nodes,
        error=error,
        core_status=core_status,
        workflow_uuid=wire.workflow_id,
        workflow_target=wire.workflow_target,
        is_task=wire.is_task,
        created_by=wire.created_by,
        assignee=wire.assignee,
        last_step=wire.last_step,
        last_modified=modified,
        failed_reason=wire.failed_reason,
        traceback=wire.traceback,
        note=wire.note,
        form=wire.form,
        subscriptions=subscriptions,
        steps=steps,
        step_groups=groups,
        running_step=running,
        detailed=detailed,
    )


def initial_inputs(run: CoreRun) -> dict[str, Any] | None:
    """What the process was started with: the state after its first step, less bookkeeping."""
    for step in run.steps:
        if step.status != "pending" and isinstance(step.state, dict):
            return {k: v for k, v in step.state.items() if k not in BOOKKEEPING_KEYS}
    return None


# -- runs queries ---------------------------------------------------------------------------


def process_params(request: SearchRequest | None, workflow_id: str | None) -> dict[str, str]:
    """``range``, ``sort`` and ``filter`` for ``GET /api/processes/``."""
    filters: list[tuple[str, str]] = []
    if workflow_id:
        filters.append(("workflowName", _value("workflowName", workflow_id)))
    if request is not None and request.filters is not None:
        _collect(request.filters, filters)
    info = request.paginationInfo if request is not None else None
    size = info.pageSize if info is not None and info.pageSize else DEFAULT_PAGE_SIZE
    offset = info.offset if info is not None and info.offset else 0
    order = (info.orderBy if info is not None else None) or "start"
    direction = (info.orderDirection if info is not None else None) or "DESC"
    sort_field = SORT_FIELDS.get(order)
    if sort_field is None:
        raise errors.BadRequest(f"orchestrator-core cannot sort runs by {order!r}")
    params = {"range": f"{offset},{offset + size}", "sort": f"{sort_field},{direction.lower()}"}
    if filters:
        params["filter"] = ",".join(f"{name},{value}" for name, value in filters)
    return params


def _collect(node: Filter, out: list[tuple[str, str]]) -> None:
    if isinstance(node, LogicalFilter):
        if node.operator != "AND":
            raise errors.BadRequest(f"orchestrator-core's process filters cannot express {node.operator}")
        for inner in node.filters:
            _collect(inner, out)
        return
    if isinstance(node, NestedFilter):
        path = [node.field]
        inner: Any = node.nested
        while isinstance(inner, NestedFilter):
            path.append(inner.field)
            inner = inner.nested
        path.append(inner.field)
        dotted = ".".join(path)
        if dotted == "variables.targetEntity" and inner.operator is Operator.EQ:
            out.append(("subscriptionId", _value("subscriptionId", subscription_ref(str(inner.value)))))
            return
        if dotted == "variables.initiatorEntity" and inner.operator is Operator.EQ:
            out.append(("createdBy", _value("createdBy", str(inner.value))))
            return
        raise errors.BadRequest(f"orchestrator-core cannot filter runs on {dotted} {inner.operator.value}")
    _field(node, out)


def _field(node: FieldFilter, out: list[tuple[str, str]]) -> None:
    op, value = node.operator, node.value
    values = value if isinstance(value, list) else [value]
    if node.field == "state" and op in (Operator.EQ, Operator.IN):
        statuses: list[str] = []
        for item in values:
            statuses.extend(RUN_TO_CORE.get(RunStatus(str(item)), ()))
        if not statuses:
            raise errors.BadRequest(f"No orchestrator-core status matches {values}")
        out.append(("lastStatus", "|".join(dict.fromkeys(statuses))))
        return
    if node.field in ("processId", "processName") and op in (Operator.EQ, Operator.IN):
        out.append(("workflowName", "|".join(_value("workflowName", str(v)) for v in values)))
        return
    if node.field == "id" and op in (Operator.EQ, Operator.IN):
        out.append(("processId", "|".join(_value("processId", str(v)) for v in values)))
        return
    if node.field == TASK_FIELD and op is Operator.EQ and isinstance(value, bool):
        out.append(("isTask", "true" if value else "false"))
        return
    if node.field == "start":
        bounds = {
            Operator.GTE: [(">=", values[0])],
            Operator.GT: [(">", values[0])],
            Operator.LTE: [("<", values[0], 1)],
            Operator.LT: [("<", values[0])],
            Operator.BETWEEN: [(">=", values[0]), ("<", values[-1], 1)] if len(values) == 2 else None,
        }.get(op)
        if bounds:
            for bound in bounds:
                out.append(("startedAt", bound[0] + _basic_time(bound[1], ceil=len(bound) > 2)))
            return
    raise errors.BadRequest(f"orchestrator-core cannot filter runs on {node.field} {op.value}")


SUBSCRIPTION_KIND = "subscription"


def subscription_ref(value: str) -> str:
    """The subscription id in ``subscription:default/<id>``, ``subscription:<id>`` or a bare id."""
    text = value.strip()
    if text.lower().startswith(SUBSCRIPTION_KIND + ":"):
        text = text.split(":", 1)[1]
        text = text.rsplit("/", 1)[-1]
    return text


def subscription_entity(subscription_id: str) -> str:
    """A subscription as an entity reference (``subscription:default/<id>``), the console's target."""
    return f"{SUBSCRIPTION_KIND}:default/{subscription_id}"


def _value(field: str, value: str) -> str:
    """A filter value the server reads as one value: no commas (they separate parameters), and
    outside id and date fields no ``-`` or ``|`` (they separate alternatives)."""
    if "," in value:
        raise errors.BadRequest(f"orchestrator-core cannot filter {field} on a value with a comma: {value!r}")
    splits_dash = not field.lower().endswith("id") and "date" not in field.lower()
    if "|" in value or (splits_dash and "-" in value):
        raise errors.BadRequest(
            f"orchestrator-core reads '-' and '|' in a {field} filter as 'or'; cannot filter on {value!r}"
        )
    return value


def _basic_time(value: Any, *, ceil: bool) -> str:
    """A filter time as ``YYYYMMDDTHHMMSS`` in UTC: the server splits ``startedAt`` values on
    ``-`` (so ISO dates with dashes are broken) and reads them as UTC; ``ceil`` rounds an
    inclusive upper bound up to the next whole second (sent with ``<``)."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    moment = moment.astimezone(timezone.utc).replace(microsecond=0)
    if ceil:
        moment += timedelta(seconds=1)
    return moment.strftime("%Y%m%dT%H%M%S")


def content_range_total(header: str | None) -> int | None:
    """``processes 0-2/27`` → 27."""
    if not header or "/" not in header:
        return None
    tail = header.rsplit("/", 1)[1].strip()
    return int(tail) if tail.isdigit() else None


def bare_etag(header: str | None) -> str | None:
    """``W/"0x9e70ca38"`` → ``0x9e70ca38``: the server compares If-None-Match with the bare value."""
    if not header:
        return None
    value = header.strip()
    if value.startswith("W/"):
        value = value[2:]
    return value.strip('"') or None
