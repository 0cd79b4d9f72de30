"""An embedded stand-in for the Backstage Orchestrator backend (REST API v2, plugin 8.13.2).

``create_app()`` returns a Starlette application serving ``/api/orchestrator`` with the real
backend's shapes and quirks; runs progress with the (injectable) clock. Reach it in-process with
``httpx.ASGITransport(app=create_app())`` or over a port with :func:`serve`.
"""

from .app import BASE_PATH, create_app
from .catalog import DEFAULT_WORKFLOWS, DemoNode, DemoWorkflow
from .engine import DemoEngine, Run
from .server import serve
from .timeutil import ManualClock

__all__ = [
    "BASE_PATH",
    "DEFAULT_WORKFLOWS",
    "DemoEngine",
    "DemoNode",
    "DemoWorkflow",
    "ManualClock",
    "Run",
    "create_app",
    "serve",
]
