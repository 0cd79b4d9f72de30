"""task_lab_nap: a task (target SYSTEM) with a one-field form and two plain sleeping steps.

Unlike create_lab_node's slow step these sleeps do not look for an abort: they show what
orchestrator-core does with an ordinary step when a running process is aborted.
"""

import time
from typing import Annotated

from orchestrator.core.forms import SubmitFormPage
from orchestrator.core.workflow import StepList, begin, step
from orchestrator.core.workflows.utils import task
from pydantic import ConfigDict, Field
from pydantic_forms.types import FormGenerator, State


def nap_form() -> FormGenerator:
    class Nap(SubmitFormPage):
        model_config = ConfigDict(title="Nap")

        seconds: Annotated[int, Field(ge=0, le=120)] = 4

    nap = yield Nap
    return nap.model_dump()


@step("First half of the nap")
def first_half(seconds: int) -> State:
    time.sleep(seconds / 2)
    return {"slept_first": seconds / 2}


@step("Second half of the nap")
def second_half(seconds: int) -> State:
    time.sleep(seconds / 2)
    return {"slept_second": seconds / 2}


@task(initial_input_form=nap_form)
def task_lab_nap() -> StepList:
    return begin >> first_half >> second_half
