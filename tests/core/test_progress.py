from __future__ import annotations

from orch_tui.core.models import ProcessInstance
from orch_tui.core.progress import NODE_DONE, NODE_FAILED, NODE_RUNNING, NODE_STOPPED, failed_node, node_state


def _run(state: str, **extra: object) -> ProcessInstance:
    nodes = [
        {"id": "n1", "definitionId": "a", "enter": "2026-11-22T10:00:00Z", "exit": "2026-11-22T10:00:01Z"},
        {"id": "n2", "definitionId": "b", "enter": "2026-11-22T10:00:01Z"},
    ]
    return ProcessInstance.model_validate({"id": "r", "state": state, "nodes": nodes, **extra})


def test_node_states() -> None:
    running = _run("ACTIVE")
    assert [node_state(n, running, None) for n in running.nodes] == [NODE_DONE, NODE_RUNNING]
    aborted = _run("ABORTED")
    assert node_state(aborted.nodes[1], aborted, None) is NODE_STOPPED
    failed = _run("ERROR", error={"nodeDefinitionId": "b", "message": "boom"})
    error_node = failed_node(failed)
    assert error_node is not None and error_node.id == "n2"
    assert node_state(failed.nodes[1], failed, error_node) is NODE_FAILED
    assert NODE_FAILED.label(ascii_only=True) == "x failed"
