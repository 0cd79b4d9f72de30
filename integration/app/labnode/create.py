"""create_lab_node: a three-page form, a slow step that honours abort, and a step that fails on request.

Page 1 (which product?) is added by ``@create_workflow``; this module supplies pages 2 and 3.
"""

import time
import uuid
from typing import Annotated

from orchestrator.core.db import ProcessStepTable, ProcessTable, db, transactional
from orchestrator.core.forms import FormPage, SubmitFormPage
from orchestrator.core.forms.validators import Choice, Divider, Label, LongText
from orchestrator.core.types import SubscriptionLifecycle
from orchestrator.core.workflow import Abort, Process, StepList, Success, begin, make_step_function, step
from orchestrator.core.workflows.steps import store_process_subscription
from orchestrator.core.workflows.utils import create_workflow
from pydantic import ConfigDict, Field
from pydantic_forms.types import FormGenerator, State, UUIDstr
from pydantic_forms.validators import read_only_field
from sqlalchemy import func, select
from structlog import get_logger

from labnode.product import LabNodeInactive, LabNodeProvisioning, Role, describe

logger = get_logger(__name__)

PROVISION_STEP = "Provision node"
SLOW_STEP = "Reserve resources (slow)"
ABORT_POLL_SECONDS = 0.25


class FailureMode(Choice):
    """What the provision step does. The second tuple item is the label a UI shows."""

    none = ("none", "Succeed")
    fail_once = ("fail_once", "Fail the first time, succeed when retried")
    fail_always = ("fail_always", "Fail every time")


def node_form(product_name: str) -> FormGenerator:
    class Basics(FormPage):
        model_config = ConfigDict(title=f"{product_name}: basics")

        intro: Label = None
        hostname: Annotated[
            str,
            Field(min_length=3, max_length=30, pattern=r"^[a-z0-9-]+$", description="lower-case host name"),
        ]
        role: Role = Role.edge
        port_count: Annotated[int, Field(ge=1, le=48)] = 8
        notes: LongText | None = None

    basics = yield Basics

    class RunOptions(SubmitFormPage):
        model_config = ConfigDict(title="Run options")

        hostname_check: read_only_field(basics.hostname)
        separator: Divider = None
        slow_seconds: Annotated[int, Field(ge=0, le=60)] = 2
        failure_mode: FailureMode = FailureMode.none
        notify: bool = False

    options = yield RunOptions

    return basics.model_dump(exclude={"intro"}) | options.model_dump(exclude={"hostname_check", "separator"})


@step("Build subscription")
def build_subscription(product: UUIDstr, hostname: str, role: str, port_count: int, notes: str | None) -> State:
    subscription = LabNodeInactive.from_product_id(
        product_id=product, customer_id=str(uuid.uuid4()), status=SubscriptionLifecycle.INITIAL
    )
    block = subscription.node
    block.hostname, block.role, block.port_count, block.notes = hostname, role, port_count, notes
    subscription = LabNodeProvisioning.from_other_lifecycle(subscription, SubscriptionLifecycle.PROVISIONING)
    subscription.description = describe(hostname, role, port_count)
    return {
        "subscription": subscription,
        "subscription_id": subscription.subscription_id,
        "subscription_description": subscription.description,
    }


def _process_was_aborted(process_id: UUIDstr) -> bool:
    with transactional(db, logger):
        status = db.session.execute(
            select(ProcessTable.last_status).where(ProcessTable.process_id == process_id)
        ).scalar_one_or_none()
    return status == "aborted"


def _reserve_resources(state: State) -> Process:
    """Sleep ``slow_seconds``, checking every quarter second whether the process was aborted.

    orchestrator-core's abort only writes an 'aborted' status; it does not stop the worker
    thread, which would otherwise run the remaining steps and overwrite the status. Ending
    with ``Abort`` here makes an abort during this step final, as a UI user would expect.
    """
    seconds = int(state.get("slow_seconds") or 0)
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        time.sleep(min(ABORT_POLL_SECONDS, left))
        if _process_was_aborted(state["process_id"]):
            return Abort(state | {"reserve_interrupted": True})
    return Success(state | {"reserved_for_seconds": seconds})


reserve_resources = StepList([make_step_function(_reserve_resources, SLOW_STEP)])


def _failed_before(process_id: UUIDstr) -> bool:
    """True when this process already has a failed provision step (i.e. this run is a retry).

    Read from the process_steps table, so it survives an API restart between the failure
    and the retry.
    """
    count = db.session.execute(
        select(func.count())
        .select_from(ProcessStepTable)
        .where(
            ProcessStepTable.process_id == process_id,
            ProcessStepTable.name == PROVISION_STEP,
            ProcessStepTable.status == "failed",
        )
    ).scalar_one()
    return count > 0


@step(PROVISION_STEP)
def provision_node(process_id: UUIDstr, failure_mode: str, subscription: LabNodeProvisioning) -> State:
    hostname = subscription.node.hostname
    if failure_mode == FailureMode.fail_always:
        raise RuntimeError(f"could not provision {hostname}: failure_mode is fail_always")
    if failure_mode == FailureMode.fail_once and not _failed_before(process_id):
        raise RuntimeError(f"could not provision {hostname} (failure_mode fail_once): retry to succeed")
    return {"subscription": subscription, "provisioned": True}


@create_workflow(initial_input_form=node_form)
def create_lab_node() -> StepList:
    return begin >> build_subscription >> store_process_subscription() >> reserve_resources >> provision_node
