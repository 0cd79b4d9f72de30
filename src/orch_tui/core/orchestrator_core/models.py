"""orchestrator-core's answers (wire models) and what the adapter makes of them.

Wire models keep the server's field names (REST: snake_case, epoch-second floats; GraphQL:
camelCase, ISO-8601, upper-case enums).  The domain side reuses the console's models
(:class:`~orch_tui.core.models.WorkflowOverview`, :class:`~orch_tui.core.models.ProcessInstance`)
as subclasses that carry what orchestrator-core adds: the step list, the failed reason and
traceback, the awaited form, subscriptions, product blocks.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from orch_tui.core.engine import ENGINE_STATES, PAUSED, PAUSING, RUNNING, EngineState
from orch_tui.core.models import ApiModel, ProcessInstance, RunStatus, WorkflowOverview


def epoch(value: Any) -> datetime | None:
    """REST timestamps are epoch seconds (floats); GraphQL ones ISO-8601 strings."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(float(value), tz=timezone.utc)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
    return None


class _Wire(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


# -- REST: processes -------------------------------------------------------------------------


class WireProduct(_Wire):
    product_id: str | None = None
    name: str | None = None
    description: str | None = None
    product_type: str | None = None
    status: str | None = None
    tag: str | None = None


class WireProcessSubscription(_Wire):
    subscription_id: str
    description: str | None = None
    status: str | None = None
    insync: bool | None = None
    version: int | None = None
    product: WireProduct | None = None


class WireStep(_Wire):
    step_id: str | None = None
    name: str
    status: str
    created_by: str | None = None
    started: float | None = None
    completed: float | None = None
    executed: float | None = None
    commit_hash: str | None = None
    state: Any = None
    state_delta: Any = None


class WireProcess(_Wire):
    """``ProcessSchema`` (``GET /api/processes/{id}``; list rows have no steps/state/form)."""

    process_id: str
    workflow_id: str | None = None
    workflow_name: str
    workflow_target: str | None = None
    is_task: bool = False
    created_by: str | None = None
    failed_reason: str | None = None
    started_at: float | None = None
    last_status: str
    last_step: str | None = None
    assignee: str | None = None
    last_modified_at: float | None = None
    traceback: str | None = None
    product_id: str | None = None
    customer_id: str | None = None
    subscriptions: list[WireProcessSubscription] = Field(default_factory=list)
    current_state: dict[str, Any] | None = None
    steps: list[WireStep] | None = None
    form: dict[str, Any] | None = None
    note: str | None = None

    @field_validator("subscriptions", mode="before")
    @classmethod
    def _none_is_empty(cls, value: Any) -> Any:
        return [] if value is None else value


# -- the console's side ----------------------------------------------------------------------


class Step(ApiModel):
    """One entry of a process's step list, as the server sent it (``status`` as it says)."""

    name: str
    status: str
    step_id: str | None = None
    created_by: str | None = None
    started: datetime | None = None
    completed: datetime | None = None
    state: Any = None
    state_delta: Any = None
    commit_hash: str | None = None

    @property
    def retries(self) -> int:
        """How often this failed entry failed again on retry (``state.retries``)."""
        value = self.state.get("retries") if isinstance(self.state, dict) else None
        return value if isinstance(value, int) and not isinstance(value, bool) else 0

    @property
    def error(self) -> str | None:
        """A failed step's message (``state.error``), with its exception class."""
        if not isinstance(self.state, dict) or self.status not in ("failed", "waiting"):
            return None
        message = self.state.get("error")
        klass = self.state.get("class")
        if isinstance(message, str) and message:
            return f"{klass}: {message}" if isinstance(klass, str) and klass else message
        return None


class StepGroup(ApiModel):
    """Consecutive entries of the same step (a failure and its retries) as one line.

    ``status`` is the display status: the latest attempt's server status (``success``,
    ``failed``, ``suspend``, ``abort``, ``complete``, ``skipped``, ``waiting``,
    ``awaiting_callback``), or ``running`` (the step the process is executing now: the first
    pending one while it runs) or ``pending`` (not reached).
    """

    name: str
    status: str
    attempts: list[Step] = Field(default_factory=list)

    @property
    def failures(self) -> int:
        """Failed attempts, counting repeated failures recorded in one entry (``state.retries``)."""
        return sum(1 + step.retries for step in self.attempts if step.status == "failed")

    @property
    def latest(self) -> Step | None:
        return self.attempts[-1] if self.attempts else None

    @property
    def started(self) -> datetime | None:
        return self.attempts[0].started if self.attempts else None

    @property
    def completed(self) -> datetime | None:
        return self.attempts[-1].completed if self.attempts else None


class RunSubscription(ApiModel):
    subscription_id: str
    description: str | None = None
    status: str | None = None
    insync: bool | None = None
    version: int | None = None
    product_name: str | None = None
    product_tag: str | None = None


class CoreRun(ProcessInstance):
    """A process, as a console run, plus what orchestrator-core knows about it.

    ``id`` is the process id, ``processId`` the workflow's name (its key) and ``processName``
    its description; ``state`` the mapped status (``core_status`` the server's own word).
    """

    core_status: str = ""
    workflow_uuid: str | None = None
    workflow_target: str | None = None
    is_task: bool = False
    created_by: str | None = None
    assignee: str | None = None
    last_step: str | None = None
    last_modified: datetime | None = None
    failed_reason: str | None = None
    traceback: str | None = None
    note: str | None = None
    form: dict[str, Any] | None = None
    subscriptions: list[RunSubscription] = Field(default_factory=list)
    steps: list[Step] = Field(default_factory=list)
    """The raw step list (``None`` on list rows, where the server sends none)."""
    step_groups: list[StepGroup] = Field(default_factory=list)
    running_step: str | None = None
    """The step being executed: the first pending one while the process runs."""
    detailed: bool = False
    """True when this came from the detail endpoint (steps, state and form are known)."""

    @property
    def can_retry(self) -> bool:
        """The web UI's Retry: failed, api_unavailable, inconsistent_data, waiting."""
        return self.core_status in RETRYABLE

    @property
    def can_resume(self) -> bool:
        """Suspended on an input step: resume with its form (``form``)."""
        return self.core_status == "suspended"

    @property
    def can_abort(self) -> bool:
        return self.core_status not in ("completed", "aborted")

    @property
    def can_delete(self) -> bool:
        """Only tasks can be deleted, and not while they run."""
        return self.is_task and self.core_status not in ("running", "created", "resumed")

    @property
    def delete_refusal(self) -> str | None:
        if not self.is_task:
            return "only tasks can be deleted; this run is a workflow's, kept as the subscription's history"
        return None


class CoreWorkflow(WorkflowOverview):
    """A workflow or task: ``workflowId`` is its name (the key processes are started with)."""

    workflow_uuid: str | None = None
    target: str | None = None
    is_task: bool = False
    is_allowed: bool = True
    created_at: datetime | None = None
    products: list[dict[str, Any]] = Field(default_factory=list)
    steps: list[dict[str, Any]] = Field(default_factory=list)
    """The static step list (``name``, ``assignee``): what a UI draws before a process exists."""


# -- subscriptions -----------------------------------------------------------------------------


class ProductInfo(ApiModel):
    product_id: str | None = None
    name: str | None = None
    product_type: str | None = None
    tag: str | None = None
    status: str | None = None
    description: str | None = None


class SubscriptionSummary(ApiModel):
    """One row of the subscription list; ``status`` is the lifecycle in lower case."""

    subscription_id: str
    description: str | None = None
    status: str | None = None
    insync: bool | None = None
    start_date: datetime | None = None
    end_date: datetime | None = None
    note: str | None = None
    customer_id: str | None = None
    customer_name: str | None = None
    version: int | None = None
    product: ProductInfo | None = None


class SubscriptionPage(ApiModel):
    items: list[SubscriptionSummary] = Field(default_factory=list)
    total: int | None = None
    offset: int = 0
    has_next: bool = False


class ProductBlock(ApiModel):
    """One product block instance; ``values`` in the server's order (GraphQL camelCase names)."""

    name: str
    index: int
    parent: int | None = None
    subscription_instance_id: str | None = None
    owner_subscription_id: str | None = None
    values: dict[str, Any] = Field(default_factory=dict)
    in_use_by: list[Any] = Field(default_factory=list)
    children: list[ProductBlock] = Field(default_factory=list)

    def walk(self, depth: int = 0) -> list[tuple[int, ProductBlock]]:
        found = [(depth, self)]
        for child in self.children:
            found.extend(child.walk(depth + 1))
        return found


class SubscriptionProcess(ApiModel):
    process_id: str
    workflow_name: str | None = None
    core_status: str = ""
    status: RunStatus = RunStatus.UNKNOWN
    workflow_target: str | None = None
    started_at: datetime | None = None
    last_modified: datetime | None = None
    last_step: str | None = None
    is_task: bool = False
    created_by: str | None = None


class SubscriptionDetail(SubscriptionSummary):
    metadata: Any = None
    fixed_inputs: list[Any] = Field(default_factory=list)
    customer_descriptions: list[Any] = Field(default_factory=list)
    blocks: list[ProductBlock] = Field(default_factory=list)
    """The product block tree: root blocks, each with its ``children``."""
    processes: list[SubscriptionProcess] = Field(default_factory=list)
    """The subscription's processes, oldest first (the web UI's Workflows tab)."""


class ApplicableWorkflow(ApiModel):
    """A workflow the subscription offers; ``reason`` (a translation key) when it cannot run now."""

    name: str
    description: str | None = None
    target: str
    reason: str | None = None
    usable_when: list[Any] = Field(default_factory=list)
    status: str | None = None
    """The subscription status the server judged the workflow by (with ``usable_when``)."""

    @property
    def allowed(self) -> bool:
        return not self.reason


class ApplicableWorkflows(ApiModel):
    """``GET /api/subscriptions/workflows/{id}``: by target, and a reason blocking them all."""

    subscription_id: str
    reason: str | None = None
    workflows: list[ApplicableWorkflow] = Field(default_factory=list)

    def by_target(self, target: str) -> list[ApplicableWorkflow]:
        return [wf for wf in self.workflows if wf.target == target.lower()]

    @property
    def allowed(self) -> list[ApplicableWorkflow]:
        return [wf for wf in self.workflows if wf.allowed and not self.reason]


class EngineStatus(EngineState):
    """``GET /api/settings/status`` (``global_status`` RUNNING, PAUSING or PAUSED) with
    ``/processes/status-counts``; the console's :class:`~orch_tui.core.engine.EngineState`
    fields are derived from them."""

    global_lock: bool = False
    global_status: str = "RUNNING"
    running_processes: int = 0
    process_counts: dict[str, int] = Field(default_factory=dict)
    task_counts: dict[str, int] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _console_fields(self) -> EngineStatus:
        word = self.global_status.strip().lower()
        self.state = word if word in ENGINE_STATES else (PAUSED if self.global_lock else RUNNING)
        self.running = self.running_processes
        self.run_counts = dict(self.process_counts)
        self.failed_tasks = sum(self.task_counts.get(status, 0) for status in RETRYABLE)
        if self.state == PAUSED:
            self.label = "paused: starts and resumes are refused"
        elif self.state == PAUSING:
            count = self.running_processes
            self.label = f"pausing: {count} process{'' if count == 1 else 'es'} still running"
        else:
            self.label = "running"
        return self

    @property
    def accepts_changes(self) -> bool:
        """Start and resume are refused (503) while the engine is locked."""
        return not self.global_lock


RETRYABLE = frozenset({"failed", "api_unavailable", "inconsistent_data", "waiting"})

ProductBlock.model_rebuild()
