"""Domain model of the Lab Node product: one root product block with four resource values.

orchestrator-core wants one class per lifecycle state: everything optional while the
subscription is INITIAL, the mandatory fields filled in from PROVISIONING on.
"""

from orchestrator.core.domain.base import ProductBlockModel, SubscriptionModel
from orchestrator.core.types import SubscriptionLifecycle
from pydantic_forms.types import strEnum

PRODUCT_NAME = "Lab Node"
PRODUCT_TYPE = "LabNode"
ROOT_BLOCK = "LabNodeBlock"


class Role(strEnum):
    core = "core"
    edge = "edge"
    access = "access"


class LabNodeBlockInactive(ProductBlockModel, product_block_name=ROOT_BLOCK):
    hostname: str | None = None
    role: str | None = None
    port_count: int | None = None
    notes: str | None = None


class LabNodeBlockProvisioning(LabNodeBlockInactive, lifecycle=[SubscriptionLifecycle.PROVISIONING]):
    hostname: str
    role: str
    port_count: int
    notes: str | None = None


class LabNodeBlock(LabNodeBlockProvisioning, lifecycle=[SubscriptionLifecycle.ACTIVE]):
    hostname: str
    role: str
    port_count: int
    notes: str | None = None


class LabNodeInactive(SubscriptionModel, is_base=True):
    node: LabNodeBlockInactive


class LabNodeProvisioning(LabNodeInactive, lifecycle=[SubscriptionLifecycle.PROVISIONING]):
    node: LabNodeBlockProvisioning


class LabNode(LabNodeProvisioning, lifecycle=[SubscriptionLifecycle.ACTIVE]):
    node: LabNodeBlock


def describe(hostname: str, role: str, port_count: int) -> str:
    """The subscription description every workflow of the product keeps up to date."""
    return f"Lab node {hostname} ({role}, {port_count} ports)"
