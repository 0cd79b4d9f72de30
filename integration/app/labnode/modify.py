"""modify_lab_node: a prefilled form, then an input step that suspends the process until approved."""

from typing import Annotated

from orchestrator.core.config.assignee import Assignee
from orchestrator.core.forms import FormPage, SubmitFormPage
from orchestrator.core.forms.validators import Accept
from orchestrator.core.types import SubscriptionLifecycle
from orchestrator.core.workflow import StepList, begin, inputstep, step
from orchestrator.core.workflows.steps import set_status
from orchestrator.core.workflows.utils import modify_workflow
from pydantic import ConfigDict, Field
from pydantic_forms.types import FormGenerator, State, UUIDstr

from labnode.product import LabNode, LabNodeProvisioning, describe


def change_form(subscription_id: UUIDstr) -> FormGenerator:
    # page 1, {"subscription_id": ..., "version": ...}, comes from @modify_workflow
    current = LabNode.from_subscription(subscription_id).node

    class Change(SubmitFormPage):
        model_config = ConfigDict(title=f"Change {current.hostname}")

        port_count: Annotated[int, Field(ge=1, le=48)] = current.port_count
        notes: str | None = current.notes

    change = yield Change
    return change.model_dump()


@step("Apply the change")
def apply_change(subscription: LabNodeProvisioning, port_count: int, notes: str | None) -> State:
    block = subscription.node
    block.port_count, block.notes = port_count, notes
    subscription.description = describe(block.hostname, block.role, port_count)
    return {"subscription": subscription}


@inputstep("Approve the change", assignee=Assignee.CHANGES)
def approve_change(port_count: int) -> FormGenerator:
    class Approval(FormPage):
        model_config = ConfigDict(title=f"Approve {port_count} ports?")

        approval: Accept
        approver_comment: str = ""

    answer = yield Approval
    return answer.model_dump()


@modify_workflow(initial_input_form=change_form)
def modify_lab_node() -> StepList:
    return (
        begin
        >> set_status(SubscriptionLifecycle.PROVISIONING)
        >> apply_change
        >> approve_change
        >> set_status(SubscriptionLifecycle.ACTIVE)
    )
