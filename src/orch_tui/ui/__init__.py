"""The Textual user interface.

Importing this package does not import Textual; use ``orch_tui.ui.app.OrchApp``.
"""
