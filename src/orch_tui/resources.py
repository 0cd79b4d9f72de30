"""Locate files shipped beside the code (the Textual stylesheets)."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def styles_dir() -> Path:
    """``styles/`` inside an installed wheel, or at the top of a source checkout."""
    for candidate in (_PACKAGE / "styles", _PACKAGE.parents[1] / "styles"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("orch-tui stylesheets not found (expected orch_tui/styles or <checkout>/styles)")


def stylesheets() -> list[Path]:
    return sorted(styles_dir().glob("*.tcss"))
