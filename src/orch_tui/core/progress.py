"""A run's progress as the web UI shows it: which nodes, which failed, each node's state."""

from __future__ import annotations

from datetime import datetime, timezone

from orch_tui.core.models import NodeInstance, ProcessInstance, RunStatus
from orch_tui.core.status import STATUS_LOOKS, StatusLook

NODE_DONE = StatusLook("✔", "+", "done", STATUS_LOOKS[RunStatus.COMPLETED].style_class)
NODE_RUNNING = StatusLook("●", "*", "running", STATUS_LOOKS[RunStatus.ACTIVE].style_class)
NODE_FAILED = StatusLook("✖", "x", "failed", STATUS_LOOKS[RunStatus.ERROR].style_class)
NODE_STOPPED = StatusLook("⊘", "-", "stopped", STATUS_LOOKS[RunStatus.ABORTED].style_class)


def visible_nodes(run: ProcessInstance) -> list[NodeInstance]:
    """The nodes the web UI shows, by entry time: failures of earlier attempts are hidden.

    A node carrying an ``errorMessage`` is kept only when it is the run's current error
    (``error.nodeInstanceId``).
    """
    current = run.error.nodeInstanceId if run.error is not None else None
    shown = [node for node in run.nodes if not node.errorMessage or node.id == current]
    never = datetime.max.replace(tzinfo=timezone.utc)
    return sorted(shown, key=lambda node: node.enter or never)


def failed_node(run: ProcessInstance) -> NodeInstance | None:
    """The node the run's error points at, if the run has one."""
    error = run.error
    if error is None:
        return None
    for node in run.nodes:
        if error.nodeInstanceId and node.id == error.nodeInstanceId:
            return node
    if error.nodeDefinitionId:
        for node in reversed(run.nodes):
            if node.definitionId == error.nodeDefinitionId:
                return node
    return None


def node_state(node: NodeInstance, run: ProcessInstance, error_node: NodeInstance | None) -> StatusLook:
    if node.errorMessage or (error_node is not None and node.id == error_node.id):
        return NODE_FAILED
    if node.exit is not None:
        return NODE_DONE
    if run.status in (RunStatus.ACTIVE, RunStatus.PENDING, RunStatus.SUSPENDED, RunStatus.UNKNOWN):
        return NODE_RUNNING
    return NODE_STOPPED
