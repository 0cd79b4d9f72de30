"""ASGI app of the Lab Node orchestrator:  uvicorn --host 127.0.0.1 --port PORT server:app"""

from orchestrator.core import OrchestratorCore
from orchestrator.core.settings import app_settings

import labnode  # noqa: F401  (registers the product and its workflows)

app = OrchestratorCore(base_settings=app_settings)
app.register_graphql()
