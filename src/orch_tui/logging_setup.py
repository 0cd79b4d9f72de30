"""Send the console's log to a file in the platform's log directory, never to the terminal."""

from __future__ import annotations

import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_FILE_NAME = "orch-tui.log"


def log_file() -> Path:
    from orch_tui.core.state import log_dir

    return log_dir() / LOG_FILE_NAME


def setup_file_logging(level: str | None = None) -> Path | None:
    """Log to ``<log dir>/orch-tui.log`` (rotated at 1 MB); return the path, or None if unwritable."""
    logger = logging.getLogger("orch_tui")
    logger.setLevel((level or os.environ.get("ORCH_TUI_LOG_LEVEL") or "INFO").upper())
    path = log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.propagate = False
    return path
