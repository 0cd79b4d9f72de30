"""Deterministic run history for the demo orchestrator.

History is laid out backwards from the clock at creation time over roughly 45 days. The same
``seed``, clock reading, count and catalogue always produce the same runs (ids included).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from .catalog import DemoWorkflow
from .engine import PENDING, SUSPENDED, DemoEngine, Run, new_uuid

USERS = (
    "user:default/alice",
    "user:default/bob",
    "user:default/carol",
    "user:default/dave",
    "user:default/erin",
    "user:default/guest",
)
ENTITIES = (
    "component:default/payments-api",
    "component:default/checkout-web",
    "component:default/search-indexer",
    "component:default/design-system",
    "system:default/payments",
    "resource:default/orders-db",
)
ERROR_MESSAGES = (
    "HTTP 502 Bad Gateway from https://api.internal.example.com while executing '{node}'",
    "Connection refused: gitlab.example.com/10.0.4.12:443",
    "Timed out after 30000 ms waiting for '{node}' to respond",
    "java.lang.IllegalArgumentException: quota exceeded for namespace 'team-sandbox'",
    "Permission denied: service account 'orchestrator' may not perform '{node}'",
)

HOUR = 3_600_000
DAY = 24 * HOUR
HISTORY_SPAN = 45 * DAY

# Kinds of seeded runs and their shares.
_COMPLETED = "completed"
_ERROR = "error"
_ERROR_AGAIN = "error-after-retrigger"
_RECOVERED = "recovered"
_ABORTED = "aborted"
_ABORTED_FAILED = "aborted-after-error"
_KINDS = (_COMPLETED, _ERROR, _ERROR_AGAIN, _RECOVERED, _ABORTED, _ABORTED_FAILED)
_KIND_WEIGHTS = (0.72, 0.09, 0.03, 0.08, 0.05, 0.03)
_FLAKY_KIND_WEIGHTS = (0.15, 0.25, 0.05, 0.45, 0.05, 0.05)


class _Seeder:
    def __init__(self, engine: DemoEngine, seed: int) -> None:
        self.engine = engine
        self.rng = random.Random(seed)
        self.now = engine.now()
        self._results: dict[tuple[str, int], dict[str, Any]] = {}

    def shared_result(self, workflow: DemoWorkflow, inputs: Mapping[str, Any]) -> dict[str, Any]:
        """The result for one of the catalogue's sample inputs, built once for all runs using it."""
        key = (workflow.id, id(inputs))
        result = self._results.get(key)
        if result is None:
            result = self._results[key] = workflow.build_result(inputs)
        return result

    def new_run(
        self,
        workflow: DemoWorkflow,
        start: int,
        *,
        scale: float,
        inputs: Mapping[str, Any] | None = None,
        version: str | None = None,
    ) -> Run:
        rng = self.rng
        initiator = None if rng.random() < 0.04 else rng.choice(USERS)
        target = rng.choice(ENTITIES) if rng.random() < 0.6 else None
        business_key = f"JIRA-{rng.randint(1000, 9999)}" if rng.random() < 0.2 else None
        shared = inputs is None
        if inputs is None:
            inputs = rng.choice(workflow.sample_inputs)
        run = Run(
            id=new_uuid(rng),
            workflow=workflow,
            plan=self.engine.plans[workflow.id],
            version=version or workflow.version,
            start=start,
            inputs=inputs,
            initiator=initiator,
            target=target,
            business_key=business_key,
            scale=scale,
            fail_node=None,
            fail_message=None,
            failures_planned=0,
        )
        if shared:
            run.result_cache = self.shared_result(workflow, inputs)
        return run

    def plan_failure(self, run: Run, failures: int) -> None:
        workflow = run.workflow
        node = workflow.failing_node()
        if node is None:
            middle = [i for i, n in enumerate(workflow.nodes) if n.type not in ("StartNode", "EndNode")]
            node = self.rng.choice(middle) if middle else 0
        message = workflow.nodes[node].fails_with or self.rng.choice(ERROR_MESSAGES)
        run.fail_node = node
        run.fail_message = message.format(node=workflow.nodes[node].name)
        run.failures_planned = failures

    def history_run(self, workflow: DemoWorkflow, start: int) -> Run:
        rng = self.rng
        weights = _FLAKY_KIND_WEIGHTS if workflow.failing_node() is not None else _KIND_WEIGHTS
        kind = rng.choices(_KINDS, weights)[0]
        version = workflow.version
        if workflow.older_versions and self.now - start > 20 * DAY and rng.random() < 0.5:
            version = rng.choice(workflow.older_versions)
        inputs: Mapping[str, Any] | None = None
        if kind == _COMPLETED and workflow.failing_node() is not None:
            sample = rng.choice(workflow.sample_inputs)
            inputs = {**sample, workflow.failures_input: 0} if workflow.failures_input else sample
        run = self.new_run(workflow, start, scale=rng.uniform(0.6, 2.5), inputs=inputs, version=version)
        engine = self.engine
        if kind in (_ERROR, _RECOVERED, _ABORTED_FAILED):
            self.plan_failure(run, 1)
        elif kind == _ERROR_AGAIN:
            self.plan_failure(run, 2)
        first = engine.make_attempt(run, 1, start, 0)
        run.attempts.append(first)
        if kind in (_RECOVERED, _ERROR_AGAIN) and first.fail_node is not None:
            retriggered = first.ends_at + rng.randint(60_000, 90 * 60_000)
            first.superseded_at = retriggered
            run.attempts.append(engine.make_attempt(run, 2, retriggered, first.fail_node))
        elif kind == _ABORTED_FAILED and first.fail_node is not None:
            run.aborted_at = first.ends_at + rng.randint(60_000, 90 * 60_000)
        elif kind == _ABORTED:
            total = run.plan.total(run.scale)
            run.aborted_at = start + max(1, int(total * rng.uniform(0.1, 0.9)))
        return run

    def specials(self, workflows: list[DemoWorkflow]) -> list[Run]:
        """A few runs that are in flight now: two ACTIVE, one SUSPENDED, one PENDING."""
        rng, engine, now = self.rng, self.engine, self.now
        runs: list[Run] = []
        longest = max(workflows, key=lambda w: engine.plans[w.id].total())
        plan = engine.plans[longest.id]
        waiting = next((i for i, node in enumerate(longest.nodes) if node.waits), None)
        # One run sits in the waiting node (when there is one), the other has just started.
        started = now - plan.offset(waiting, 1.0) - 2_000 if waiting is not None else now - plan.total() // 2
        runs.append(self.new_run(longest, started, scale=1.0))
        runs.append(self.new_run(longest, now - min(3_000, plan.total() // 3), scale=1.0))

        suspended_workflow = rng.choice(workflows)
        suspended = self.new_run(suspended_workflow, now - rng.randint(HOUR, 30 * HOUR), scale=1.0)
        node = len(suspended_workflow.nodes) // 2
        suspended.halted_state = SUSPENDED
        suspended.halted_at = suspended.start + engine.plans[suspended_workflow.id].offset(node, 1.0) + 100
        runs.append(suspended)

        pending = self.new_run(rng.choice(workflows), now - rng.randint(60_000, 50 * 60_000), scale=1.0)
        pending.halted_state = PENDING
        pending.halted_at = pending.start
        runs.append(pending)

        for run in runs:
            run.attempts.append(engine.make_attempt(run, 1, run.start, 0))
        return runs

    def seed(self, count: int) -> list[Run]:
        rng = self.rng
        workflows = [w for w in self.engine.workflows.values() if w.seed_weight > 0]
        if count <= 0 or not workflows:
            return []
        special = self.specials(workflows) if count >= 8 else []
        regular = count - len(special)
        ages = sorted((rng.randint(2 * HOUR, HISTORY_SPAN) for _ in range(regular)), reverse=True)
        chosen = rng.choices(workflows, weights=[w.seed_weight for w in workflows], k=regular)
        runs = [self.history_run(workflow, self.now - age) for workflow, age in zip(chosen, ages, strict=True)]
        runs.extend(special)
        runs.sort(key=lambda run: run.start)
        return runs


def seed_history(engine: DemoEngine, count: int, seed: int) -> None:
    """Fill ``engine`` with ``count`` deterministic historical runs."""
    engine.add_many(_Seeder(engine, seed).seed(count))
