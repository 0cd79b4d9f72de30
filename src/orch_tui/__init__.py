"""orch-tui: a terminal console for workflow orchestrators."""

__version__ = "0.1.0"
