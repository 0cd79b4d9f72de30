"""Import the screens a user opens next in a background thread, once the first screen is up.

Each screen's module is imported when the screen is first opened, so the console starts without
them; without this, that first opening would pay the import (tens of milliseconds for the run
detail or the run form) on the event loop, where the user sees it as a stall.

Then everything start-up made (modules, classes, stylesheets, the first screen: some hundred
thousand objects, nearly all kept for the process's life) is moved out of the cyclic garbage
collector's reach (``gc.freeze``).  Otherwise the first full collection, which the allocations of
the next screen's opening set off, walks all of it on the event loop: about a hundred
milliseconds, in the middle of that screen's first paint.  Collections still run as before, over
the objects made since.
"""

from __future__ import annotations

import gc
import importlib
import logging
import threading

log = logging.getLogger(__name__)

MODULES = (
    "orch_tui.ui.screens.runs",
    "orch_tui.ui.screens.workflow_detail",
    "orch_tui.ui.screens.run_detail",
    "orch_tui.ui.screens.help",
    "orch_tui.ui.screens.command_line",
    "orch_tui.ui.screens.api_log",
    "orch_tui.ui.screens.entity_picker",
    "orch_tui.ui.screens.execute",
)

_started = threading.Event()


def warm_up() -> None:
    """Start importing :data:`MODULES` in a daemon thread, then freeze what start-up made (once per
    process)."""
    if _started.is_set():
        return
    _started.set()
    threading.Thread(target=_import_all, name="orch-tui-warm-up", daemon=True).start()


def _import_all() -> None:
    for name in MODULES:
        try:
            importlib.import_module(name)
        except Exception:  # the screen's own opening reports a real problem
            log.debug("warming up %s failed", name, exc_info=True)
    gc.freeze()
