"""terminate_lab_node: a one-field confirmation form and a short deprovision step."""

import time

from orchestrator.core.forms import SubmitFormPage
from orchestrator.core.workflow import StepList, begin, step
from orchestrator.core.workflows.utils import terminate_workflow
from pydantic import ConfigDict
from pydantic_forms.types import FormGenerator, State, UUIDstr


def confirm_form(subscription_id: UUIDstr) -> FormGenerator:
    class Confirm(SubmitFormPage):
        model_config = ConfigDict(title="Terminate lab node")

        reason: str = "no longer needed"

    confirmed = yield Confirm
    return confirmed.model_dump()


@step("Deprovision node")
def deprovision_node(reason: str) -> State:
    time.sleep(0.5)
    return {"deprovisioned": True, "termination_reason": reason}


@terminate_workflow(initial_input_form=confirm_form)
def terminate_lab_node() -> StepList:
    return begin >> deprovision_node
