"""The Lab Node test product for orch-tui's orchestrator-core integration tests.

Importing this package registers, as a side effect, the product model (by product *name*, which
is how orchestrator-core looks it up) and every workflow/task of the product (lazily, by module
path). Both entry points, ``manage.py`` and ``server.py``, import it.
"""

from orchestrator.core.domain import SUBSCRIPTION_MODEL_REGISTRY
from orchestrator.core.workflows import LazyWorkflowInstance

from labnode.product import PRODUCT_NAME, LabNode

SUBSCRIPTION_MODEL_REGISTRY[PRODUCT_NAME] = LabNode

# workflow name (as stored in the workflows table) -> module that defines it
WORKFLOW_MODULES = {
    "create_lab_node": "labnode.create",
    "modify_lab_node": "labnode.modify",
    "terminate_lab_node": "labnode.terminate",
    "validate_lab_node": "labnode.validate",
    "task_lab_nap": "labnode.nap",
}

for _name, _module in WORKFLOW_MODULES.items():
    LazyWorkflowInstance(_module, _name)
