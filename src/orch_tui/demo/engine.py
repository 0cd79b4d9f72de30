"""The run simulation behind the demo orchestrator.

Runs are not driven by background tasks. Each run records *when* things were asked of it (its
start, every retrigger, an abort) and the node durations of its workflow; what state it is in,
which nodes it has entered and left, and when, is computed from the clock whenever it is looked
at. The simulation therefore behaves the same in-process and behind uvicorn, and a frozen clock
gives identical answers every time.
"""

from __future__ import annotations

import bisect
import random
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .catalog import DemoWorkflow
from .errors import not_found, plain_error, workflow_service_error
from .timeutil import Clock, to_ms

ACTIVE = "ACTIVE"
ERROR = "ERROR"
COMPLETED = "COMPLETED"
ABORTED = "ABORTED"
SUSPENDED = "SUSPENDED"
PENDING = "PENDING"

DEFAULT_INITIATOR = "user:default/guest"
SERVICE_INITIATOR = "user:default/system"

_ID_MASK = 0xFFFF_FFFF_FFFF


class WorkflowPlan:
    """Timing of a workflow's nodes: cumulative offsets in milliseconds."""

    __slots__ = ("cumulative", "workflow")

    def __init__(self, workflow: DemoWorkflow) -> None:
        self.workflow = workflow
        offsets = [0]
        for node in workflow.nodes:
            offsets.append(offsets[-1] + round(node.duration * 1000))
        self.cumulative = offsets

    @property
    def size(self) -> int:
        return len(self.workflow.nodes)

    def offset(self, index: int, scale: float) -> int:
        """Milliseconds from the start of the workflow until node ``index`` is entered."""
        base = self.cumulative[index]
        return base if scale == 1.0 else round(base * scale)

    def offsets(self, scale: float) -> list[int]:
        """``offset(i, scale)`` for every node and the end of the workflow."""
        if scale == 1.0:
            return self.cumulative
        return [round(base * scale) for base in self.cumulative]

    def total(self, scale: float = 1.0) -> int:
        return self.offset(self.size, scale)


@dataclass(slots=True)
class Attempt:
    """One execution pass of a run: the first run, or a retrigger from the failed node."""

    number: int
    started: int
    first_node: int
    #: Node at which this attempt fails (``None`` when it runs to completion).
    fail_node: int | None
    #: Milliseconds between entering ``fail_node`` and failing.
    fail_after: int
    #: When the attempt completes or fails.
    ends_at: int
    #: When a retrigger replaced this (failed) attempt.
    superseded_at: int | None = None


@dataclass(slots=True, eq=False)
class Run:
    """A workflow instance."""

    id: str
    workflow: DemoWorkflow
    plan: WorkflowPlan
    version: str
    start: int
    inputs: Mapping[str, Any]
    initiator: str | None
    target: str | None
    business_key: str | None
    scale: float
    #: Node that fails, the message it fails with, and on how many attempts it fails.
    fail_node: int | None
    fail_message: str | None
    failures_planned: int
    attempts: list[Attempt] = field(default_factory=list)
    aborted_at: int | None = None
    #: Runs frozen in SUSPENDED or PENDING (seeded history only) and since when.
    halted_state: str | None = None
    halted_at: int | None = None
    result_cache: dict[str, Any] | None = None
    #: Serialised list item and the moment from which it no longer changes with time.
    listing_cache: tuple[int, str] | None = None

    @property
    def workflow_id(self) -> str:
        return self.workflow.id

    def result(self) -> dict[str, Any]:
        if self.result_cache is None:
            self.result_cache = self.workflow.build_result(self.inputs)
        return self.result_cache


class NodeRecord(NamedTuple):
    """A node instance as the Data Index would report it."""

    instance_id: str
    node_index: int
    attempt: int
    enter: int
    exit: int | None
    error: str | None


def node_definition_id(index: int) -> str:
    return f"_jbpm-unique-{index}"


def new_uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


class DemoEngine:
    """Holds the workflow catalogue and every run, and answers questions about them."""

    def __init__(
        self,
        workflows: Sequence[DemoWorkflow],
        clock: Clock,
        *,
        seed: int = 7,
        logs_enabled: bool = True,
        initiator: str = DEFAULT_INITIATOR,
    ) -> None:
        self.workflows: dict[str, DemoWorkflow] = {}
        for workflow in workflows:
            if workflow.id in self.workflows:
                raise ValueError(f"duplicate workflow id {workflow.id!r}")
            self.workflows[workflow.id] = workflow
        self.plans = {workflow.id: WorkflowPlan(workflow) for workflow in workflows}
        self.clock = clock
        self.seed = seed
        self.logs_enabled = logs_enabled
        self.initiator = initiator
        self.runs: dict[str, Run] = {}
        self._ordered: list[Run] = []
        self._by_workflow: dict[str, list[Run]] = {workflow.id: [] for workflow in workflows}
        self._rng = random.Random(f"orch-tui-demo:{seed}:runtime")

    # ------------------------------------------------------------------ time and lookup

    def now(self) -> int:
        """The clock, in epoch milliseconds."""
        return to_ms(self.clock())

    def get(self, run_id: str) -> Run | None:
        return self.runs.get(run_id)

    def runs_of(self, workflow_id: str | None = None) -> Sequence[Run]:
        """Runs ordered by start (oldest first), of one workflow or of all."""
        if workflow_id is None:
            return self._ordered
        return self._by_workflow.get(workflow_id, ())

    def add(self, run: Run) -> None:
        """Register a run, keeping the start-ordered indexes sorted."""
        if run.id in self.runs:
            raise ValueError(f"duplicate run id {run.id}")
        self.runs[run.id] = run
        for index in (self._ordered, self._by_workflow.setdefault(run.workflow_id, [])):
            if not index or index[-1].start <= run.start:
                index.append(run)
            else:
                bisect.insort_right(index, run, key=lambda item: item.start)

    def add_many(self, runs: Iterable[Run]) -> None:
        for run in runs:
            self.add(run)

    # ------------------------------------------------------------------ simulation

    def make_attempt(self, run: Run, number: int, started: int, first_node: int) -> Attempt:
        plan, scale = run.plan, run.scale
        base = started - plan.offset(first_node, scale)
        fails = run.fail_node is not None and number <= run.failures_planned and run.fail_node >= first_node
        if fails:
            assert run.fail_node is not None
            node = run.fail_node
            fail_after = plan.offset(node + 1, scale) - plan.offset(node, scale) if number == 1 else 0
            return Attempt(number, started, first_node, node, fail_after, base + plan.offset(node, scale) + fail_after)
        return Attempt(number, started, first_node, None, 0, base + plan.total(scale))

    def status(self, run: Run, now: int) -> tuple[str, int | None]:
        """``(state, end)`` of a run at ``now``; ``end`` is ``None`` while it has not ended."""
        if run.halted_state is not None:
            return run.halted_state, None
        if run.aborted_at is not None and run.aborted_at <= now:
            return ABORTED, run.aborted_at
        attempt = run.attempts[-1]
        if now < attempt.ends_at:
            return ACTIVE, None
        if attempt.fail_node is not None:
            return ERROR, None
        return COMPLETED, attempt.ends_at

    def state(self, run: Run, now: int) -> str:
        return self.status(run, now)[0]

    def records(self, run: Run, now: int) -> list[NodeRecord]:
        """Node instances of every attempt, in the order they were entered."""
        if run.halted_state == PENDING:
            return []
        limit, closing = now, None
        if run.aborted_at is not None and run.aborted_at <= now:
            limit = closing = run.aborted_at
        if run.halted_at is not None:
            limit = min(limit, run.halted_at)
        offsets = run.plan.offsets(run.scale)
        last_node = len(offsets) - 2
        prefix, tail = run.id[:24], int(run.id[24:], 16)
        records: list[NodeRecord] = []
        for attempt in run.attempts:
            if attempt.started > limit:
                break
            attempt_limit, attempt_closing = limit, closing
            if attempt.superseded_at is not None and attempt.superseded_at <= limit:
                attempt_limit = attempt_closing = attempt.superseded_at
            base = attempt.started - offsets[attempt.first_node]
            fail_node = attempt.fail_node
            last = fail_node if fail_node is not None else last_node
            for index in range(attempt.first_node, last + 1):
                enter = base + offsets[index]
                if enter > attempt_limit:
                    break
                error: str | None = None
                if index == fail_node:
                    exit_at = attempt_closing
                    if enter + attempt.fail_after <= attempt_limit:
                        error = run.fail_message
                else:
                    natural_exit = base + offsets[index + 1]
                    exit_at = natural_exit if natural_exit <= attempt_limit else attempt_closing
                salt = ((attempt.number * 7919 + index + 1) * 2_654_435_761) & _ID_MASK
                records.append(NodeRecord(f"{prefix}{tail ^ salt:012x}", index, attempt.number, enter, exit_at, error))
        return records

    def settled_since(self, run: Run, now: int) -> int | None:
        """From when on the run stops changing with time (until a command changes it), if it has."""
        if run.halted_at is not None:
            return run.halted_at if run.halted_at <= now else None
        if run.aborted_at is not None and run.aborted_at <= now:
            return run.aborted_at
        ends_at = run.attempts[-1].ends_at
        return ends_at if ends_at <= now else None

    def failed_attempt(self, run: Run, now: int) -> Attempt | None:
        """The last attempt if it has failed by ``now`` (the run's current error), else ``None``."""
        attempt = run.attempts[-1] if run.attempts else None
        if attempt is None or attempt.fail_node is None or attempt.ends_at > now:
            return None
        if run.aborted_at is not None and run.aborted_at < attempt.ends_at:
            return None
        return attempt

    def last_update(self, run: Run, now: int) -> int:
        moments = [run.start]
        for record in self.records(run, now):
            moments.append(record.exit if record.exit is not None else record.enter)
        state, end = self.status(run, now)
        if end is not None:
            moments.append(end)
        if state == ERROR:
            moments.append(run.attempts[-1].ends_at)
        return max(moments)

    def variables(self, run: Run, now: int) -> dict[str, Any]:
        """The instance ``variables`` (workflow data plus who started it and for what)."""
        variables: dict[str, Any] = {"workflowdata": self.workflowdata(run, now)}
        if run.initiator is not None:
            variables["initiatorEntity"] = run.initiator
        if run.target is not None:
            variables["targetEntity"] = run.target
        return variables

    def workflowdata(self, run: Run, now: int) -> dict[str, Any]:
        data = dict(run.inputs)
        if self.state(run, now) == COMPLETED:
            data["result"] = run.result()
        return data

    # ------------------------------------------------------------------ commands

    def execute(
        self,
        workflow_id: str,
        inputs: Mapping[str, Any] | None,
        *,
        initiator: str | None = None,
        target: str | None = None,
    ) -> Run:
        """Start a run now, as ``POST /v2/workflows/{id}/execute`` does."""
        workflow = self.workflows.get(workflow_id)
        if workflow is None:
            raise plain_error(f"Couldn't fetch workflow definition for {workflow_id}")
        if not workflow.available:
            raise workflow_service_error(
                "POST", workflow.endpoint, workflow.unavailable_status, workflow.unavailable_reason
            )
        data = dict(inputs or {})
        fail_node = workflow.failing_node()
        failures = 0
        if fail_node is not None:
            failures = 1
            if workflow.failures_input and workflow.failures_input in data:
                requested = data[workflow.failures_input]
                if isinstance(requested, int | float) and not isinstance(requested, bool):
                    failures = max(0, min(int(requested), 10))
        now = self.now()
        run = Run(
            id=new_uuid(self._rng),
            workflow=workflow,
            plan=self.plans[workflow.id],
            version=workflow.version,
            start=now,
            inputs=data,
            initiator=initiator if initiator is not None else self.initiator,
            target=target,
            business_key=None,
            scale=1.0,
            fail_node=fail_node if failures else None,
            fail_message=workflow.nodes[fail_node].fails_with if fail_node is not None and failures else None,
            failures_planned=failures,
        )
        run.attempts.append(self.make_attempt(run, 1, now, 0))
        self.add(run)
        return run

    def require(self, run_id: str) -> Run:
        run = self.runs.get(run_id)
        if run is None:
            raise not_found(f"Couldn't fetch process instance {run_id}")
        return run

    def abort(self, run_id: str) -> Run:
        """Abort a run that is ACTIVE or in ERROR, as the SonataFlow management API does."""
        run = self.require(run_id)
        workflow = run.workflow
        url = f"{workflow.management_url}/instances/{run_id}"
        if not workflow.available:
            raise workflow_service_error("DELETE", url, workflow.unavailable_status, workflow.unavailable_reason)
        now = self.now()
        state = self.state(run, now)
        if state in (COMPLETED, ABORTED):
            raise workflow_service_error(
                "DELETE", url, 404, "Not Found", f"Process instance with id {run_id} not found"
            )
        if state not in (ACTIVE, ERROR):
            raise workflow_service_error(
                "DELETE", url, 409, "Conflict", f"Process instance with id {run_id} is {state} and cannot be aborted"
            )
        run.aborted_at = now
        run.listing_cache = None
        return run

    def retrigger(self, workflow_id: str, run_id: str) -> Run:
        """Resume a failed run at the node that failed, keeping its input data."""
        workflow = self.workflows.get(workflow_id)
        if workflow is None:
            raise plain_error(f"Couldn't fetch workflow definition for {workflow_id}")
        url = f"{workflow.management_url}/instances/{run_id}/retrigger"
        if not workflow.available:
            raise workflow_service_error("POST", url, workflow.unavailable_status, workflow.unavailable_reason)
        run = self.runs.get(run_id)
        now = self.now()
        state = self.state(run, now) if run is not None and run.workflow_id == workflow_id else None
        if run is None or state in (None, COMPLETED, ABORTED):
            raise workflow_service_error("POST", url, 404, "Not Found", f"Process instance with id {run_id} not found")
        if state != ERROR:
            raise workflow_service_error(
                "POST", url, 400, "Bad Request", f"Process instance with id {run_id} is not in error state"
            )
        previous = run.attempts[-1]
        assert previous.fail_node is not None
        previous.superseded_at = now
        attempt = self.make_attempt(run, previous.number + 1, now, previous.fail_node)
        run.attempts.append(attempt)
        run.listing_cache = None
        if attempt.fail_node is not None and attempt.ends_at <= now:
            raise workflow_service_error(
                "POST",
                url,
                500,
                "Internal Server Error",
                run.fail_message,
                failed_node_id=node_definition_id(attempt.fail_node),
            )
        return run


__all__ = [
    "ABORTED",
    "ACTIVE",
    "COMPLETED",
    "ERROR",
    "PENDING",
    "SUSPENDED",
    "Attempt",
    "DemoEngine",
    "NodeRecord",
    "Run",
    "WorkflowPlan",
]
