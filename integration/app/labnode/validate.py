"""validate_lab_node: no form beyond the subscription page; checks the stored values."""

from orchestrator.core.workflow import StepList, begin, step
from orchestrator.core.workflows.utils import validate_workflow
from pydantic_forms.types import State

from labnode.product import LabNode, Role


@step("Check node values")
def check_node(subscription: LabNode) -> State:
    node = subscription.node
    if not 1 <= node.port_count <= 48:
        raise ValueError(f"port_count {node.port_count} is out of range 1..48")
    if node.role not in {r.value for r in Role}:
        raise ValueError(f"unknown role {node.role!r}")
    return {"node_values": "ok"}


@validate_workflow()
def validate_lab_node() -> StepList:
    return begin >> check_node
