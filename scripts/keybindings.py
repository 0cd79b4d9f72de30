"""Write docs/keybindings.md from the bindings in the code (``python scripts/keybindings.py``)."""

from __future__ import annotations

from pathlib import Path

from orch_tui.ui.keymap import keybindings_markdown

if __name__ == "__main__":
    target = Path(__file__).resolve().parents[1] / "docs" / "keybindings.md"
    target.write_text(keybindings_markdown(), encoding="utf-8")
    print(f"wrote {target}")
